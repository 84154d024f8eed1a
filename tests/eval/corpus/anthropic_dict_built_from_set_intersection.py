"""A dict built by iterating a set intersection, then its values become the tools."""
import anthropic

client = anthropic.Anthropic()

ALL_TOOLS = {
    "create_issue": {"name": "create_issue", "description": "Open a GitHub issue.",
                     "input_schema": {"type": "object", "properties": {"title": {"type": "string"}}}},
    "comment": {"name": "comment", "description": "Comment on an issue or PR.",
                "input_schema": {"type": "object", "properties": {"body": {"type": "string"}}}},
    "label": {"name": "label", "description": "Add a label to an issue.",
              "input_schema": {"type": "object", "properties": {"label": {"type": "string"}}}},
}


def permitted_tools(scopes: list[str]) -> list[dict]:
    allowed = set(ALL_TOOLS).intersection(scopes)  # expect: CL201
    selected = {name: ALL_TOOLS[name] for name in allowed}
    return list(selected.values())


def triage_issue(scopes: list[str], issue_text: str):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1000,
        tools=permitted_tools(scopes),
        system="You triage GitHub issues for the maintainers.",
        messages=[{"role": "user", "content": issue_text}],
    )
