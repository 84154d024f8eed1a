"""Environment switches that turn prompt caching off in a client, loaded from `rules/switches.yaml`.

Claude Code's `DISABLE_PROMPT_CACHING*` are set in Python code and in config files alike; both
CL410 checks read the names, the values that count as "on" and the message from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cachelint.rulefiles import rules_dir
from cachelint.yamlfile import Doc, load_yaml_file

_CLIENT_KEYS = {"client", "truthy", "switches", "source", "date"}


@dataclass(frozen=True)
class Switch:
    """One variable that switches prompt caching off in `client` for `scope` (in words)."""

    name: str
    client: str
    scope: str
    truthy: frozenset[str]
    source: str

    def is_on(self, value: str) -> bool:
        return value.strip().lower() in self.truthy

    def message(self, value: str, where: str) -> str:
        """The CL410 message for this switch set to `value`; `where` says where it is set."""
        return (
            f"`{self.name}` set to {value.strip()!r} {where} switches prompt caching off for {self.scope}: {self.client} then "
            "sends no breakpoints, so every turn pays the full input price for the whole conversation instead of 0.1x for "
            "the cached part; remove it, or set it to 0"
        )


@lru_cache(maxsize=1)
def load_switches() -> dict[str, Switch]:
    """Every switch of the shipped `rules/switches.yaml`, by variable name; raises DataError on bad data."""
    return parse_switch_doc(load_yaml_file(rules_dir() / "switches.yaml"))


def parse_switch_doc(doc: Doc) -> dict[str, Switch]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("clients"), list):
        raise doc.error(("clients",), "expected a top-level `clients:` list")
    unknown = sorted(set(data) - {"version", "clients"})
    if unknown:
        raise doc.error((unknown[0],), f"unknown top-level key `{unknown[0]}`; allowed: clients, version")
    out: dict[str, Switch] = {}
    for i, entry in enumerate(data["clients"]):
        for switch in _client(doc, ("clients", i), entry):
            out[switch.name] = switch
    return out


def _client(doc: Doc, path: tuple[Any, ...], entry: Any) -> list[Switch]:
    where = f"clients[{path[1]}]"
    if not isinstance(entry, dict) or set(entry) != _CLIENT_KEYS:
        raise doc.error(path, f"{where}: expected exactly the keys {', '.join(sorted(_CLIENT_KEYS))}")
    if not isinstance(entry["client"], str) or not entry["client"]:
        raise doc.error(path + ("client",), f"{where}: `client` must name the program that reads the switches")
    truthy = entry["truthy"]
    if not isinstance(truthy, list) or not truthy or not all(isinstance(v, str) for v in truthy):
        raise doc.error(path + ("truthy",), f"{where}: `truthy` must be a non-empty list of quoted strings")
    switches = entry["switches"]
    if not isinstance(switches, dict) or not switches or not all(isinstance(k, str) and isinstance(v, str) for k, v in switches.items()):
        raise doc.error(path + ("switches",), f"{where}: `switches` must map variable names to the models they affect")
    source = entry["source"]
    if not isinstance(source, str) or not source.startswith(("https://", "http://")):
        raise doc.error(path + ("source",), f"{where}: `source` must be the URL the names come from")
    values = frozenset(v.strip().lower() for v in truthy)
    return [Switch(name, entry["client"], scope, values, source) for name, scope in switches.items()]
