"""Contract Q&A that marks the policy and every attached document as a breakpoint."""
from openai import OpenAI

client = OpenAI()
BP = {"mode": "explicit"}
POLICY = open("review_policy.md").read()


def review(master: str, schedule_a: str, schedule_b: str, amendment: str, question: str) -> str:
    response = client.responses.create(  # expect: CL408
        model="gpt-5.6",
        input=[
            {"role": "developer", "content": [{"type": "input_text", "text": POLICY, "prompt_cache_breakpoint": BP}]},
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": master, "prompt_cache_breakpoint": BP},
                    {"type": "input_text", "text": schedule_a, "prompt_cache_breakpoint": BP},
                    {"type": "input_text", "text": schedule_b, "prompt_cache_breakpoint": BP},
                    {"type": "input_text", "text": amendment, "prompt_cache_breakpoint": BP},
                    {"type": "input_text", "text": question},
                ],
            },
        ],
    )
    return response.output_text
