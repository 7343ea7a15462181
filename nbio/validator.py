"""Validation against the nbformat schemas, with clear problems.

:func:`validate` gives the same verdict as ``nbformat.validator.isvalid`` and never changes the
notebook (nbformat's ``validate`` repairs cell ids in place; here that is the reader's and the
writer's job, see :func:`nbio.reader.repair_ids`). It checks:

* the schema of the notebook's own version: v3.0, v4.0 ... v4.5 each against their own file; a
  newer 4.x minor against the latest schema relaxed as nbformat relaxes it (unknown keys, cell
  types and output types allowed); v1 and v2 have no schema ("No schema for validating v2.0
  notebooks"), as in nbformat;
* for 4.5 and newer, that cell ids are unique (JSON Schema cannot say that).

Each problem has a JSON pointer (``/cells/3/outputs/0/output_type``) and a message. For a cell
or an output that matches none of the allowed forms, the problems come from the schema of its
declared ``cell_type``/``output_type`` (as nbformat's ``better_validation_error`` does), or say
that the type is unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nbio.fastcheck import fast_valid
from nbio.model import Notebook
from nbio.schema import Compiled, pointer, relax, short

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
LATEST_MINOR = 5


@dataclass(frozen=True)
class Problem:
    """One validation problem: a JSON path such as ``/cells/3/outputs/0`` and a message.

    ``repairable`` is set by :func:`nbio.repair.find_problems`: the problem goes away with
    :func:`nbio.repair.repair` (:func:`validate` leaves it False).
    """

    path: str
    message: str
    repairable: bool = False

    @property
    def keys(self) -> list[str]:
        """The path's parts (``"/cells/3/id"`` -> ``["cells", "3", "id"]``), unescaped."""
        if not self.path:
            return []
        return [k.replace("~1", "/").replace("~0", "~") for k in self.path[1:].split("/")]

    @property
    def cell(self) -> int | None:
        """The index of the cell the problem is in, or ``None`` for the notebook itself."""
        keys = self.keys
        if len(keys) >= 2 and keys[0] == "cells" and keys[1].isdigit():
            return int(keys[1])
        return None

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


def _schema_file(major: int, minor: int) -> tuple[str, bool] | None:
    """(schema file, future-minor relaxation) for a version, or None when nbformat has none."""
    if major == 3:
        return ("nbformat.v3.schema.json", False) if minor == 0 else None
    if major == 4:
        if 0 <= minor <= LATEST_MINOR:
            return f"nbformat.v4.{minor}.schema.json", False
        if minor > LATEST_MINOR:
            return "nbformat.v4.schema.json", True
    return None


@cache
def _load(name: str, future: bool) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    if future:
        schema = relax(schema)
        defs = schema["definitions"]
        defs["cell"]["oneOf"].append({"$ref": "#/definitions/unrecognized_cell"})
        defs["output"]["oneOf"].append({"$ref": "#/definitions/unrecognized_output"})
    return schema


@cache
def compiled(major: int, minor: int, *, dollar_end: bool) -> Compiled | None:
    """The compiled schema nbformat would validate ``major.minor`` against (None if no schema)."""
    found = _schema_file(major, minor)
    if found is None:
        return None
    return Compiled(_load(*found), dollar_end=dollar_end)


def _duplicate_ids(cells: Any) -> list[Problem]:
    if not isinstance(cells, list):
        return []
    problems = []
    first: dict[Any, int] = {}
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict) or "id" not in cell:
            continue
        cell_id = cell["id"]
        try:
            earlier = first.setdefault(cell_id, i)
        except TypeError:
            continue  # unhashable: the schema reports it as not a string
        if earlier != i:
            problems.append(Problem(f"/cells/{i}/id",
                                    f"duplicate cell id {short(cell_id)} (cell {earlier} has it)"))
    return problems


def validate_dict(d: Any) -> list[Problem]:
    """Problems of a notebook given as nbformat's in-memory dict (or raw JSON) of any version."""
    if not isinstance(d, dict):
        return [Problem("", f"a notebook must be a JSON object, not {short(d)}")]
    major = d.get("nbformat", 1)
    minor = d.get("nbformat_minor", 0)
    if type(major) is not int or major not in (1, 2, 3, 4):
        return [Problem("/nbformat", f"unsupported nbformat version {short(major)}")]
    if major < 3:
        return [Problem("", f"No schema for validating v{major}.{minor} notebooks")]
    if type(minor) is not int:
        return [Problem("/nbformat_minor", f"must be an integer, not {short(minor)}")]
    schema = compiled(major, minor, dollar_end=False)
    if schema is None:
        return [Problem("", f"No schema for validating v{major}.{minor} notebooks")]
    problems = _duplicate_ids(d.get("cells")) if (major, minor) >= (4, LATEST_MINOR) else []
    if major == 4 and fast_valid(d, minor):
        return problems
    # nbformat's verdict: valid when fastjsonschema or jsonschema accepts. They differ only in
    # `pattern`, where fastjsonschema reads `$` as the end of the string (stricter), so what
    # jsonschema accepts is the verdict, and jsonschema's findings are what nbformat reports.
    try:
        problems.extend(Problem(pointer(e.path), e.message) for e in schema.errors(d))
    except RecursionError:  # a wrong value nested too deeply to check or to quote
        problems.append(Problem("", "values nested too deeply to validate"))
    return problems


def validate(nb: Notebook | dict[str, Any]) -> list[Problem]:
    """Return the list of problems (empty when ``nb`` is valid). ``nb`` is never modified.

    ``nb`` is a :class:`~nbio.model.Notebook` or a notebook dict of any version (e.g. parsed
    JSON as stored, to check a v3 file against the v3 schema).
    """
    return validate_dict(nb.to_dict() if isinstance(nb, Notebook) else nb)


def is_valid(nb: Notebook | dict[str, Any]) -> bool:
    """True when :func:`validate` finds no problem."""
    return not validate(nb)
