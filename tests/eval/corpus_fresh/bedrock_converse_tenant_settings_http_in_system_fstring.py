"""Bedrock Converse helpdesk: tenant settings fetched from the config service go into system."""
import boto3
import httpx

bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")
MODEL_ID = "anthropic.claude-sonnet-4-5-20250929-v1:0"
BASE_RULES = (
    "You are the helpdesk agent for Acme Cloud. Answer only from the knowledge base, "
    "never invent product names, and hand over to a human for billing disputes."
)


def tenant_settings(tenant_id: str) -> dict:
    resp = httpx.get(f"https://config.internal/tenants/{tenant_id}/assistant", timeout=3.0)
    resp.raise_for_status()
    return resp.json()


def ask(tenant_id: str, history: list[dict], question: str) -> str:
    settings = tenant_settings(tenant_id)
    system = [
        {"text": BASE_RULES},
        {"text": f"Tenant configuration (obey it strictly): {settings}"},  # expect: CL204
        {"cachePoint": {"type": "default"}},
    ]
    response = bedrock.converse(
        modelId=MODEL_ID,
        system=system,
        messages=[*history, {"role": "user", "content": [{"text": question}]}],
        inferenceConfig={"maxTokens": 800},
    )
    return response["output"]["message"]["content"][0]["text"]
