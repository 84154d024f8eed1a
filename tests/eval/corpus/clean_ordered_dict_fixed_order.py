"""An OrderedDict filled in a fixed order renders system sections deterministically."""
from collections import OrderedDict

from anthropic import Anthropic

client = Anthropic()

SECTIONS = OrderedDict()
SECTIONS["Role"] = "You are a recruiting assistant for engineering roles."
SECTIONS["Screening"] = "Check must-have skills first, then nice-to-haves."
SECTIONS["Fairness"] = "Ignore age, gender, nationality and photos."


def system_text() -> str:
    return "\n\n".join(f"## {title}\n{body}" for title, body in SECTIONS.items())


def screen(cv_text: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1200,
        system=system_text(),
        messages=[{"role": "user", "content": cv_text}],
    )
    return response.content[0].text
