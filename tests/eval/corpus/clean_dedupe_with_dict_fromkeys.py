"""Names are de-duplicated with dict.fromkeys, which keeps first-seen list order."""
import anthropic

client = anthropic.Anthropic()

TEAM_MEMBERS = ["Ana", "Bo", "Chen", "Ana", "Dara", "Bo"]


def system_prompt() -> str:
    unique_members = list(dict.fromkeys(TEAM_MEMBERS))
    roster = ", ".join(unique_members)
    return (
        "You are the stand-up facilitator. Ask each team member in this order for "
        f"yesterday, today and blockers: {roster}."
    )


def facilitate(notes: str) -> str:
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=800,
        system=system_prompt(),
        messages=[{"role": "user", "content": notes}],
    )
    return response.content[0].text
