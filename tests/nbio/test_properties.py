"""Property tests: on generated notebooks, nbio reads, writes and judges as nbformat does."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import os
import traceback
import warnings
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import nbformat
import nbformat.corpus.words
import nbformat.v4.convert
import nbformat.v4.nbbase
import nbformat.validator
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat.validator import isvalid

import nbio
from nbio.fastcheck import fast_valid
from nbio.jsonwrite import _lines, dumps, dumps_notebook_utf8
from nbio.validator import compiled, validate_dict

from .conftest import MODES, accel_mode
from .strategies import json_values, mutate, notebook_v3, notebook_v4, text

# NBIO_EXAMPLES=500 for a thorough run; the default keeps the suite to seconds
SETTINGS = settings(max_examples=int(os.environ.get("NBIO_EXAMPLES", "25")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def _counter() -> Callable[[], str]:
    counter = itertools.count()
    return lambda: format(next(counter), "08x")


@contextlib.contextmanager
def nbformat_ids(factory: Callable[[], str]) -> Iterator[None]:
    """Make nbformat's random cell ids come from ``factory`` (as regen_expected.py does)."""
    with contextlib.ExitStack() as stack:
        for target in (nbformat.corpus.words, nbformat.v4.convert, nbformat.v4.nbbase,
                       nbformat.validator):
            name = "random_cell_id" if hasattr(target, "random_cell_id") else \
                "generate_corpus_id"
            stack.enter_context(mock.patch.object(target, name, factory))
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        yield


def _nbformat_round_trip(text: str) -> tuple[Any, str]:
    with nbformat_ids(_counter()):
        nb = nbformat.reads(text, as_version=4)
        return nb, nbformat.writes(nb)


def _nbio_round_trip(text: str | bytes) -> tuple[nbio.Notebook, str]:
    ids = _counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbio.reads(text, id_factory=ids)
        return nb, nbio.writes(nb, id_factory=ids)


def _isvalid(d: Any) -> bool:
    """nbformat's verdict; a notebook it crashes on (e.g. a string minor) counts as invalid."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return bool(isvalid(nbformat.from_dict(copy.deepcopy(d))))
        except (AssertionError, TypeError, KeyError, AttributeError, ImportError, ValueError):
            return False


@MODES
@SETTINGS
@given(notebook_v4(), st.sampled_from([None, 1, 2]))
def test_v4_reads_and_writes_like_nbformat(fast: bool, raw: dict[str, Any],
                                           indent: int | None) -> None:
    text = json.dumps(raw, indent=indent, ensure_ascii=bool(indent == 2))
    theirs, their_text = _nbformat_round_trip(text)
    with accel_mode(fast):
        ours, our_text = _nbio_round_trip(text)
        _, text_from_bytes = _nbio_round_trip(text.encode("utf-8"))
    assert our_text == their_text
    assert dumps_notebook_utf8(ours.to_dict()) == our_text.encode("utf-8", "surrogatepass")
    assert ours.to_dict() == theirs
    assert text_from_bytes == their_text
    assert nbio.is_valid(ours) == _isvalid(theirs)


@MODES
@SETTINGS
@given(notebook_v3())
def test_v3_upgrades_like_nbformat(fast: bool, raw: dict[str, Any]) -> None:
    text = json.dumps(raw)
    theirs, their_text = _nbformat_round_trip(text)
    with accel_mode(fast):
        ours, our_text = _nbio_round_trip(text)
    assert our_text == their_text
    assert ours.to_dict() == theirs
    assert nbio.is_valid(ours) == _isvalid(theirs)
    assert (validate_dict(raw) == []) == _isvalid(raw)  # the v3 schema, as stored


@SETTINGS
@given(notebook_v4(), st.integers(0, 2**32), json_values)
def test_same_verdict_on_broken_notebooks(raw: dict[str, Any], seed: int, value: Any) -> None:
    broken = mutate(raw, seed, value)
    before = copy.deepcopy(broken)
    verdict = validate_dict(broken) == []
    assert broken == before  # never repaired in place
    assert verdict == _isvalid(broken)
    minor = broken.get("nbformat_minor")
    if broken.get("nbformat") == 4 and type(minor) is int and minor >= 0:
        schema = compiled(4, minor, dollar_end=True)
        if schema is not None and fast_valid(broken, minor):
            assert schema.errors(broken) == []


@SETTINGS
@given(json_values)
def test_serializer_matches_json_dumps(value: Any) -> None:
    expected = json.dumps(value, indent=1, sort_keys=True, separators=(",", ": "),
                          ensure_ascii=False)
    assert dumps(value) == expected


def _nbformat_reads(text: str) -> bool | None:
    """True if nbformat reads ``text``, False if it refuses, None if its validator crashes.

    nbformat's error reporting itself fails on some invalid notebooks (a cell_type that is not
    a string: ``better_validation_error`` adds it to "_cell"); nbio reads those and reports the
    problem through validate(), so they are left out of the comparison.
    """
    try:
        with nbformat_ids(_counter()):
            nbformat.reads(text, as_version=4)
    except Exception as e:  # any refusal counts
        names = {frame.name for frame in traceback.extract_tb(e.__traceback__)}
        return None if "better_validation_error" in names else False
    return True


@MODES
@SETTINGS
@given(st.one_of(notebook_v4(), notebook_v3()), st.integers(0, 2**32), json_values)
def test_refuses_exactly_what_nbformat_refuses(fast: bool, raw: dict[str, Any], seed: int,
                                               value: Any) -> None:
    broken = mutate(raw, seed, value)
    text = json.dumps(broken)
    theirs = _nbformat_reads(text)
    if theirs is None:
        return
    cells = broken.get("cells")
    if broken.get("nbformat") == 4 and isinstance(cells, (dict, str)) and not cells:
        theirs = False  # nbio refuses an empty object or string as `cells` (nbformat reads it)
    try:
        with accel_mode(fast):
            _, our_text = _nbio_round_trip(text)
    except nbio.NotebookError as e:
        assert not theirs, f"nbformat reads what nbio refuses: {e}"
        assert e.where is not None and e.reason
        return
    assert theirs, "nbio reads what nbformat refuses"
    try:
        _, their_text = _nbformat_round_trip(text)
    except Exception:  # nbformat.writes crashes on some shapes it reads (e.g. no cell_type)
        return
    assert our_text == their_text


long_text = st.lists(st.one_of(text, st.just("\n"), st.just("line of plain text\n")),
                     min_size=20, max_size=80).map("".join)


@SETTINGS
@given(long_text, st.integers(0, 3))
def test_long_multiline_values_split_like_splitlines(value: str, depth: int) -> None:
    """Long strings take the encode-once path of the serializer; it must equal splitlines."""
    nl = "\n" + " " * depth
    expected = json.dumps(value.splitlines(True), indent=1, ensure_ascii=False)
    expected = expected.replace("\n", nl) if expected != "[]" else expected
    out: list[str] = []
    _lines(value, nl, out)
    assert "".join(out) == expected


@pytest.mark.parametrize("value", [
    "x" * 300 + "\n", "x" * 300 + "\n\n", "\n" * 300, "a\nb" * 200, "q\"\n" * 100,
    "t\tab\n" * 100 + "end", "back\\slash\n" * 50, "é😀\n" * 200, "cr\r\n" * 100,
])
def test_long_multiline_examples(value: str) -> None:
    expected = json.dumps(value.splitlines(True), indent=1, ensure_ascii=False)
    out: list[str] = []
    _lines(value, "\n", out)
    assert "".join(out) == expected
