"""Research assistant with a breakpoint on every reference document."""
import anthropic

client = anthropic.Anthropic()
CACHE = {"type": "ephemeral"}
GUIDE = open("docs/guide.md").read()
API = open("docs/api.md").read()
FAQ = open("docs/faq.md").read()
CHANGELOG = open("docs/changelog.md").read()


def ask(question: str):
    return client.messages.create(  # expect: CL402
        model="claude-opus-4-5",
        max_tokens=2048,
        system=[
            {"type": "text", "text": "You answer questions about the product.", "cache_control": CACHE},
            {"type": "text", "text": GUIDE, "cache_control": CACHE},
            {"type": "text", "text": API, "cache_control": CACHE},
            {"type": "text", "text": FAQ, "cache_control": CACHE},
            {"type": "text", "text": CHANGELOG, "cache_control": CACHE},
        ],
        messages=[{"role": "user", "content": question}],
    )
