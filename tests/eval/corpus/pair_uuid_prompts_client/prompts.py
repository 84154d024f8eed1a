"""System blocks for the Bedrock support agent."""
import uuid

SUPPORT_POLICY = (
    "You are the tier-1 support agent for a SaaS analytics product. "
    "Collect the workspace id, the dashboard name and the browser version before debugging. "
    "Offer to open a ticket when the problem persists after two suggestions."
)


def conversation_id() -> str:
    return f"conv-{uuid.uuid4()}"  # expect: CL102


def system_blocks() -> list[dict]:
    return [
        {"text": SUPPORT_POLICY},
        {"text": "Conversation id: " + conversation_id()},
    ]


def user_turn(text: str) -> dict:
    return {"role": "user", "content": [{"text": text}]}
