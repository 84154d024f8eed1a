"""The HTTP profile is validated into a pydantic model; model_dump_json follows field order."""
import requests
from openai import OpenAI
from pydantic import BaseModel

client = OpenAI()


class Profile(BaseModel):
    company: str
    industry: str
    seats: int
    support_tier: str
    languages: list[str]


BASE = "You are the onboarding assistant. Tailor every answer to this customer profile:\n"


def instructions_for(account_id: str) -> str:
    raw = requests.get(f"https://crm.internal/accounts/{account_id}", timeout=5).json()
    profile = Profile.model_validate(raw)
    return BASE + profile.model_dump_json()


def ask(account_id: str, question: str):
    return client.responses.create(model="gpt-5", instructions=instructions_for(account_id), input=question)
