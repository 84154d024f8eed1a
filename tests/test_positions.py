"""Our lazily computed spans equal libcst's PositionProvider spans, node for node."""

from __future__ import annotations

from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from libcst.metadata import MetadataWrapper, PositionProvider

from cachelint.engine.positions import Positions

CORPUS = sorted((Path(__file__).parent / "eval").rglob("*.py"))


def assert_same_spans(source: str) -> None:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ours = Positions(module)
    assert len(list(ours.items())) == len(theirs)
    for node, r in theirs.items():
        assert ours.span(node) == (r.start.line, r.start.column + 1, r.end.line, r.end.column + 1), type(node).__name__


@pytest.mark.parametrize("path", CORPUS[::7], ids=lambda p: p.name)
def test_spans_match_libcst_on_corpus_files(path: Path) -> None:
    assert_same_spans(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "source",
    [
        "",
        "x = 1",  # no trailing newline
        "if a:\r\n    b = (1,\r\n  2)\r\n",  # CRLF
        "def f(\n    a,  # why\n):\n    return {'k': [a\n    ]}\n",
        "@dec\nclass C(B, metaclass=M):\n    '''doc\n    more'''\n",
        "s = f'{x!r:>{width}}' 'tail'\nif s:\n\tpass\n",  # tabs
        "if a:\r    b = 1\r",  # CR alone
        "# top\n\nclass C:\n  # lead\n  @d\n  async def f(self):\n      x = 1; y = g(x)\n      if x: return y\n      elif y:\n        # c\n        z = [\n  1]\n      else:\n          pass\n",
        "try:\n    a()\nexcept E as e:\n    b(e)\nelse:\n    d()\nfinally:\n    e()\n",
        "with open(p) as f, g() as h:\n    r = f.read()\nmatch r:\n    case [x]:\n        y = x\n    case _:\n        pass\n",
        "x = 'é' + \"\"\"\nmulti\n\"\"\"; y = f(x)\nz = (\n  x,\n)\n",  # non-ASCII, a string over lines
        "x = 1\n\\\n\ny = 2\n",  # a backslash continuation line alone
    ],
)
def test_spans_match_libcst_on_edge_cases(source: str) -> None:
    assert_same_spans(source)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_node())
def test_spans_match_libcst_on_generated_code(source: str) -> None:
    assert_same_spans(source)
