"""A temporary directory is the sandbox for tool execution; its path never reaches the prompt."""
import subprocess
import tempfile

import anthropic

client = anthropic.Anthropic()

SYSTEM = "You write small Python scripts. Reply with one fenced code block only."


def run_generated(task: str) -> str:
    response = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1500,
        system=SYSTEM,
        messages=[{"role": "user", "content": task}],
    )
    code = response.content[0].text.strip().strip("`").removeprefix("python\n")
    with tempfile.TemporaryDirectory() as sandbox:
        script = f"{sandbox}/main.py"
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(code)
        done = subprocess.run(["python", script], cwd=sandbox, capture_output=True, text=True, timeout=30)
    return done.stdout
