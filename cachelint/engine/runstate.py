"""State objects handed to prompt builders, and which parts of them the module changes (CL302).

pydantic-ai re-runs `@agent.instructions` and `@agent.system_prompt` functions before every model
request of a run and passes them a `RunContext` whose `.deps` the tools may change mid-run. Text
built from a `.deps` attribute that some function here changes through such a parameter differs
from one step to the next; text built from attributes nothing changes is fixed for the run.
Which annotation and attribute hold the state is data (`run-state` of a sink in `rules/`). The
same holds for a parameter annotated with a class of the module (`state: AgentState`) whose
attributes a function changes (`state.notes.append(...)`).
"""

from __future__ import annotations

import libcst as cst

from cachelint.engine.nodes import walk
from cachelint.engine.resolve import dotted_name

# Methods that change a container in place.
MUTATORS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft", "pop", "popitem", "remove", "discard", "clear", "sort", "reverse"}
)


def annotated_params(function: cst.FunctionDef, annotation: str) -> set[str]:
    """Parameters annotated with `annotation` (`ctx: RunContext[Deps]`, `ctx: "RunContext"`)."""
    params = function.params
    return {
        p.name.value
        for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        if p.annotation is not None and _names_type(p.annotation.annotation, annotation)
    }


def changed_attributes(functions: list[cst.FunctionDef], annotation: str, attribute: str | None) -> set[str]:
    """Attributes `x` of `<param>.<attribute>.x` (or `<param>.x`) that these functions assign, delete or mutate."""
    changed: set[str] = set()
    for function in functions:
        params = annotated_params(function, annotation)
        if not params:
            continue
        for node in walk(function.body):
            for target in _changed_targets(node):
                name = _state_attribute(target, params, attribute)
                if name is not None:
                    changed.add(name)
    return changed


def _names_type(node: cst.BaseExpression, annotation: str) -> bool:
    if type(node) is cst.Subscript:
        node = node.value
    if type(node) is cst.SimpleString:
        text = node.value.strip("\"'")
        return text.split("[", 1)[0].rsplit(".", 1)[-1] == annotation
    name = dotted_name(node)
    return name is not None and name.rsplit(".", 1)[-1] == annotation


def _changed_targets(node: cst.CSTNode) -> list[cst.BaseExpression]:
    if type(node) is cst.Assign:
        return [t.target for t in node.targets]
    if type(node) in (cst.AugAssign, cst.AnnAssign):
        return [node.target]
    if type(node) is cst.Del:
        return [node.target]
    if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in MUTATORS:
        return [node.func.value]
    return []


def _state_attribute(target: cst.BaseExpression, params: set[str], attribute: str | None) -> str | None:
    """`x` when `target` is `p.<attribute>.x` (`p.x` without one), or an element or attribute inside it."""
    node: cst.BaseExpression = target
    while type(node) in (cst.Attribute, cst.Subscript):
        owner = node.value
        if type(node) is cst.Attribute and _is_state(owner, params, attribute):
            return node.attr.value
        node = owner
    return None


def _is_state(node: cst.BaseExpression, params: set[str], attribute: str | None) -> bool:
    if attribute is None:
        return type(node) is cst.Name and node.value in params
    return type(node) is cst.Attribute and node.attr.value == attribute and type(node.value) is cst.Name and node.value.value in params
