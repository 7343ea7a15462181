"""A cheap, detached copy of a notebook, taken on the UI thread and serialised elsewhere.

The editor changes its model in place (an edit sets a cell's ``source``, a kernel appends to an
``outputs`` list or rewrites an output's ``text``), so a thread may not serialise the live
model. :func:`take` copies every dict and list of the notebook and shares the strings and
numbers in them: its cost is the number of containers, not the bytes (a 50 MB notebook of a few
thousand cells copies in milliseconds), and nothing the editor does afterwards changes it.

The cell being edited is not in the model yet: its text area's lines are passed as ``editing``
(the list is copied, the lines are shared) and joined by the thread that serialises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nbio.model import Cell, Notebook
from nbio.writer import prepare_write


def copy_tree(value: Any) -> Any:
    """``value`` with every dict and list copied (iteratively: any depth), leaves shared."""
    if type(value) is dict:
        root: Any = dict(value)
    elif type(value) is list:
        root = list(value)
    else:
        return value
    stack = [root]
    while stack:
        node = stack.pop()
        items = node.items() if type(node) is dict else enumerate(node)
        for key, child in items:
            kind = type(child)
            if kind is dict:
                child = dict(child)
            elif kind is list:
                child = list(child)
            else:
                continue
            node[key] = child
            stack.append(child)
    return root


@dataclass(frozen=True)
class Editing:
    """The cell open in the editor: its index and its text area's lines (a copied list)."""

    index: int
    lines: list[str]
    newline: str = "\n"


@dataclass
class Snapshot:
    """A notebook detached from the live model (and the edited cell's lines, if any)."""

    notebook: Notebook
    editing: Editing | None = None

    def to_json(self) -> bytes:
        """The notebook as nbformat JSON (``nbio``'s bytes), the edited text put in its cell.

        Runs on the writer's thread: touches only this snapshot."""
        nb = self.notebook
        if self.editing is not None and 0 <= self.editing.index < len(nb.cells):
            nb.cells[self.editing.index].data["source"] = (
                self.editing.newline.join(self.editing.lines))
            self.editing = None
        return prepare_write(nb, "journal.ipynb").data  # a bytearray may come back: not copied


def take(nb: Notebook, editing: Editing | None = None) -> Snapshot:
    """Snapshot ``nb`` now (call on the thread that owns the model)."""
    cells = [Cell(copy_tree(c.data)) for c in nb.cells]
    copy = Notebook(cells=cells, metadata=copy_tree(nb.metadata), nbformat=nb.nbformat,
                    nbformat_minor=nb.nbformat_minor, extra=copy_tree(nb.extra))
    return Snapshot(notebook=copy, editing=editing)
