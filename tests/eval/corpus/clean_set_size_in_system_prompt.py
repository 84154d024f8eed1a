"""Only the size of a set reaches the prompt, and a count does not depend on order."""
import anthropic

client = anthropic.Anthropic()

SYSTEM_TEMPLATE = """You help players of a trading-card game build decks.
The player owns {count} distinct cards. Suggest decks of exactly 40 cards."""


def deck_help(card_ids: list[str], question: str) -> str:
    distinct = set(card_ids)
    system = SYSTEM_TEMPLATE.format(count=len(distinct))
    response = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=900,
        system=system,
        messages=[{"role": "user", "content": question}],
    )
    return response.content[0].text


if __name__ == "__main__":
    print(deck_help(["c1", "c2", "c1"], "Build me an aggro deck"))
