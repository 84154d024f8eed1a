"""Line and column spans of libcst nodes, computed on first use.

libcst's `PositionProvider` costs more than the parse itself: it updates a line and column with
a regular expression for every token and opens a generator context for every node. Here code
generation only counts characters and records offsets; offsets become lines and columns when a
span is asked for. Many files never ask (nothing to report), and then nothing is computed.
The spans are the same as `PositionProvider`'s (a test compares them).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = tuple[int, int, int, int]  # start line, start column, end line, end column (1-based columns)

_NEWLINE = re.compile(r"\r\n?|\n")  # what libcst counts as a line break


class Positions:
    """Spans of every node of one module: `span(node)` is (line, column, end line, end column)."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._offsets: dict[int, tuple[cst.CSTNode, int, int]] | None = None
        self._line_starts: list[int] = []
        # Nodes made by the analysis that stand for a node of the tree (the call a forwarder makes),
        # with that node; both are held, so the id stays theirs.
        self._stand_ins: dict[int, tuple[cst.CSTNode, cst.CSTNode]] = {}

    def stand_in(self, node: cst.CSTNode, original: cst.CSTNode) -> None:
        """Give `node`, which is not in the tree, the span of `original` (or of the tree node that
        `original` stands for)."""
        if id(original) in self._stand_ins:
            original = self._stand_ins[id(original)][1]
        self._stand_ins[id(node)] = (node, original)

    def span(self, node: cst.CSTNode) -> Span:
        if self._stand_ins and id(node) in self._stand_ins:
            node = self._stand_ins[id(node)][1]
        offsets = self._computed()
        _, start, end = offsets[id(node)]
        first, column = self._point(start)
        last, end_column = self._point(end)
        return (first, column, last, end_column)

    def items(self) -> Iterator[tuple[cst.CSTNode, Span]]:
        """Every node with its span."""
        for node, _, _ in list(self._computed().values()):
            yield node, self.span(node)

    def _computed(self) -> dict[int, tuple[cst.CSTNode, int, int]]:
        if self._offsets is None:
            state = _OffsetState(self.module)
            self.module._codegen(state)
            self._offsets = state.offsets
            self._line_starts = [0, *(m.end() for m in _NEWLINE.finditer(state.text()))]
        return self._offsets

    def _point(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


class _OffsetState(CodegenState):
    """libcst's code generation, recording each node's start and end offsets in the output."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.offsets: dict[int, tuple[cst.CSTNode, int, int]] = {}
        self._starts: list[int] = []
        self._full: str | None = None

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._starts.append(self.offset)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._starts.pop()
        # A syntactic span recorded inside the node's own code generation takes precedence.
        if id(node) not in self.offsets:
            self.offsets[id(node)] = (node, start, self.offset)

    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> _Syntactic:
        return _Syntactic(self, node, start_node, end_node)

    def pop_trailing_newline(self) -> None:
        # Offsets already recorded count the popped newline, as libcst's positions do.
        self._full = "".join(self.tokens)
        super().pop_trailing_newline()

    def text(self) -> str:
        return self._full if self._full is not None else "".join(self.tokens)


class _Syntactic:
    """The span of a node without the whitespace it owns (libcst's `record_syntactic_position`)."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _OffsetState, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node
        self.start = 0

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is not None:
            return  # code generation failed (RecursionError on a deep tree): its nodes were never recorded
        offsets = self.state.offsets
        start = offsets[id(self.start_node)][1] if self.start_node is not None else self.start
        end = offsets[id(self.end_node)][2] if self.end_node is not None else self.state.offset
        offsets[id(self.node)] = (self.node, start, end)
