"""Per-user header followed by only a short static sentence: nothing long is pushed out of the cache."""
from openai import OpenAI

client = OpenAI()


def greet(user: dict, message: str) -> str:
    instructions = f"The user is {user['first_name']} from {user['city']}. Reply warmly in two sentences at most."
    response = client.responses.create(model="gpt-5-mini", instructions=instructions, input=message)
    return response.output_text


def farewell(user: dict) -> str:
    instructions = "Say goodbye to " + user["first_name"] + " in one short line."
    response = client.responses.create(model="gpt-5-mini", instructions=instructions, input="bye")
    return response.output_text
