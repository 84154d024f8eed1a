"""A one-off script: a single call, no caching needed."""
import sys

import anthropic

client = anthropic.Anthropic()
SYSTEM = "You rewrite commit messages in the imperative mood, at most 72 characters in the subject line."


def main() -> None:
    message = sys.stdin.read()
    reply = client.messages.create(model="claude-haiku-4-5", max_tokens=200, system=SYSTEM, messages=[{"role": "user", "content": message}])
    print(reply.content[0].text)


if __name__ == "__main__":
    main()
