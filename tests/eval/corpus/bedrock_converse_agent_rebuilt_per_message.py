"""Gateway handler compiles the system prompt from live skill/memory stores per message (case 14)."""
import boto3

runtime = boto3.client("bedrock-runtime")

CORE = "You are the team's chat-ops agent. Use skills when they match the request."


class Gateway:
    def __init__(self, skills_store, memory_store) -> None:
        self.skills_store = skills_store
        self.memory_store = memory_store
        self.histories: dict[str, list] = {}

    def compile_system(self, channel: str) -> list[dict]:
        skills = self.skills_store.enabled_for(channel)
        notes = self.memory_store.recent(channel)
        return [
            {"text": CORE},
            {"text": "Skills:\n" + "\n".join(s.summary for s in skills)},
            {"text": "Notes:\n" + "\n".join(notes)},
        ]

    def on_message(self, channel: str, text: str) -> str:
        history = self.histories.setdefault(channel, [])
        history.append({"role": "user", "content": [{"text": text}]})
        system = self.compile_system(channel)  # expect: CL302
        response = runtime.converse(
            modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
            system=system,
            messages=history,
        )
        message = response["output"]["message"]
        history.append(message)
        self.memory_store.add(channel, message["content"][0]["text"][:200])
        return message["content"][0]["text"]
