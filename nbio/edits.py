"""Cell-level edits as command objects, and an undo history that batches them.

Every edit is an :class:`Edit` with ``do(nb)``, ``undo(nb)`` and a ``label`` (shaped like
Textual's ``document/_edit.py``). Positions are indices in ``nb.cells`` at the time the edit is
applied. ``do`` checks its arguments first and raises :class:`EditError` (a ``ValueError``)
before touching anything, so a refused edit changes nothing and is not recorded.

Undo restores the notebook *exactly*: the same :class:`~nbio.model.Cell` objects at the same
places, and each changed cell dict gets back its previous keys and values (in their previous
order). Redo re-applies an edit on the state its undo left, so cells an edit creates (split
parts) are made once and reused: their identity and ids are stable across undo/redo.

Behaviour chosen to match JupyterLab (``packages/notebook/src/actions.tsx``):

* :class:`MergeCells` keeps the first cell (its type, id, metadata) and joins the sources. The
  default separator is ``"\\n"`` (docs/nbio-api.md); JupyterLab joins with ``"\\n\\n"``, pass
  ``separator="\\n\\n"`` for that. Like JupyterLab, a merged code cell loses its outputs and
  execution count (its source changed, they no longer belong to it), and a merged markdown or raw
  cell collects the attachments of all merged markdown/raw cells.
* :class:`SplitCell` keeps the original cell (and id) as the first part; the other parts are new
  cells of the same type with a copy of the metadata and fresh ids from an injectable id
  factory (no id when the notebook's cells have none, i.e. format < 4.5). Like JupyterLab,
  leading and trailing newlines of each part are dropped (``strip_newlines=False`` keeps them)
  and a split code cell has no outputs afterwards. Attachments go to the parts that reference
  them (``attachment:NAME``); unreferenced ones stay on the first part.
* :class:`ClearOutputs` empties outputs and resets the execution count (``clearExecution``).
* :class:`ChangeCellType` to markdown/raw drops ``outputs`` and ``execution_count`` (the schema
  forbids them there); to code it adds ``outputs=[]`` and ``execution_count=None`` and drops
  ``attachments`` (forbidden on code cells). Undo puts everything back.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise

from nbio.model import CELL_TYPES, Cell, IdFactory, JSONDict, Notebook, Output, default_id_factory

__all__ = [
    "Batch",
    "ChangeCellType",
    "ClearOutputs",
    "DeleteCells",
    "Edit",
    "EditError",
    "History",
    "InsertCells",
    "MergeCells",
    "MoveCells",
    "SetExecutionCount",
    "SetOutputs",
    "SetSource",
    "SplitCell",
]

_CODE_ONLY_KEYS = ("outputs", "execution_count")


class EditError(ValueError):
    """An edit that cannot apply to this notebook (bad index, wrong cell type...)."""


class Edit:
    """A reversible change to a notebook.

    Subclasses implement :meth:`do` and :meth:`undo`; ``undo`` is only called right after
    ``do`` (or after the edits done later were undone), and ``do`` again only after ``undo``.
    """

    label: str = "edit"

    def do(self, nb: Notebook) -> None:
        """Apply the edit to ``nb``; raise :class:`EditError` without changing anything if it
        cannot apply."""
        raise NotImplementedError

    def undo(self, nb: Notebook) -> None:
        """Revert what the last :meth:`do` did."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label!r}>"


# helpers -----------------------------------------------------------------------------------


def _check_index(nb: Notebook, index: int, what: str = "cell index") -> None:
    if not isinstance(index, int) or not 0 <= index < len(nb.cells):
        raise EditError(f"{what} {index!r} out of range (notebook has {len(nb.cells)} cells)")


def _check_indices(nb: Notebook, indices: Sequence[int]) -> list[int]:
    if not indices:
        raise EditError("no cells given")
    for i in indices:
        _check_index(nb, i)
    unique = sorted(set(indices))
    if len(unique) != len(indices):
        raise EditError(f"duplicate cell indices in {list(indices)!r}")
    return unique


def _check_code(nb: Notebook, index: int) -> Cell:
    _check_index(nb, index)
    cell = nb.cells[index]
    if cell.cell_type != "code":
        raise EditError(f"cell {index} is a {cell.cell_type} cell, not a code cell")
    return cell


def _restore(cell: Cell, saved: JSONDict) -> None:
    """Give ``cell.data`` back exactly the keys/values (and order) of ``saved``."""
    cell.data.clear()
    cell.data.update(saved)


# cell list edits ---------------------------------------------------------------------------


class InsertCells(Edit):
    """Insert ``cells`` so that the first one ends up at ``index`` (``len(nb)`` appends)."""

    def __init__(self, index: int, cells: Sequence[Cell], *, label: str = "insert cells") -> None:
        if not cells:
            raise EditError("no cells to insert")
        self.index = index
        self.cells = list(cells)
        self.label = label

    def do(self, nb: Notebook) -> None:
        if not isinstance(self.index, int) or not 0 <= self.index <= len(nb.cells):
            raise EditError(f"insert position {self.index!r} out of range")
        nb.cells[self.index : self.index] = self.cells

    def undo(self, nb: Notebook) -> None:
        del nb.cells[self.index : self.index + len(self.cells)]


class DeleteCells(Edit):
    """Delete the cells at ``indices`` (any order, no duplicates)."""

    def __init__(self, indices: Sequence[int], *, label: str = "delete cells") -> None:
        self.indices = list(indices)
        self.label = label
        self._removed: list[tuple[int, Cell]] = []

    def do(self, nb: Notebook) -> None:
        order = _check_indices(nb, self.indices)
        self._removed = [(i, nb.cells[i]) for i in order]
        for i in reversed(order):
            del nb.cells[i]

    def undo(self, nb: Notebook) -> None:
        for i, cell in self._removed:  # ascending: each index is final once earlier ones are in
            nb.cells.insert(i, cell)

    @property
    def removed(self) -> list[Cell]:
        """The cells the last :meth:`do` removed, in notebook order."""
        return [c for _, c in self._removed]


class MoveCells(Edit):
    """Move the contiguous block of cells at ``indices`` by ``delta`` places (negative: up)."""

    def __init__(self, indices: Sequence[int], delta: int, *, label: str = "move cells") -> None:
        self.indices = list(indices)
        self.delta = delta
        self.label = label

    def _block(self, nb: Notebook) -> tuple[int, int]:
        order = _check_indices(nb, self.indices)
        first, last = order[0], order[-1]
        if last - first + 1 != len(order):
            raise EditError(f"cells to move must be contiguous, got {self.indices!r}")
        return first, last + 1

    def do(self, nb: Notebook) -> None:
        start, stop = self._block(nb)
        if start + self.delta < 0 or stop + self.delta > len(nb.cells):
            raise EditError(f"cannot move cells {start}..{stop - 1} by {self.delta}")
        block = nb.cells[start:stop]
        del nb.cells[start:stop]
        nb.cells[start + self.delta : start + self.delta] = block

    def undo(self, nb: Notebook) -> None:
        start, stop = (min(self.indices) + self.delta, max(self.indices) + 1 + self.delta)
        block = nb.cells[start:stop]
        del nb.cells[start:stop]
        nb.cells[start - self.delta : start - self.delta] = block


class MergeCells(Edit):
    """Merge the cells at ``indices`` into the first of them (see the module docstring)."""

    def __init__(
        self, indices: Sequence[int], *, separator: str = "\n", label: str = "merge cells"
    ) -> None:
        self.indices = list(indices)
        self.separator = separator
        self.label = label
        self._saved: JSONDict = {}
        self._removed: list[tuple[int, Cell]] = []

    def do(self, nb: Notebook) -> None:
        order = _check_indices(nb, self.indices)
        if len(order) < 2:
            raise EditError("merging needs at least two cells")
        cells = [nb.cells[i] for i in order]
        primary = cells[0]
        self._saved = dict(primary.data)
        self._removed = [(i, nb.cells[i]) for i in order[1:]]
        source = self.separator.join(c.source for c in cells)
        if primary.cell_type == "code":
            primary.data["outputs"] = []
            primary.data["execution_count"] = None
        elif primary.cell_type in ("markdown", "raw"):
            attachments: JSONDict = {}
            for c in cells:
                if c.cell_type in ("markdown", "raw") and c.attachments:
                    attachments.update(c.attachments)
            if attachments:
                primary.data["attachments"] = attachments
        primary.data["source"] = source
        for i, _ in reversed(self._removed):
            del nb.cells[i]

    def undo(self, nb: Notebook) -> None:
        for i, cell in self._removed:
            nb.cells.insert(i, cell)
        _restore(nb.cells[min(self.indices)], self._saved)


def _references(source: str, name: str) -> bool:
    return f"attachment:{name}" in source


class SplitCell(Edit):
    """Split the cell at ``index`` at the character ``offsets`` of its source.

    ``offsets`` are positions in the source (0 < offset < len(source) is the useful range;
    0 and len(source) give an empty part, as JupyterLab does with a cursor at either end).
    """

    def __init__(
        self,
        index: int,
        offsets: Sequence[int],
        *,
        id_factory: IdFactory = default_id_factory,
        strip_newlines: bool = True,
        label: str = "split cell",
    ) -> None:
        self.index = index
        self.offsets = list(offsets)
        self.id_factory = id_factory
        self.strip_newlines = strip_newlines
        self.label = label
        self._saved: JSONDict = {}
        self._new_cells: list[Cell] | None = None

    def _parts(self, source: str) -> list[str]:
        if not self.offsets:
            raise EditError("no split offsets given")
        bounds = sorted(self.offsets)
        if bounds[0] < 0 or bounds[-1] > len(source):
            raise EditError(f"split offsets {self.offsets!r} outside the source (0..{len(source)})")
        edges = [0, *bounds, len(source)]
        parts = [source[a:b] for a, b in pairwise(edges)]
        if self.strip_newlines:
            parts = [p.strip("\n") for p in parts]
        return parts

    def do(self, nb: Notebook) -> None:
        _check_index(nb, self.index)
        cell = nb.cells[self.index]
        parts = self._parts(cell.source)
        self._saved = dict(cell.data)
        if self._new_cells is None:  # first do: build the new parts once, reuse them on redo
            self._new_cells = [self._new_part(cell, part) for part in parts[1:]]
        cell.data["source"] = parts[0]
        if cell.cell_type == "code":
            cell.data["outputs"] = []
            cell.data["execution_count"] = None
        attachments = cell.attachments
        if attachments:
            keep = {
                name: value
                for name, value in attachments.items()
                if _references(parts[0], name)
                or not any(_references(p, name) for p in parts[1:])
            }
            cell.data["attachments"] = keep
        nb.cells[self.index + 1 : self.index + 1] = self._new_cells

    def _new_part(self, cell: Cell, source: str) -> Cell:
        data: JSONDict = {"cell_type": cell.cell_type}
        if "id" in cell.data:
            data["id"] = self.id_factory()
        data["metadata"] = copy.deepcopy(cell.metadata)
        data["source"] = source
        if cell.cell_type == "code":
            data["execution_count"] = None
            data["outputs"] = []
        attachments = cell.attachments
        if attachments:
            mine = {
                name: copy.deepcopy(value)
                for name, value in attachments.items()
                if _references(source, name)
            }
            if mine:
                data["attachments"] = mine
        return Cell(data)

    def undo(self, nb: Notebook) -> None:
        assert self._new_cells is not None
        del nb.cells[self.index + 1 : self.index + 1 + len(self._new_cells)]
        _restore(nb.cells[self.index], self._saved)

    @property
    def new_cells(self) -> list[Cell]:
        """The cells made for the second and later parts (empty before the first do)."""
        return list(self._new_cells or [])


# cell content edits ------------------------------------------------------------------------


class _CellDictEdit(Edit):
    """An edit changing the dicts of some cells; undo restores saved shallow copies."""

    def __init__(self, indices: Sequence[int], label: str) -> None:
        self.indices = list(indices)
        self.label = label
        self._saved: list[tuple[Cell, JSONDict]] = []

    def _check(self, nb: Notebook) -> list[Cell]:
        return [nb.cells[i] for i in _check_indices(nb, self.indices)]

    def _change(self, cell: Cell) -> None:
        raise NotImplementedError

    def do(self, nb: Notebook) -> None:
        cells = self._check(nb)
        self._saved = [(c, dict(c.data)) for c in cells]
        for c in cells:
            self._change(c)

    def undo(self, nb: Notebook) -> None:
        for cell, saved in self._saved:
            _restore(cell, saved)


class ChangeCellType(_CellDictEdit):
    """Change the cells at ``indices`` to ``cell_type`` (see the module docstring)."""

    def __init__(
        self, indices: Sequence[int], cell_type: str, *, label: str | None = None
    ) -> None:
        if cell_type not in CELL_TYPES:
            raise EditError(f"unknown cell type {cell_type!r} (expected one of {CELL_TYPES})")
        super().__init__(indices, label or f"change to {cell_type}")
        self.cell_type = cell_type

    def _change(self, cell: Cell) -> None:
        if cell.cell_type == self.cell_type:
            return
        data = cell.data
        data["cell_type"] = self.cell_type
        if self.cell_type == "code":
            data.pop("attachments", None)
            data.setdefault("execution_count", None)
            data.setdefault("outputs", [])
        else:
            for key in _CODE_ONLY_KEYS:
                data.pop(key, None)


class SetSource(_CellDictEdit):
    """Replace the source of the cell at ``index``."""

    def __init__(self, index: int, source: str, *, label: str = "edit source") -> None:
        super().__init__([index], label)
        self.source = source

    def _change(self, cell: Cell) -> None:
        cell.data["source"] = self.source


class ClearOutputs(_CellDictEdit):
    """Empty the outputs and reset the execution count of the code cells among ``indices``
    (other cells are left alone, as JupyterLab's "clear outputs" does)."""

    def __init__(self, indices: Sequence[int], *, label: str = "clear outputs") -> None:
        super().__init__(indices, label)

    def _change(self, cell: Cell) -> None:
        if cell.cell_type == "code":
            cell.data["outputs"] = []
            cell.data["execution_count"] = None


class SetExecutionCount(_CellDictEdit):
    """Set the execution count of the code cell at ``index``."""

    def __init__(
        self, index: int, count: int | None, *, label: str = "set execution count"
    ) -> None:
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise EditError(f"execution count must be an int or None, not {count!r}")
        if count is not None and count < 0:
            raise EditError(f"execution count must be >= 0, not {count}")
        super().__init__([index], label)
        self.count = count

    def _check(self, nb: Notebook) -> list[Cell]:
        return [_check_code(nb, self.indices[0])]

    def _change(self, cell: Cell) -> None:
        cell.data["execution_count"] = self.count


class SetOutputs(_CellDictEdit):
    """Replace the outputs list of the code cell at ``index`` (the list is stored as given)."""

    def __init__(self, index: int, outputs: list[Output], *, label: str = "set outputs") -> None:
        super().__init__([index], label)
        self.outputs = outputs

    def _check(self, nb: Notebook) -> list[Cell]:
        return [_check_code(nb, self.indices[0])]

    def _change(self, cell: Cell) -> None:
        cell.data["outputs"] = self.outputs


class Batch(Edit):
    """Several edits undone and redone as one step (what :meth:`History.batch` records)."""

    def __init__(self, edits: Sequence[Edit] = (), *, label: str = "edits") -> None:
        self.edits = list(edits)
        self.label = label

    def do(self, nb: Notebook) -> None:
        done: list[Edit] = []
        try:
            for edit in self.edits:
                edit.do(nb)
                done.append(edit)
        except Exception:
            for edit in reversed(done):
                edit.undo(nb)
            raise

    def undo(self, nb: Notebook) -> None:
        for edit in reversed(self.edits):
            edit.undo(nb)


# history -----------------------------------------------------------------------------------


@dataclass
class _Step:
    edit: Edit
    serial: int


Listener = Callable[[Edit, str], None]
"""Called as ``listener(edit, action)`` after ``action`` ("do", "undo", "redo") ran."""


@dataclass
class History:
    """The undo/redo history of one notebook.

    ``apply`` does an edit and records it (dropping the redo stack); ``batch`` groups the edits
    applied inside it into one undo step; at most ``limit`` steps are kept (the oldest are
    forgotten). ``dirty`` says whether the notebook differs from the state of the last
    :meth:`mark_saved`; a fresh history counts the notebook it was given as saved.
    ``listeners`` are called after every do/undo/redo (views refresh from them).
    """

    nb: Notebook
    limit: int = 1000
    listeners: list[Listener] = field(default_factory=list)
    _undo: deque[_Step] = field(init=False, repr=False)
    _redo: list[_Step] = field(init=False, default_factory=list, repr=False)
    _serial: int = field(init=False, default=0, repr=False)
    _base: int = field(init=False, default=0, repr=False)
    _saved: int | None = field(init=False, default=0, repr=False)
    _open: list[Batch] = field(init=False, default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("history limit must be at least 1")
        self._undo = deque()

    # state ---------------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        """Whether :meth:`undo` would do something."""
        return bool(self._undo) and not self._open

    @property
    def can_redo(self) -> bool:
        """Whether :meth:`redo` would do something."""
        return bool(self._redo) and not self._open

    @property
    def undo_label(self) -> str | None:
        """Label of the step :meth:`undo` would revert."""
        return self._undo[-1].edit.label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        """Label of the step :meth:`redo` would re-apply."""
        return self._redo[-1].edit.label if self._redo else None

    def _current(self) -> int:
        return self._undo[-1].serial if self._undo else self._base

    @property
    def dirty(self) -> bool:
        """True when the notebook differs from the last :meth:`mark_saved` point."""
        return bool(self._open) or self._current() != self._saved

    def mark_saved(self) -> None:
        """Remember the current state as the saved one."""
        self._saved = self._current()

    def mark_dirty(self) -> None:
        """Mark the notebook changed outside the history (e.g. live outputs), until the next
        :meth:`mark_saved`."""
        self._saved = None

    # operations ----------------------------------------------------------------------------
    def _notify(self, edit: Edit, action: str) -> None:
        for listener in list(self.listeners):
            listener(edit, action)

    def apply(self, edit: Edit) -> None:
        """Do ``edit`` and record it (inside a batch: as part of that batch)."""
        edit.do(self.nb)
        if self._open:
            self._open[-1].edits.append(edit)
        else:
            self._push(edit)
        self._notify(edit, "do")

    def _push(self, edit: Edit) -> None:
        self._serial += 1
        self._undo.append(_Step(edit, self._serial))
        self._redo.clear()
        while len(self._undo) > self.limit:
            self._base = self._undo.popleft().serial

    def undo(self) -> Edit | None:
        """Revert the last step; return it (``None`` when there is nothing to undo)."""
        self._no_open_batch("undo")
        if not self._undo:
            return None
        step = self._undo.pop()
        step.edit.undo(self.nb)
        self._redo.append(step)
        self._notify(step.edit, "undo")
        return step.edit

    def redo(self) -> Edit | None:
        """Re-apply the last undone step; return it (``None`` when there is nothing)."""
        self._no_open_batch("redo")
        if not self._redo:
            return None
        step = self._redo.pop()
        step.edit.do(self.nb)
        self._undo.append(step)
        self._notify(step.edit, "redo")
        return step.edit

    def _no_open_batch(self, what: str) -> None:
        if self._open:
            raise RuntimeError(f"cannot {what} inside a batch")

    @contextmanager
    def batch(self, label: str) -> Iterator[Batch]:
        """Group the edits applied inside the ``with`` block into one undo step.

        Nested batches join the outermost one. If the block raises, the edits it applied are
        undone (the notebook is as before the block) and the exception propagates.
        """
        group = Batch(label=label)
        self._open.append(group)
        try:
            yield group
        except BaseException:
            self._open.pop()
            group.undo(self.nb)
            if group.edits:
                self._notify(group, "undo")
            raise
        self._open.pop()
        if not group.edits:
            return
        if self._open:
            self._open[-1].edits.append(group)
        else:
            self._push(group)

    def clear(self) -> None:
        """Forget all steps (the current state stays the saved one if it was)."""
        clean = not self.dirty
        self._undo.clear()
        self._redo.clear()
        self._serial += 1
        self._base = self._serial
        self._saved = self._base if clean else None
