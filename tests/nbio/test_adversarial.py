"""Regressions found by differential fuzzing of nbio against nbformat (adversarial inputs).

Each test pins one input on which nbio once differed from nbformat: it crashed where nbformat
refuses, refused where nbformat reads, or wrote other bytes.
"""

from __future__ import annotations

import copy
import json
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import nbformat
import nbformat.v4.convert
import nbformat.validator
import pytest

import nbio
from nbio.fileread import MAP_MIN_SIZE

from .conftest import MODES, accel_mode


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """nbformat logs validation errors; the tests compare outcomes, not logs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def _nbformat_refuses(text: str) -> bool:
    try:
        nbformat.reads(text, as_version=4)
    except Exception:  # any refusal counts
        return True
    return False


def _v3_heading(level: Any) -> str:
    cell = {"cell_type": "heading", "level": level, "source": "Title", "metadata": {}}
    return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                       "worksheets": [{"cells": [cell], "metadata": {}}]})


@MODES
@pytest.mark.parametrize("level", [2**63, -(10**20), 10**30, 2**62])
def test_v3_heading_level_too_large_is_refused_cleanly(fast: bool, level: int) -> None:
    """``"#" * level`` overflowed (or could not be allocated): nbio.reads raised OverflowError
    (MemoryError) instead of NotebookError."""
    text = _v3_heading(level)
    assert _nbformat_refuses(text)
    with accel_mode(fast), pytest.raises(nbio.NotebookError) as info:
        nbio.reads(text)
    assert info.value.where == "/worksheets/0/cells/0/level"


@MODES
@pytest.mark.parametrize("prompt", ["Infinity", "-Infinity", "1e400"])
def test_v1_infinite_prompt_number_is_refused_cleanly(fast: bool, prompt: str) -> None:
    """``int(inf)`` overflowed: nbio.reads raised OverflowError instead of NotebookError."""
    text = ('{"nbformat": 1, "cells": [{"cell_type": "code", "code": "x", "prompt_number": '
            + prompt + "}]}")
    assert _nbformat_refuses(text)
    with accel_mode(fast), pytest.raises(nbio.NotebookError) as info:
        nbio.reads(text)
    assert info.value.where == "/cells/0/prompt_number"


@MODES
def test_large_file_with_bad_utf8_is_refused_cleanly(fast: bool, tmp_path: Path) -> None:
    """A file large enough to be mapped (>= 1 MiB) with a byte that is not UTF-8 near its
    start: the error left the hashing thread reading the mapping, whose release then raised
    BufferError in place of the NotebookError."""
    pad = "x" * (8 << 20)
    data = bytearray(('{"cells": [], "metadata": {"a": "\u00e9", "pad": "' + pad + '"}, '
                      '"nbformat": 4, "nbformat_minor": 5}').encode())
    data[34] = 0xFF  # the second byte of "é"
    path = tmp_path / "bad.ipynb"
    path.write_bytes(bytes(data))
    assert len(data) >= MAP_MIN_SIZE
    for _ in range(3):
        with accel_mode(fast), pytest.raises(nbio.NotebookError) as info:
            nbio.read(path)
        assert info.value.where == "byte 33"  # where "\\xc3\\xff" begins
    nb = nbio.reads(bytes(data).replace(b"\xff", b"\xa9", 1))
    assert nb.metadata["a"] == "\u00e9"


def _nested(depth: int) -> str:
    return "[" * depth + '"x"' + "]" * depth


@pytest.mark.parametrize("where", ["tags", "execution_count", "traceback"])
def test_validate_reports_deeply_nested_wrong_values(where: str) -> None:
    """nbio reads JSON nested deeper than nbformat can (nbformat's reader gives up near 500
    levels); validating a wrong value that deep raised RecursionError (checking the tags'
    uniqueness, or quoting the value in the message). It is now reported as a problem."""
    cell: dict[str, Any] = {"cell_type": "code", "id": "a", "metadata": {}, "source": "",
                            "outputs": [], "execution_count": None}
    if where == "tags":
        cell["metadata"] = {"tags": "DEEP"}
    elif where == "execution_count":
        cell["execution_count"] = "DEEP"
    else:
        cell["outputs"] = [{"output_type": "error", "ename": "E", "evalue": "",
                            "traceback": "DEEP"}]
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]})
    for depth in range(1000, 0, -5):  # the deepest nesting the reader accepts here
        try:
            read = nbio.reads(text.replace('"DEEP"', _nested(depth)))
            break
        except nbio.NotebookError:
            continue
    assert depth > 500
    problems = nbio.validate(read)
    assert problems
    assert not nbio.is_valid(read)


@MODES
@pytest.mark.parametrize(("major", "doc"), [
    ("true", '{"cells": [{"cell_type": "code", "code": "x = 1", "prompt_number": 2}]}'),
    ("1.0", '{"cells": [{"cell_type": "text", "text": "# hi"}]}'),
    ("2.0", '{"metadata": {}, "worksheets": [{"cells": [{"cell_type": "code", '
            '"input": ["a", "b"], "language": "python", "collapsed": false, "outputs": []}]}]}'),
])
def test_v1_v2_with_a_bool_or_float_major_read_as_nbformat_reads_them(fast: bool, major: str,
                                                                      doc: str) -> None:
    """nbformat looks the major version up by equality (``true`` and ``1.0`` are v1, ``2.0``
    is v2) and reads such files; nbio refused them as an unsupported version."""
    text = doc[:-1] + ', "nbformat": ' + major + "}"
    ids = iter(range(100))
    with mock.patch.object(nbformat.v4.convert, "random_cell_id",
                           lambda: format(next(ids), "08x")):
        expected = nbformat.writes(nbformat.reads(text, as_version=4))
    ours_ids = iter(range(100))
    with accel_mode(fast):
        nb = nbio.reads(text, id_factory=lambda: format(next(ours_ids), "08x"))
        assert nbio.writes(nb) == expected


@pytest.mark.parametrize("output_type", [[1], {"a": 1}])
@pytest.mark.parametrize("minor", [4, 6])
def test_validate_an_output_type_that_is_not_hashable(minor: int, output_type: Any) -> None:
    """In a future minor (4.6+) an output with a list or dict ``output_type`` is an
    unrecognized output, valid for nbformat; nbio.validate raised TypeError (a set lookup)."""
    nb = {"nbformat": 4, "nbformat_minor": minor, "metadata": {},
          "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": "",
                     "execution_count": None, "outputs": [{"output_type": output_type}]}]}
    expected = nbformat.validator.isvalid(nbformat.from_dict(copy.deepcopy(nb)))
    assert nbio.is_valid(nb) == expected == (minor > 5)
