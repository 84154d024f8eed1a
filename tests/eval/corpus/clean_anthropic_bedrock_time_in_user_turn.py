"""AnthropicBedrock with a constant system prompt; the date is given in the user turn."""
from datetime import datetime

from anthropic import AnthropicBedrock

client = AnthropicBedrock(aws_region="us-west-2")

SYSTEM = """You are a contract-renewal assistant.
List contracts that renew within 60 days of the date the user gives you,
with the notice period and the cancellation address."""


def renewals(contracts_csv: str) -> str:
    today = datetime.now().strftime("%Y-%m-%d")
    response = client.messages.create(
        model="anthropic.claude-3-5-sonnet-20241022-v2:0",
        max_tokens=1500,
        system=SYSTEM,
        messages=[{"role": "user", "content": f"Today is {today}.\n\n{contracts_csv}"}],
    )
    return response.content[0].text
