"""Few-shot extractor that puts cache_control on whole messages (OpenAI-style)."""
import anthropic

client = anthropic.Anthropic()
EXAMPLES = open("examples.txt").read()


def extract(invoice_text: str):
    return client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1000,
        system="Extract invoice fields as JSON.",
        messages=[
            {"role": "user", "content": EXAMPLES, "cache_control": {"type": "ephemeral"}},  # expect: CL406
            {"role": "assistant", "content": "Understood. Send the invoice."},
            {"role": "user", "content": invoice_text},
        ],
    )
