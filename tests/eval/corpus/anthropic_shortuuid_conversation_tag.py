"""Third-party id library (shortuuid) tags each conversation in the system prompt."""
import shortuuid
from anthropic import Anthropic

client = Anthropic()

TUTOR = (
    "You are a patient maths tutor for secondary school students. "
    "Ask one guiding question at a time. Never give the final answer directly. "
)


def start_conversation(first_question: str) -> tuple[str, str]:
    tag = shortuuid.uuid()  # expect: CL102
    reply = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=700,
        system=TUTOR + "Conversation tag: " + tag,
        messages=[{"role": "user", "content": first_question}],
    )
    return tag, reply.content[0].text
