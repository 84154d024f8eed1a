"""RAG assistant on Bedrock: retrieved passages are the first system block, guidelines second."""
import boto3

runtime = boto3.client("bedrock-runtime")
retriever = boto3.client("bedrock-agent-runtime")
KB_ID = "KB12345678"
GUIDELINES = """Answer strictly from the passages provided above. Quote the passage id in square
brackets after every sentence that uses it. If the passages do not contain the answer, say that you
could not find it in the handbook and suggest the HR portal. Do not speculate about salaries, visas,
or legal matters; refer those questions to the people team. Use British spelling, short paragraphs,
and no more than five bullet points. Never mention that you are reading retrieved passages, and do
not repeat the question back to the employee. Prefer the most recent policy when two conflict."""


def retrieve(question: str) -> str:
    result = retriever.retrieve(knowledgeBaseId=KB_ID, retrievalQuery={"text": question})
    return "\n".join(f"[{i}] {r['content']['text']}" for i, r in enumerate(result["retrievalResults"]))


def ask(question: str) -> str:
    passages = retrieve(question)
    system_blocks = [{"text": passages}, {"text": GUIDELINES}, {"cachePoint": {"type": "default"}}]  # expect: CL301
    response = runtime.converse(
        modelId="anthropic.claude-sonnet-4-5-20250929-v1:0",
        system=system_blocks,
        messages=[{"role": "user", "content": [{"text": question}]}],
    )
    return response["output"]["message"]["content"][0]["text"]
