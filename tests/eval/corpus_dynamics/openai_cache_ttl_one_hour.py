"""Nightly report writer that asks for a one-hour cache lifetime, which GPT-5.6 does not offer."""
from openai import OpenAI

client = OpenAI()
STYLE_GUIDE = open("report_style.md").read()


def write_reports(sections: list[str]) -> list[str]:
    reports = []
    for section in sections:
        response = client.responses.create(
            model="gpt-5.6-mini",
            instructions=STYLE_GUIDE,
            input=section,
            prompt_cache_options={"ttl": "1h"},  # expect: CL408
        )
        reports.append(response.output_text)
    return reports
