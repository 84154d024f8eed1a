"""LangChain agent greeting the OS user by login name in the SystemMessage."""
import getpass

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

model = ChatOpenAI(model="gpt-4o", temperature=0)

ASSISTANT_RULES = (
    "You are a desktop automation assistant. You can open applications and search files. "
    "Ask before deleting anything."
)


def run(command: str) -> str:
    login = getpass.getuser()  # expect: CL103
    system = SystemMessage(content=ASSISTANT_RULES + f" The logged-in user is {login}.")
    return model.invoke([system, HumanMessage(content=command)]).content


if __name__ == "__main__":
    print(run("open my downloads folder"))
