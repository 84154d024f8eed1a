"""Chat Completions on GPT-5.6: breakpoints on the system text and on the shared screenshot."""
from openai import OpenAI

client = OpenAI()
BP = {"mode": "explicit"}
GUIDE = open("qa_guide.md").read()


def check_screen(screenshot_url: str, questions: list[str]) -> list[str]:
    answers = []
    for question in questions:
        completion = client.chat.completions.create(
            model="gpt-5.6",
            messages=[
                {"role": "system", "content": [{"type": "text", "text": GUIDE, "prompt_cache_breakpoint": BP}]},
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": screenshot_url, "detail": "high"}, "prompt_cache_breakpoint": BP},
                        {"type": "text", "text": question},
                    ],
                },
            ],
        )
        answers.append(completion.choices[0].message.content)
    return answers
