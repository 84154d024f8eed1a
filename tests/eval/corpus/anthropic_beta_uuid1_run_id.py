"""client.beta.messages.create with a uuid1 run id (node + time) in the system blocks."""
import uuid

from anthropic import Anthropic

client = Anthropic()

STATIC_BLOCK = {
    "type": "text",
    "text": "You are an evaluation harness judge. Score answers 1-5 against the rubric. "
    "Explain the score in two sentences. Output JSON with keys score and reason.",
}


def judge(question: str, answer: str) -> str:
    run_id = uuid.uuid1()  # expect: CL102
    response = client.beta.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=300,
        betas=["token-efficient-tools-2025-02-19"],
        system=[STATIC_BLOCK, {"type": "text", "text": f"Run id: {run_id}"}],
        messages=[{"role": "user", "content": f"Q: {question}\nA: {answer}"}],
    )
    return response.content[0].text
