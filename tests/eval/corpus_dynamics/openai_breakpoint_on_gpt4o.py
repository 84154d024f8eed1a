"""Chat completions on gpt-4o with a GPT-5.6 breakpoint marker copied from the docs."""
from openai import OpenAI

client = OpenAI()
HANDBOOK = open("employee_handbook.md").read()


def ask_hr(question: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-2024-08-06",
        messages=[
            {
                "role": "system",
                "content": [
                    {"type": "text", "text": HANDBOOK, "prompt_cache_breakpoint": {"mode": "explicit"}},  # expect: CL408
                ],
            },
            {"role": "user", "content": question},
        ],
    )
    return completion.choices[0].message.content
