"""The union of enabled tool names is sorted before building the tools list."""
import anthropic

client = anthropic.Anthropic()

REGISTRY = {
    "search": {"name": "search", "description": "Web search.",
               "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}},
    "fetch": {"name": "fetch", "description": "Fetch a URL.",
              "input_schema": {"type": "object", "properties": {"url": {"type": "string"}}}},
    "python": {"name": "python", "description": "Run Python in a sandbox.",
               "input_schema": {"type": "object", "properties": {"code": {"type": "string"}}}},
}


def tools_for(user_tools: list[str], org_tools: list[str]) -> list[dict]:
    enabled = sorted(set(user_tools) | set(org_tools))
    return [REGISTRY[name] for name in enabled if name in REGISTRY]


def ask(question: str, user_tools: list[str], org_tools: list[str]):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=2000,
        tools=tools_for(user_tools, org_tools),
        messages=[{"role": "user", "content": question}],
    )
