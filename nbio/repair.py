"""Repairing a notebook that opens but does not validate, as nbformat and JupyterLab repair it.

:func:`find_problems` lists what :func:`nbio.validate` finds, each problem with its cell
(:attr:`~nbio.validator.Problem.cell`) and whether :func:`repair` fixes it. :class:`Repair` is
an :class:`~nbio.edits.Edit`: applied through :meth:`nbio.edits.History.apply` it is one
undoable step, and undo puts back exactly what was there (redo reuses the same new ids).

The repairs, in order:

* the notebook: a missing ``nbformat_minor`` becomes 5 when every cell has an id, else 4;
* every cell: a v4 ``heading`` cell becomes a markdown ``#`` heading (nbformat's upgrade);
  missing ``metadata`` and ``source`` are added (``{}``, ``""``); code cells get missing
  ``outputs`` and ``execution_count`` (``[]``, ``null``; an invalid count becomes ``null``)
  and lose ``attachments``; markdown and raw cells lose ``outputs`` and ``execution_count``
  (JupyterLab's models have neither there);
* cell ids (nbformat's ``validate`` repair): for 4.5 and newer, missing ids are given, then
  duplicates and ids the schema refuses replaced; before 4.5 ids are removed (the schema of
  those versions has none);
* outputs of known types get their missing required keys (a stream's ``name`` is
  ``stdout``, ``text`` empty; ``data``/``metadata`` empty objects; an execute_result's
  ``execution_count`` null; an error's ``ename``/``evalue`` empty, ``traceback`` ``[]``);
* invalid metadata is stripped as ``nbformat.validator.normalize(...,
  strip_invalid_metadata=True)`` strips it: the notebook metadata key under which the schema
  found a problem, a cell metadata key whose value is wrong (deeper problems: the innermost
  key holding them). A kernelspec missing only ``display_name`` gets its ``name`` instead of
  being dropped.

What remains (an unknown output type, a source that is not text...) is left for the user.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from nbio.edits import Edit
from nbio.model import IdFactory, JSONDict, Notebook, default_id_factory
from nbio.validator import Problem, validate

__all__ = ["Repair", "find_problems", "repair"]

_ID_PATTERN = re.compile(r"^[a-zA-Z0-9-_]+$")
_OUTPUT_KEYS: dict[str, tuple[tuple[str, Any], ...]] = {
    "stream": (("name", "stdout"), ("text", "")),
    "display_data": (("data", {}), ("metadata", {})),
    "execute_result": (("data", {}), ("metadata", {}), ("execution_count", None)),
    "error": (("ename", ""), ("evalue", ""), ("traceback", [])),
}
_METADATA_ROUNDS = 5


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 64 and bool(_ID_PATTERN.match(value))


class Repair(Edit):
    """The repairs of the module docstring as one undoable edit.

    ``changes`` says what the last :meth:`do` changed, one sentence each (empty: the notebook
    needed nothing this can repair). ``id_factory`` makes the new cell ids.
    """

    def __init__(self, *, id_factory: IdFactory | None = None,
                 label: str = "repair notebook") -> None:
        self.label = label
        self.id_factory = id_factory or default_id_factory
        self.changes: list[str] = []
        self._before: list[tuple[JSONDict, JSONDict]] = []
        self._after: list[tuple[JSONDict, JSONDict]] | None = None
        self._touched: set[int] = set()
        self._minor: tuple[int | None, int | None] | None = None

    # recording ---------------------------------------------------------------------------------
    def _touch(self, d: JSONDict) -> JSONDict:
        """Remember ``d`` as it is before its first change (for an exact undo)."""
        if id(d) not in self._touched:
            self._touched.add(id(d))
            self._before.append((d, dict(d)))
        return d

    def _say(self, where: str, what: str) -> None:
        self.changes.append(f"{where}: {what}")

    # Edit --------------------------------------------------------------------------------------
    def do(self, nb: Notebook) -> None:
        """Repair ``nb`` (the first time), or redo exactly the first repair (after an undo)."""
        if self._after is not None:  # the undo left every touched dict as it was before
            for d, after in self._after:
                d.clear()
                d.update(after)
            if self._minor is not None:
                nb.nbformat_minor = self._minor[1]
            return
        self.changes = []
        self._before, self._touched, self._minor = [], set(), None
        try:
            self._repair(nb)
        except BaseException:
            self.undo(nb)
            raise
        self._after = [(d, dict(d)) for d, _ in self._before]

    def undo(self, nb: Notebook) -> None:
        """Put back every key and value the repair changed, in their order."""
        for d, saved in reversed(self._before):
            d.clear()
            d.update(saved)
        if self._minor is not None:
            nb.nbformat_minor = self._minor[0]

    # the repairs -------------------------------------------------------------------------------
    def _repair(self, nb: Notebook) -> None:
        if nb.nbformat != 4:
            return  # nbio holds v4 in memory; anything else is not for repair here
        cells = [c.data for c in nb.cells]
        if nb.nbformat_minor is None:
            minor = 5 if cells and all("id" in c for c in cells) else 4
            self._minor = (None, minor)
            nb.nbformat_minor = minor
            self._say("notebook", f"declared nbformat 4.{minor} (the version was missing)")
        for i, cell in enumerate(cells):
            self._repair_cell(cell, i)
        self._repair_ids(cells, nb.nbformat_minor)
        self._strip_metadata(nb)

    def _repair_cell(self, cell: JSONDict, i: int) -> None:
        where = f"cell {i}"
        if cell.get("cell_type") == "heading":
            self._touch(cell)
            level = cell.pop("level", 1)
            level = level if isinstance(level, int) and 1 <= level <= 6 else 1
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            cell["cell_type"] = "markdown"
            cell["source"] = "{} {}".format("#" * level, " ".join(text.splitlines()))
            self._say(where, "heading cell made a markdown heading")
        if not isinstance(cell.get("metadata"), dict):
            self._touch(cell)["metadata"] = {}
            self._say(where, "added empty metadata")
        if "source" not in cell:
            self._touch(cell)["source"] = ""
            self._say(where, "added an empty source")
        kind = cell.get("cell_type")
        if kind == "code":
            self._repair_code(cell, where)
        elif kind in ("markdown", "raw"):
            for key in ("outputs", "execution_count"):
                if key in cell:
                    del self._touch(cell)[key]
                    self._say(where, f"removed {key} ({kind} cells have none)")

    def _repair_code(self, cell: JSONDict, where: str) -> None:
        if not isinstance(cell.get("outputs"), list):
            self._touch(cell)["outputs"] = []
            self._say(where, "added an empty outputs list")
        count = cell.get("execution_count", "missing")
        if count is not None and (type(count) is not int or count < 0):
            self._touch(cell)["execution_count"] = None
            self._say(where, "set execution_count to null"
                      + ("" if count == "missing" else f" (was {count!r})"))
        if "attachments" in cell:
            del self._touch(cell)["attachments"]
            self._say(where, "removed attachments (code cells have none)")
        for j, output in enumerate(cell["outputs"]):
            if not isinstance(output, dict):
                continue
            for key, default in _OUTPUT_KEYS.get(str(output.get("output_type")), ()):
                if key not in output:
                    self._touch(output)[key] = copy.deepcopy(default)
                    self._say(f"{where} output {j}", f"added the missing {key!r}")

    def _repair_ids(self, cells: list[JSONDict], minor: int | None) -> None:
        if minor is None:
            return
        if minor < 5:
            for i, cell in enumerate(cells):
                if "id" in cell:
                    del self._touch(cell)["id"]
                    self._say(f"cell {i}", f"removed its id (nbformat 4.{minor} has none)")
            return
        for i, cell in enumerate(cells):  # nbformat's order: missing ids first...
            if "id" not in cell:
                self._touch(cell)["id"] = self.id_factory()
                self._say(f"cell {i}", f"gave it the id {cell['id']!r}")
        seen: set[str] = set()
        for i, cell in enumerate(cells):  # ...then duplicates (and ids the schema refuses)
            old = cell["id"]
            if not _valid_id(old) or old in seen:
                new = self.id_factory()
                while new in seen:
                    new = self.id_factory()
                self._touch(cell)["id"] = new
                why = "a duplicate" if _valid_id(old) else "not a valid id"
                self._say(f"cell {i}", f"replaced the id {old!r} ({why}) with {new!r}")
            seen.add(cell["id"])

    # metadata ----------------------------------------------------------------------------------
    def _strip_metadata(self, nb: Notebook) -> None:
        for _ in range(_METADATA_ROUNDS):
            changed = False
            for problem in validate(nb):
                changed |= self._strip_one(nb, problem)
            if not changed:
                return

    def _strip_one(self, nb: Notebook, problem: Problem) -> bool:
        keys = problem.keys
        if len(keys) >= 2 and keys[0] == "metadata":
            return self._strip_notebook_key(nb.metadata, keys[1])
        if len(keys) >= 4 and keys[0] == "cells" and keys[2] == "metadata" and keys[1].isdigit():
            index = int(keys[1])
            if index < len(nb.cells):
                return self._strip_cell_key(nb.cells[index].data, index, keys[3:])
        return False

    def _strip_notebook_key(self, metadata: JSONDict, key: str) -> bool:
        if key not in metadata:
            return False
        value = metadata[key]
        if (key == "kernelspec" and isinstance(value, dict) and isinstance(value.get("name"), str)
                and "display_name" not in value):
            self._touch(value)["display_name"] = value["name"]
            self._say("notebook", "gave the kernelspec its name as display_name")
            return True
        del self._touch(metadata)[key]
        self._say("notebook", f"removed the invalid metadata {key!r}")
        return True

    def _strip_cell_key(self, cell: JSONDict, index: int, keys: list[str]) -> bool:
        found = _innermost(cell.get("metadata"), keys)
        if found is None:
            return False
        d, key = found
        del self._touch(d)[key]
        self._say(f"cell {index}", f"removed the invalid metadata {key!r}")
        return True


def _innermost(holder: Any, keys: list[str]) -> tuple[JSONDict, str] | None:
    """The innermost (dict, key) along ``keys`` inside ``holder`` (a list or a value on the way
    ends the walk), or None when a key is gone (a problem already repaired)."""
    last: tuple[JSONDict, str] | None = None
    for key in keys:
        if not isinstance(holder, dict):
            break
        if key not in holder:
            return None
        last = (holder, key)
        holder = holder[key]
    return last


def repair(nb: Notebook, *, id_factory: IdFactory | None = None) -> Repair:
    """Repair ``nb`` in place and return the done :class:`Repair` (its ``changes`` say what
    was done; ``edit.undo(nb)`` reverts). In the editor apply ``Repair()`` through the
    history instead, so that it is one undoable step."""
    edit = Repair(id_factory=id_factory)
    edit.do(nb)
    return edit


def find_problems(nb: Notebook) -> list[Problem]:
    """:func:`nbio.validate`'s problems, each marked ``repairable`` when :func:`repair` would
    make it go away (tried on ``nb`` and undone: ``nb`` is as it was on return)."""
    problems = validate(nb)
    if not problems:
        return []
    edit = Repair()
    edit.do(nb)
    try:
        left = {(p.path, p.message) for p in validate(nb)}
    finally:
        edit.undo(nb)
    return [replace(p, repairable=(p.path, p.message) not in left) for p in problems]
