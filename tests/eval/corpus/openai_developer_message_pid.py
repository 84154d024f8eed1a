"""OpenAI developer message tells the model which worker process handles it."""
import os

from openai import OpenAI

client = OpenAI()

DEV_RULES = (
    "You are a job-queue assistant. Explain why jobs failed using the logs provided. "
    "Propose a retry strategy. "
)


def explain_failure(log_excerpt: str) -> str:
    pid = os.getpid()  # expect: CL103
    messages = [
        {"role": "developer", "content": DEV_RULES + "Worker pid: %d" % pid},
        {"role": "user", "content": log_excerpt},
    ]
    completion = client.chat.completions.create(model="gpt-4.1-mini", messages=messages)
    return completion.choices[0].message.content
