"""Plan capabilities: base list unioned with the plan's extras, listed in the system message."""
from openai import OpenAI

client = OpenAI()
BASE_CAPABILITIES = ("answer_faq", "track_order", "update_address")
PLAN_EXTRAS = {"pro": ["priority_callback", "bulk_export"], "free": []}


def capabilities_for(plan: str) -> list[str]:
    caps = set(BASE_CAPABILITIES).union(PLAN_EXTRAS.get(plan, []))  # expect: CL201
    return [f"- {c}" for c in caps]


def chat(plan: str, history: list[dict], text: str) -> str:
    system = "You are the account assistant. You can help with:\n" + "\n".join(capabilities_for(plan))
    messages = [{"role": "system", "content": system}, *history, {"role": "user", "content": text}]
    completion = client.chat.completions.create(model="gpt-5-mini", messages=messages)
    return completion.choices[0].message.content
