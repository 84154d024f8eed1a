"""Web endpoint: every request re-sends a large literal tool catalogue with no breakpoint."""
import anthropic
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
client = anthropic.AsyncAnthropic()

TOOLS = [
    {
        "name": "get_order",
        "description": "Get order for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "list_orders",
        "description": "List orders for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "cancel_order",
        "description": "Cancel order for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "refund_order",
        "description": "Refund order for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "track_shipment",
        "description": "Track shipment for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "update_address",
        "description": "Update address for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "open_warranty_case",
        "description": "Open warranty case for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "escalate_to_human",
        "description": "Escalate to human for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "search_help_center",
        "description": "Search help center for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "apply_store_credit",
        "description": "Apply store credit for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "check_inventory",
        "description": "Check inventory for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
    {
        "name": "create_return_label",
        "description": "Create return label for the verified customer. Use it only after identity verification. It returns a JSON object describing the result, including a status field, a human readable message, and, when relevant, identifiers the agent should quote back to the customer verbatim.",
        "input_schema": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string", "description": "The order number, for example A-10293."},
                "reason": {"type": "string", "description": "Why the agent is calling this tool, in one sentence."}
            },
            "required": ["order_id"]
        }
    },
]


class Chat(BaseModel):
    messages: list[dict]


@app.post("/chat")
async def chat(body: Chat):
    reply = await client.messages.create(  # expect: CL405
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system="You are the store's support agent. Use the tools; never guess order data.",
        tools=TOOLS,
        messages=body.messages,
    )
    return {"content": [block.model_dump() for block in reply.content]}
