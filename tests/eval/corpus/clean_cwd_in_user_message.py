"""The working directory is mentioned in the (single, final) user message."""
import os

from openai import OpenAI

client = OpenAI()

INSTRUCTIONS = """You are a command-line helper. Suggest one shell command and explain it.
Assume a POSIX shell. Never suggest commands that delete files recursively."""


def suggest(task: str) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=INSTRUCTIONS,
        input=f"I am in {os.getcwd()}. {task}",
    )
    return response.output_text


if __name__ == "__main__":
    print(suggest("find the largest files"))
