"""Writing assistant: the per-user block is appended first, the cached style guide second."""
import anthropic

STYLE_GUIDE = """House style for Meridian Press. Use British spelling and the Oxford comma. Numbers
from one to nine are written out, 10 and above as digits, except in tables. Dates are written as
3 March 2025, never 03/03/25. Headlines use sentence case. Quotes use double quotation marks, with
single marks for quotes inside quotes. Avoid the passive voice where an active alternative reads
naturally. Do not use exclamation marks outside direct quotations. Abbreviations are spelled out on
first use with the short form in brackets. Keep paragraphs under 80 words for online copy and
under 120 words for print, and never start two consecutive paragraphs with the same word."""


class Editor:
    def __init__(self) -> None:
        self.client = anthropic.Anthropic()

    def system_blocks(self, author: dict) -> list[dict]:
        blocks: list[dict] = []
        blocks.append({"type": "text", "text": f"Author: {author['name']}, desk: {author['desk']}, beat: {author['beat']}"})  # expect: CL301
        blocks.append({"type": "text", "text": STYLE_GUIDE, "cache_control": {"type": "ephemeral"}})
        return blocks

    def edit(self, author: dict, draft: str) -> str:
        response = self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=2000,
            system=self.system_blocks(author),
            messages=[{"role": "user", "content": f"Edit this draft:\n\n{draft}"}],
        )
        return response.content[0].text
