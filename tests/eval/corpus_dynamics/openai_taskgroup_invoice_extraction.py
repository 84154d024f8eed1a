"""Invoice extraction: one task per invoice in a TaskGroup, all on the same cached instructions."""
import asyncio

from openai import AsyncOpenAI

client = AsyncOpenAI()
EXTRACTION_RULES = open("extraction_rules.md").read()


async def extract(invoice_text: str) -> str:
    response = await client.responses.create(
        model="gpt-4.1",
        instructions=EXTRACTION_RULES,
        input=invoice_text,
        prompt_cache_key="invoice-extractor",
    )
    return response.output_text


async def extract_all(invoices: list[str]) -> list[str]:
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(extract(text)) for text in invoices]  # expect: CL508
    return [t.result() for t in tasks]
