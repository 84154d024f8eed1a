"""InvokeModel body whose system text starts with the caller's context, then a long guide."""
import json

import boto3

bedrock = boto3.client("bedrock-runtime")
SQL_GUIDE = """You translate analyst questions into PostgreSQL for the analytics warehouse. Only
query tables in the marts schema. Always qualify column names with table aliases, filter on the
partition column event_date whenever a time range is mentioned, and never select more than 1000
rows without an aggregate. Use CTEs instead of nested subqueries, name every CTE after what it
computes, and add a one-line comment above each CTE. Never write DELETE, UPDATE, INSERT or DDL
statements. If the question is ambiguous, state your assumption in a SQL comment at the top of the
query. Currency columns are stored in cents; convert to units in the final select only."""


def to_sql(analyst: dict, question: str) -> str:
    system_text = f"Analyst: {analyst['email']} (team {analyst['team']}, default schema {analyst['schema']})\n\n{SQL_GUIDE}"  # expect: CL301
    body = json.dumps({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 1500,
        "system": system_text,
        "messages": [{"role": "user", "content": question}],
    })
    response = bedrock.invoke_model(modelId="anthropic.claude-sonnet-4-5-20250929-v1:0", body=body)
    return json.loads(response["body"].read())["content"][0]["text"]
