"""Flask handler passing the request id as the cache key."""
from flask import Flask, g, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()
SYSTEM = open("system.md").read()


@app.post("/complete")
def complete():
    payload = request.get_json()
    completion = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": SYSTEM}, *payload["messages"]],
        prompt_cache_key=g.request_id,  # expect: CL506
    )
    return {"text": completion.choices[0].message.content}
