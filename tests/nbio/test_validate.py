"""nbio.validate against nbformat.validator.isvalid (used here as the reference only)."""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.validator import isvalid

import nbio
from nbio.fastcheck import fast_valid
from nbio.validator import compiled, validate_dict

from .conftest import CORPUS, NOTEBOOKS, READABLE


def _nbformat_verdict(d: dict[str, Any]) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bool(isvalid(nbformat.from_dict(copy.deepcopy(d))))


def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_same_verdict_on_stored_json(name: str) -> None:
    raw = _raw(name)
    before = copy.deepcopy(raw)
    assert (validate_dict(raw) == []) == _nbformat_verdict(raw)
    assert raw == before  # validation never repairs


@pytest.mark.parametrize("name", READABLE)
def test_same_verdict_after_read(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = nbformat.read(CORPUS / name, as_version=4)
        ours = nbio.read(CORPUS / name)
    assert nbio.is_valid(ours) == _nbformat_verdict(theirs)


@pytest.mark.parametrize("folder", ["expected_v4", "expected_v4_5", "expected_normalized"])
def test_same_verdict_on_expected_files(folder: str) -> None:
    for path in sorted((CORPUS / folder).glob("*.ipynb")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert (validate_dict(raw) == []) == _nbformat_verdict(raw), path.name


def test_problems_name_the_place() -> None:
    problems = nbio.validate(nbio.read(CORPUS / "invalid.ipynb"))
    paths = [p.path for p in problems]
    assert paths == ["/cells/0", "/cells/2/cell_type", "/cells/3/outputs/0/output_type"]
    assert "missing required key 'source'" in problems[0].message
    assert '"heading"' in problems[1].message
    assert '"bad stream"' in problems[2].message
    assert str(problems[2]).startswith("/cells/3/outputs/0/output_type: ")


def test_metadata_problems() -> None:
    problems = validate_dict(_raw("v4_5_invalid_metadata.ipynb"))
    paths = {p.path for p in problems}
    assert "/metadata/kernelspec" in paths
    assert "/cells/0/metadata/collapsed" in paths
    assert "/cells/0/metadata/tags" in paths or "/cells/0/metadata/tags/0" in paths


def test_duplicate_ids_reported_not_repaired() -> None:
    raw = _raw("invalid_unique_cell_id.ipynb")
    problems = validate_dict(raw)
    assert [str(p) for p in problems] == ['/cells/1/id: duplicate cell id "dup" (cell 0 has it)']
    assert [c["id"] for c in raw["cells"]] == ["dup", "dup"]


def test_no_schema_for_v2() -> None:
    assert [p.message for p in validate_dict(_raw("test2.ipynb"))] == [
        "No schema for validating v2.0 notebooks"
    ]


def _minimal(minor: int, **cell: Any) -> dict[str, Any]:
    base = {"cell_type": "markdown", "metadata": {}, "source": "x"}
    base.update(cell)
    return {"nbformat": 4, "nbformat_minor": minor, "metadata": {}, "cells": [base]}


@pytest.mark.parametrize(
    "doc",
    [
        _minimal(2, id="abc"),  # ids are forbidden before 4.5
        _minimal(5),  # and required from 4.5
        _minimal(5, id="abc\n"),  # nbformat accepts: jsonschema's `$` matches before "\n"
        _minimal(5, id="a" * 65),
        _minimal(5, id=""),
        _minimal(7, id="x", extra_key=1),  # future minor: relaxed
        _minimal(7, id="x", cell_type="new-kind"),
        _minimal(4, metadata={"tags": ["a", "a"]}),
        _minimal(4, metadata={"tags": ["a,b"]}),
        _minimal(4, metadata={"name": "line\n"}),
        _minimal(4, metadata={"jupyter": {"source_hidden": "BAD"}}),
        _minimal(1, metadata={"jupyter": "BAD"}),  # 4.1 does not know `jupyter`
        _minimal(3, metadata={"jupyter": "BAD"}),
        _minimal(-1),
    ],
)
def test_edge_verdicts(doc: dict[str, Any]) -> None:
    assert (validate_dict(doc) == []) == _nbformat_verdict(doc)


def test_future_minor_against_its_own_rules() -> None:
    raw = _raw("test4plus.ipynb")
    assert validate_dict(raw) == []
    raw["nbformat_minor"] = 3
    assert validate_dict(raw) != []
    assert not _nbformat_verdict(raw)


def test_fast_path_never_accepts_what_the_schema_rejects() -> None:
    docs: list[tuple[dict[str, Any], int]] = []
    for folder in (CORPUS, CORPUS / "expected_v4", CORPUS / "expected_v4_5"):
        for path in sorted(folder.glob("*.ipynb")):
            raw = json.loads(path.read_text(encoding="utf-8"))
            minor = raw.get("nbformat_minor", 0)
            if raw.get("nbformat") == 4 and isinstance(minor, int) and minor >= 0:
                docs.append((raw, minor))
    assert any(fast_valid(d, m) for d, m in docs)
    for d, minor in docs:
        schema = compiled(4, minor, dollar_end=True)
        assert schema is not None
        if fast_valid(d, minor):
            assert schema.errors(d) == []


def test_big_notebooks_valid(big_dir: Path) -> None:
    for path in sorted(big_dir.glob("*.ipynb")):
        nb = nbio.read(path)
        assert nbio.validate(nb) == []
        schema = compiled(4, 5, dollar_end=True)
        assert schema is not None and schema.errors(nb.to_dict()) == []


_CODE_CELL = {"cell_type": "code", "metadata": {}, "source": "x", "outputs": []}


@pytest.mark.parametrize("cell", [
    *({"id": i} for i in ["abc", "A-b_9", "-", "_", "\u00e9", "\u0661\u0662", "a b", "x" * 64,
                          "x" * 65, "abc\n", "", "\uff21"]),
    {"id": "a", "execution_count": None}, {"id": "a", "execution_count": 0},
    {"id": "a", "execution_count": -1}, {"id": "a", "execution_count": False},
    {"id": "a", "execution_count": True}, {"id": "a", "execution_count": 1.0},
    {"id": "a"},  # no execution_count at all
], ids=repr)
def test_fast_check_of_ids_and_counts_agrees_with_nbformat(cell: dict[str, Any]) -> None:
    doc = _minimal(5, **(_CODE_CELL | {"execution_count": 1} | cell))
    if cell == {"id": "a"}:
        del doc["cells"][0]["execution_count"]
    verdict = _nbformat_verdict(doc)
    assert (validate_dict(doc) == []) == verdict
    # the fast check is as strict as the schema here, except where `$` lets "\n" through
    assert fast_valid(doc, 5) == verdict or (cell.get("id") == "abc\n" and verdict)
