"""Jupyter notebooks: their code cells as one Python text, and findings mapped back to cells.

Cells are concatenated in order, one after the other, so a name defined in one cell and sent in
a later one is followed as in a script. IPython syntax (`%magic`, `!shell`, `%%cell magic`,
`name?`) is not Python: such lines become empty lines, which keeps every row where it was.
Findings carry `cell` (1-based, counting code cells only, as Ruff does) and rows inside the cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from cachelint.diagnostics import Diagnostic, Location, Related

SUFFIX = ".ipynb"


@dataclass(frozen=True)
class NotebookText:
    """The Python text of a notebook and, per code cell, the row where it starts in that text."""

    text: str
    cell_starts: tuple[int, ...]

    def cell_of(self, row: int) -> tuple[int, int]:
        """(cell number, row inside the cell) of a row of the concatenated text."""
        cell = 0
        for index, start in enumerate(self.cell_starts):
            if start <= row:
                cell = index
        return cell + 1, row - self.cell_starts[cell] + 1


class BrokenNotebook(Exception):
    """The file is not a notebook cachelint can read (not JSON, or no list of cells)."""


def is_notebook(name: str) -> bool:
    return name.endswith(SUFFIX)


def notebook_text(data: bytes) -> NotebookText:
    """The code cells of a notebook as one Python text; raises BrokenNotebook."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BrokenNotebook(f"not a valid notebook: {exc}") from None
    except RecursionError:
        raise BrokenNotebook("not a valid notebook: its JSON is nested too deeply") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise BrokenNotebook("not a valid notebook: it has no list of cells")
    lines: list[str] = []
    starts: list[int] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and not all(isinstance(line, str) for line in source):
            raise BrokenNotebook("not a valid notebook: a code cell's source is not text")
        text = "".join(source) if isinstance(source, list) else source if isinstance(source, str) else ""
        starts.append(len(lines) + 1)
        cell_lines = text.split("\n")
        if text.endswith("\n"):
            cell_lines.pop()
        # A cell magic (`%%bash`) makes the whole cell another language.
        foreign = bool(cell_lines) and cell_lines[0].lstrip().startswith("%%")
        lines.extend("" if foreign or _is_ipython(line) else line for line in cell_lines)
        if not cell_lines:
            lines.append("")
    return NotebookText("".join(line + "\n" for line in lines), tuple(starts))


def _is_ipython(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("%", "!", "?")) or (stripped.endswith("?") and not stripped.startswith("#"))


def to_cells(diagnostics: list[Diagnostic], notebook: NotebookText, filename: str) -> list[Diagnostic]:
    """Findings with rows inside their cell and `cell` set; fixes are dropped (notebooks are not rewritten)."""
    out = []
    for diag in diagnostics:
        related = tuple(_in_cell(r, notebook) if r.filename == filename else r for r in diag.related)
        if diag.filename != filename:
            out.append(replace(diag, related=related))  # a value produced in an imported module
            continue
        cell, row = notebook.cell_of(diag.location.row)
        end_cell, end_row = notebook.cell_of(diag.end_location.row)
        # A span cannot leave its cell in the output: it is cut at the start row's end.
        end = Location(end_row, diag.end_location.column) if end_cell == cell else Location(row, diag.location.column)
        out.append(replace(diag, location=Location(row, diag.location.column), end_location=end, related=related, cell=cell, fix=None))
    return out


def _in_cell(related: Related, notebook: NotebookText) -> Related:
    cell, row = notebook.cell_of(related.location.row)
    return replace(related, location=Location(row, related.location.column), message=f"(cell {cell}) {related.message}")
