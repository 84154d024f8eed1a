"""yaml.safe_dump sorts keys by default, so the rendered profile is canonical."""
import boto3
import httpx
import yaml

bedrock = boto3.client("bedrock-runtime")


def account_context(account_id: str) -> str:
    data = httpx.get(f"https://crm.internal/accounts/{account_id}", timeout=5.0).json()
    return yaml.safe_dump(data)


def answer(account_id: str, question: str) -> str:
    response = bedrock.converse(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        system=[
            {"text": "You are an account manager's assistant. Use only the account data."},
            {"text": account_context(account_id)},
        ],
        messages=[{"role": "user", "content": [{"text": question}]}],
    )
    return response["output"]["message"]["content"][0]["text"]
