"""Tutor loop that marks each assistant answer as a breakpoint when storing it."""
from openai import OpenAI

client = OpenAI()
SYLLABUS = open("syllabus.md").read()


def tutor() -> None:
    items = [{"role": "developer", "content": [{"type": "input_text", "text": SYLLABUS, "prompt_cache_breakpoint": {"mode": "explicit"}}]}]
    while True:
        items.append({"role": "user", "content": [{"type": "input_text", "text": input("> ")}]})
        response = client.responses.create(model="gpt-5.6", input=items)
        print(response.output_text)
        items.append({
            "role": "assistant",
            "content": [{"type": "output_text", "text": response.output_text, "prompt_cache_breakpoint": {"mode": "explicit"}}],  # expect: CL408
        })
