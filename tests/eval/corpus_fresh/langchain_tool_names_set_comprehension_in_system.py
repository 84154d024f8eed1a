"""LangChain agent: the system pair lists tool names taken from a set comprehension."""
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI


@tool
def get_weather(city: str) -> str:
    """Return the weather for a city."""
    return "sunny"


@tool
def get_time_zone(city: str) -> str:
    """Return the IANA time zone for a city."""
    return "Europe/Paris"


TOOLS = [get_weather, get_time_zone]
tool_names = {t.name for t in TOOLS}  # expect: CL201

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a travel helper. You may call: " + ", ".join(tool_names) + "."),
        MessagesPlaceholder("history"),
        ("human", "{input}"),
    ]
)
chain = prompt | ChatOpenAI(model="gpt-5-mini").bind_tools(TOOLS)


def ask(history: list, text: str):
    return chain.invoke({"history": history, "input": text})
