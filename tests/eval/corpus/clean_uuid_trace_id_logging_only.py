"""A uuid4 trace id is used for logging and tracing spans only."""
import logging
import uuid

from openai import OpenAI
from opentelemetry import trace

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)
client = OpenAI()

SYSTEM = "You convert natural-language questions into SQL for the sales schema."


def to_sql(question: str) -> str:
    trace_id = uuid.uuid4().hex
    with tracer.start_as_current_span("nl2sql") as span:
        span.set_attribute("app.trace_id", trace_id)
        log.info("nl2sql start trace=%s", trace_id)
        completion = client.chat.completions.create(
            model="gpt-4.1",
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
        )
        log.info("nl2sql done trace=%s tokens=%s", trace_id, completion.usage.total_tokens)
    return completion.choices[0].message.content
