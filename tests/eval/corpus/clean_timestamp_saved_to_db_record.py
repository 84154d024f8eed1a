"""The answer is stored with a timestamp in the database; the request itself is static."""
import sqlite3
from datetime import datetime

from openai import OpenAI

client = OpenAI()
db = sqlite3.connect("answers.db")

SYSTEM = "You answer questions about the company's holiday policy in at most three sentences."


def answer_and_store(question: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
    )
    answer = completion.choices[0].message.content
    db.execute(
        "INSERT INTO answers (question, answer, created_at) VALUES (?, ?, ?)",
        (question, answer, datetime.now().isoformat()),
    )
    db.commit()
    return answer
