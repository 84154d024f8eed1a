"""str(set) in an f-string: 'Supported languages: {...}' follows hash order."""
import anthropic

client = anthropic.Anthropic()


def supported_languages(projects: list[dict]) -> set[str]:
    langs = set()  # expect: CL201
    for project in projects:
        langs.update(project["languages"])
    return langs


def review(projects: list[dict], snippet: str) -> str:
    langs = supported_languages(projects)
    system = (
        "You are a static-analysis explainer. Explain warnings in plain words.\n"
        f"Supported languages: {langs}"
    )
    message = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=800,
        system=system,
        messages=[{"role": "user", "content": snippet}],
    )
    return message.content[0].text
