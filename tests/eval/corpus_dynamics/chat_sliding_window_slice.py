"""Discord bot keeping the last 30 messages of each channel."""
import anthropic

client = anthropic.AsyncAnthropic()
MAX_HISTORY = 30
SYSTEM = open("bot_persona.md").read()


class ChannelMemory:
    def __init__(self) -> None:
        self.history: list[dict] = []

    async def on_message(self, author: str, text: str) -> str:
        self.history.append({"role": "user", "content": f"{author}: {text}"})
        self.history = self.history[-MAX_HISTORY:]  # expect: CL501
        reply = await client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=300,
            system=SYSTEM,
            messages=self.history,
        )
        answer = reply.content[0].text
        self.history.append({"role": "assistant", "content": answer})
        return answer
