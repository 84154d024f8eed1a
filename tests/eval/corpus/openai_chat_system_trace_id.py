"""OpenAI chat: a trace id in the system message so logs can be grepped."""
import logging
from uuid import uuid4

from openai import OpenAI

log = logging.getLogger(__name__)
client = OpenAI()

SYSTEM_PROMPT = (
    "You are a translation engine. Translate the user's text into {lang}. "
    "Keep markdown formatting. Do not translate code blocks. "
)


def translate(text: str, lang: str) -> str:
    trace_id = uuid4().hex  # expect: CL102
    log.info("translate trace=%s lang=%s", trace_id, lang)
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT.format(lang=lang) + f"[trace:{trace_id}]"},
        {"role": "user", "content": text},
    ]
    result = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    return result.choices[0].message.content
