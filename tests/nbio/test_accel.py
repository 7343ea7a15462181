"""The accelerated paths (nbio.accel with msgspec, nbio.fastwrite with orjson) against the
standard library they stand in for."""

from __future__ import annotations

import json
import math
import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import nbformat
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nbio
from nbio import accel, fastwrite
from nbio.jsonwrite import dumps_notebook

from .conftest import CORPUS, accel_mode
from .strategies import json_values, notebook_v4
from .test_properties import SETTINGS, _nbformat_round_trip, _nbio_round_trip


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, floats bit for bit (-0.0 is not 0.0, 1.0 is not 1)."""
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return struct.pack("<d", a) == struct.pack("<d", b)
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _stdlib(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return accel.MISS


# -- reading --------------------------------------------------------------------------------
EDGE_CASES = [
    b"18446744073709551615", b"18446744073709551616", b"-9223372036854775808",
    b"-9223372036854775809", b"123456789012345678901234567890", b'{"x": [1, 99999999999999999999]}',
    b"NaN", b"Infinity", b"-Infinity", b"[1e400]", b"-1e400", b"1e-400", b"-0", b"-0.0",
    b"0.1000000000000000055511151231257827021181583404541015625", b"1E5", b"1e-7",
    b"2.2250738585072011e-308", b"4.9e-324", b"17976931348623157e292", b"1e22", b"9007199254740993",
    b'"\\ud800"', b'"\\udc00x"', b'"\\ud83d\\ude00"', b'"\\ud83d\\u0041"', b'"\xed\xa0\x80"',
    b'{"a": 1, "b": 2, "a": 3}', b'{"a": 1, "a": {"x": [1]}}', b"\xef\xbb\xbf{}", b"[1,]",
    b'"\x7f\xc2\x85\xe2\x80\xa8"', b'"\\/"', b'"\t"', b"01", b"[" * 2000 + b"]" * 2000, b'"\xc3"',
]


@pytest.mark.parametrize("data", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_loads_is_json_loads_or_declines(data: bytes) -> None:
    ours = accel.loads(data)
    expected = _stdlib(data)
    if expected is accel.MISS:
        assert ours is accel.MISS  # the standard library then raises its own error
    elif ours is not accel.MISS:
        assert _same(ours, expected)


def test_loads_keeps_big_integers_exact() -> None:
    """Integers of any size (up to Python's digit limit) parse exactly: no float stands in."""
    data = b'{"metadata": {"n": 18446744073709551616, "m": -9223372036854775809}}'
    assert accel.loads(data) == {"metadata": {"n": 2**64, "m": -(2**63) - 1}}
    assert accel.loads(data.decode()) == {"metadata": {"n": 2**64, "m": -(2**63) - 1}}
    big = b"9" * 4300
    assert accel.loads(big) == int(big)
    assert accel.loads(big + b"9") is accel.MISS  # beyond the limit: json.loads refuses too
    assert _stdlib(big + b"9") is accel.MISS


def test_loads_declines_what_only_the_json_module_accepts() -> None:
    for data in (b"NaN", b"[Infinity]", b"-Infinity", b"1e400", b'"\\ud800"'):
        assert accel.loads(data) is accel.MISS
        assert _stdlib(data) is not accel.MISS


numbers = st.builds(
    lambda sign, whole, frac, exp: f"{sign}{whole}{frac}{exp}",
    st.sampled_from(["", "-"]),
    st.one_of(st.just("0"), st.integers(1, 10**30).map(str)),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=30).map("." .__add__)),
    st.one_of(st.just(""), st.builds(lambda e, s, n: f"{e}{s}{n}", st.sampled_from("eE"),
                                     st.sampled_from(["", "+", "-"]),
                                     st.integers(0, 10**6)))
)


@SETTINGS
@given(st.lists(numbers, min_size=1, max_size=20))
def test_numbers_parse_as_json_loads(tokens: list[str]) -> None:
    data = ("[" + ", ".join(tokens) + "]").encode()
    ours = accel.loads(data)
    expected = _stdlib(data)
    if ours is not accel.MISS:
        assert _same(ours, expected)
    elif expected is not accel.MISS:  # declined: only a number that overflows to infinity
        assert any(type(v) is float and math.isinf(v) for v in expected)


@SETTINGS
@given(json_values)
def test_generated_values_parse_as_json_loads(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    for data in (text.encode("utf-8"), text):
        ours = accel.loads(data)
        if ours is not accel.MISS:
            assert _same(ours, json.loads(text))


_SEED = json.dumps({"a": [1, -0.0, 1.5e3, "x\u00e9\U0001f600\t", True, None], "b": {"c": "/"}},
                   ensure_ascii=False).encode("utf-8")
_JUNK = st.binary(max_size=3) | st.sampled_from(
    [b"NaN", b"Infinity", b"\\ud800", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"1e400", b",", b"\\",
     b"12345678901234567890123", b'"', b"\x00", b"-", b"e", b"."])


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(_SEED)), st.integers(0, 2), _JUNK), max_size=3))
def test_damaged_json_is_parsed_as_json_loads_or_declined(edits: list[tuple[int, int, bytes]]
                                                          ) -> None:
    data = _SEED
    for pos, cut, junk in edits:
        data = data[:pos] + junk + data[pos + cut:]
    ours = accel.loads(data)
    if ours is not accel.MISS:
        assert _same(ours, _stdlib(data))


# -- writing --------------------------------------------------------------------------------
def test_string_escaping_is_json_dumps_for_every_code_point() -> None:
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert orjson.dumps(chars) == json.dumps(chars, ensure_ascii=False).encode("utf-8")
    keys = {c: 0 for c in chars[::97]} | {"\uffff": 0, "\U0001f600": 0, "\U00010000": 0}
    expected = json.dumps(keys, sort_keys=True, ensure_ascii=False).encode("utf-8")
    assert orjson.dumps(keys, option=orjson.OPT_SORT_KEYS) == expected.replace(b", ", b",") \
        .replace(b": ", b":")


def _reference(d: dict[str, Any]) -> bytes | None:
    try:
        return dumps_notebook(d).encode("utf-8")
    except UnicodeEncodeError:
        return None


ODD_VALUES = [
    1e-07, 1e16, -0.0, 0.1, float("nan"), float("inf"), -float("inf"), 2**64, -(2**63) - 1,
    2**64 - 1, -(2**63), (1, 2), b"bytes", True, None, "\x1b[31m\u2028\x7f/", {1: "int key"},
    {"nested": [[[{"deep": [1.5]}]]]}, [], {}, "",
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=range(len(ODD_VALUES)))
@pytest.mark.parametrize("where", ["nb", "cell", "output", "bundle", "unknown"])
def test_fastwrite_odd_values(value: Any, where: str) -> None:
    cell: dict[str, Any] = {"cell_type": "code", "execution_count": 1, "id": "a",
                            "metadata": {}, "source": "x = 1\n", "outputs": [
                                {"output_type": "execute_result", "execution_count": 1,
                                 "metadata": {}, "data": {"text/plain": "1"}}]}
    nb: dict[str, Any] = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    target = {"nb": nb["metadata"], "cell": cell["metadata"],
              "output": cell["outputs"][0]["metadata"], "bundle": cell["outputs"][0]["data"],
              "unknown": cell}[where]
    target["application/json" if where == "bundle" else "key"] = value
    try:
        ours = bytes(fastwrite.dumps_notebook(nb))
    except fastwrite.FALLBACK_ERRORS:
        ours = None
    expected = _reference(nb)
    if ours is not None:
        assert ours == expected
    else:  # declined: only for what orjson cannot write at all
        assert isinstance(value, dict) and 1 in value


def test_fastwrite_declines_lone_surrogates() -> None:
    nb = {"cells": [], "metadata": {"k": "\ud800"}, "nbformat": 4, "nbformat_minor": 5}
    with pytest.raises(fastwrite.FALLBACK_ERRORS):
        fastwrite.dumps_notebook(nb)
    with accel_mode(True):
        assert nbio.writes(nbio.Notebook.from_dict(nb)) == dumps_notebook(nb)


@SETTINGS
@given(notebook_v4())
def test_fastwrite_matches_the_reference(raw: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = nbio.reads(json.dumps(raw)).to_dict()
    expected = _reference(d)
    try:
        assert bytes(fastwrite.dumps_notebook(d)) == expected
    except fastwrite.FALLBACK_ERRORS:
        assert expected is None


@SETTINGS
@given(notebook_v4(), json_values, json_values)
def test_odd_metadata_round_trips_like_nbformat(raw: dict[str, Any], a: Any, b: Any) -> None:
    """Floats, big integers and deep values in every kind of metadata, through orjson."""
    raw["metadata"]["x"] = a
    for cell in raw["cells"]:
        cell["metadata"]["y"] = b
        for out in cell.get("outputs", []):
            if "metadata" in out:
                out["metadata"]["z"] = a
    text = json.dumps(raw)
    _, their_text = _nbformat_round_trip(text)
    with accel_mode(True):
        _, our_text = _nbio_round_trip(text)
    assert our_text == their_text


def test_big_mixed_file_round_trips_through_orjson(big_dir: Path, tmp_path: Path) -> None:
    raw = (big_dir / "big_mixed_2000.ipynb").read_bytes()
    odd = {"floats": [1e-07, 0.5, 1e300, -0.0], "big": 2**70}
    with accel_mode(True):
        nb = nbio.read(big_dir / "big_mixed_2000.ipynb")
        nb.metadata.update(odd)
        nbio.write(nb, tmp_path / "out.ipynb")
    theirs = nbformat.reads(raw.decode("utf-8"), as_version=4)
    theirs.metadata.update(odd)
    expected = nbformat.writes(theirs) + "\n"
    assert (tmp_path / "out.ipynb").read_bytes() == expected.encode("utf-8")
    with accel_mode(True):
        again = nbio.read(tmp_path / "out.ipynb")
    assert again.metadata["big"] == 2**70 and type(again.metadata["big"]) is int
    assert [type(v) for v in again.metadata["floats"]] == [float] * 4


def test_env_var_disables_the_accelerators() -> None:
    code = "import nbio.accel as a; print(a.ENABLED)"
    for name in ("NBIO_NO_ACCEL", "NBIO_NO_ORJSON"):  # the second: the older name
        env = dict(os.environ, **{name: "1"})
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True, cwd=CORPUS.parents[2])
        assert out.stdout.strip() == "False"


# -- nbio.read's fast path: integers beyond 64 bits anywhere ---------------------------------
def _v4_text(cells: str, metadata: str = "{}") -> str:
    return ('{"cells": [' + cells + '], "metadata": ' + metadata
            + ', "nbformat": 4, "nbformat_minor": 5}')


_CODE = ('{"cell_type": "code", "execution_count": %s, "id": "%s", "metadata": %s, '
         '"outputs": [%s], "source": %s}')
WIDE = "18446744073709551616"  # 2**64: beyond 64 bits (orjson would have read a float)
_WIDE_TEXTS = [  # @W stands for WIDE
    _v4_text(_CODE % ("@W", "a", "{}", "", '["x"]')),  # execution_count (invalid, still read)
    _v4_text(_CODE % ("1", "a", '{"n": -9223372036854775809}', "", '"x"')),
    _v4_text(_CODE % ("1", "a", "{}", '{"output_type": "execute_result", "execution_count": 1, '
                      '"metadata": {}, "data": {"application/json": {"v": [@W]}}}',
                      '"x"')),
    _v4_text(_CODE % ("1", "a", "{}", '{"output_type": "display_data", "metadata": {}, '
                      '"data": {"text/plain": ["a", @W]}}', '"x"')),  # not joined
    _v4_text(_CODE % ("1", "a", "{}", "", '["x\\n", @W]')),  # the join fails: an error
    _v4_text(_CODE % ("1", "@W", "{}", "", '"x"')),  # a numeric id (invalid): no repair
    _v4_text(_CODE % ("1", "a", "{}", "", '"x"') + ", " + _CODE % ("1", "a", "{}", "", '"y"'),
             '{"x": [@W, 1.5]}'),  # a repaired duplicate id, a wide number in metadata
    _v4_text(_CODE % ("1", "a", '{"trusted": @W}', "", '"x"'),
             '{"signature": @W}'),  # transient keys: dropped either way
    _v4_text(_CODE % ("1", "a", "{}", '{"output_type": "execute_result", "execution_count": @W, '
                      '"metadata": {}, "data": {"text/plain": ["a"]}}', '"x"')),
    _v4_text(_CODE % ("1", "a", "{}", '{"output_type": "error", "ename": "E", "evalue": "", '
                      '"traceback": ["a", @W]}', '"x"')),
    _v4_text(_CODE % ("1", "a", "{}", '{"output_type": "stream", "name": [@W], "text": ["x"]}',
                      '"x"')),
    _v4_text('{"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["x"], '
             '"attachments": {"a.json": {"application/json": [@W]}}}'),
    _v4_text('{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "x", "n": @W}'),
    '{"cells": @W, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
    '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": @W}',
    '{"cells": [], "metadata": {}, "nbformat": @W, "nbformat_minor": 5}',
    '{"nbformat": 3, "nbformat_minor": 0, "metadata": {"n": @W}, "worksheets": []}',
    '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 4, "x": @W}',
]
WIDE_NOTEBOOKS = [text.replace("@W", WIDE) for text in _WIDE_TEXTS]


def _read_outcome(path: Path, fast: bool) -> tuple[str, Any]:
    with accel_mode(fast), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nb = nbio.read(path, id_factory=iter(f"new{i}" for i in range(99)).__next__)
        except nbio.NotebookError as e:
            return "error", (str(e), [str(w.message) for w in caught])
    return "ok", (nb.to_dict(), [str(w.message) for w in caught])


@pytest.mark.parametrize("text", WIDE_NOTEBOOKS, ids=range(len(WIDE_NOTEBOOKS)))
def test_read_with_big_integers_is_the_standard_library_read(text: str, tmp_path: Path) -> None:
    """Wherever a number beyond 64 bits sits, read() gives exactly the json-module result:
    the same tree (ints stay ints), the same error, the same warnings."""
    path = tmp_path / "wide.ipynb"
    path.write_text(text, encoding="utf-8")
    fast, slow = _read_outcome(path, True), _read_outcome(path, False)
    assert fast[0] == slow[0]
    if fast[0] == "ok":
        assert _same(fast[1][0], slow[1][0])
        assert fast[1][1] == slow[1][1]
    else:
        assert fast[1] == slow[1]
    if WIDE in text and fast[0] == "ok":
        assert WIDE in json.dumps(fast[1][0]) or "trusted" in text


def test_read_fast_path_is_taken_with_wide_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is really used, for plain files and for numbers beyond 64 bits alike;
    a file only the json module reads (NaN) takes the standard library's path."""
    from nbio import reader

    calls: list[str] = []
    real = reader.parse_utf8

    def spy(data: bytes, path: Any) -> Any:
        calls.append("stdlib")
        return real(data, path)

    monkeypatch.setattr(reader, "parse_utf8", spy)
    plain, wide, nan = (tmp_path / f"{name}.ipynb" for name in ("plain", "wide", "nan"))
    plain.write_text(_v4_text(_CODE % ("1", "a", '{"n": 12345678901234567890}', "", '"x"')),
                     encoding="utf-8")
    wide.write_text(WIDE_NOTEBOOKS[1], encoding="utf-8")
    nan.write_text(_v4_text(_CODE % ("1", "a", '{"n": NaN}', "", '"x"')), encoding="utf-8")
    with accel_mode(True):
        assert nbio.read(plain).cells[0].metadata == {"n": 12345678901234567890}
        assert nbio.read(wide).cells[0].metadata == {"n": -9223372036854775809}
        assert calls == []
        assert math.isnan(nbio.read(nan).cells[0].metadata["n"])
        assert calls == ["stdlib"]


_LINE_TEXT = st.lists(st.sampled_from(["\n", "\r", "\r\n", "\\", "\\n", "n", "a", "\x0b", "\x0c",
                                      ",", '",', "\x1c", "\x1e", "\x85", "\u2028", "\u2029", "\x00",
                                      '"', "\xe9", "\U0001f600", "/", "\t"]),
                      max_size=12).map("".join)


@SETTINGS
@given(st.lists(_LINE_TEXT, max_size=4).map("".join) | _LINE_TEXT)
def test_split_lines_are_written_as_json_dumps_of_splitlines(text: str) -> None:
    """The one-encoding shortcut of fastwrite._lines breaks exactly where splitlines does."""
    from nbio import jsonwrite

    saved = fastwrite._ONE_ENCODING_MIN
    try:
        for nl, shortcut_min in ((b"\n   ", 0), (b"\n      ", 0), (b"\n   ", 10**9)):
            fastwrite._ONE_ENCODING_MIN = shortcut_min
            out = bytearray()
            fastwrite._lines(text, nl, out)
            expected: list[str] = []
            jsonwrite._lines(text, nl.decode(), expected)
            assert bytes(out) == "".join(expected).encode("utf-8")
    finally:
        fastwrite._ONE_ENCODING_MIN = saved


@pytest.mark.parametrize("text", ["\n", "\n\n", "a\n", "a\nb", "a\\nb\n", "a\r\nb\n", "\\",
                                  'y = ["a",', 'x",\ny",', 'a\\",\n"\\\\",', "a\u2028b\n",
                                  "x\x85\n", "\U0001f600\n\n", "no break"])
@pytest.mark.parametrize("shortcut_min", [0, 10**9], ids=["one-encoding", "list"])
def test_split_lines_edge_cases(text: str, shortcut_min: int,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastwrite, "_ONE_ENCODING_MIN", shortcut_min)
    for value in (text, text * 5000):  # the second is long enough for the shortcut anyway
        out = bytearray()
        fastwrite._lines(value, b"\n   ", out)
        items = json.loads(bytes(out))
        assert items == value.splitlines(True)
        assert bytes(out) == ("[\n    " + ",\n    ".join(json.dumps(x, ensure_ascii=False)
                                                       for x in items) + "\n   ]").encode()


@pytest.mark.parametrize("text", ['y = ["a",', 'print("x",', 'a\n"b",', '"\\\\",', '",\n",'])
def test_a_line_ending_in_a_quote_and_a_comma_is_written_as_nbformat_writes(text: str) -> None:
    """Regression: ``","`` after an escaped quote was taken for the break between two lines,
    and a cell whose source ended in ``"a",`` was written as broken JSON."""
    raw = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {},
                      "source": text, "outputs": [
                          {"output_type": "stream", "name": "stdout", "text": text},
                          {"output_type": "execute_result", "execution_count": 1,
                           "metadata": {}, "data": {"text/plain": text, "text/html": text}}]},
                     {"cell_type": "markdown", "id": "m", "metadata": {}, "source": text,
                      "attachments": {"a.txt": {"text/plain": text}}}],
           "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    expected = nbformat.writes(nbformat.reads(json.dumps(raw), as_version=4))
    with accel_mode(True):
        ours = nbio.writes(nbio.reads(json.dumps(raw)))
    assert ours == expected
    assert json.loads(ours)["cells"][0]["source"] == text.splitlines(True)


ERROR_OUTPUTS = [
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["a\n", '"b",', "\x1b[0m"]},
    {"output_type": "error", "ename": "E", "evalue": "", "traceback": []},
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["a", 1e-07, 2**70]},
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": "not a list"},
    {"output_type": "error", "ename": 1, "evalue": "v", "traceback": ["a"]},
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["a"], "extra": 1.5},
    {"output_type": "error", "ename": "E", "traceback": ["a"], "evalue2": "v"},
    {"output_type": "error", "ename": "E\u2028\U0001f600", "evalue": "\\", "traceback": [","]},
]


@pytest.mark.parametrize("output", ERROR_OUTPUTS, ids=range(len(ERROR_OUTPUTS)))
def test_error_outputs_are_written_as_the_reference_writes_them(output: dict[str, Any]) -> None:
    """The fast path for well-formed error outputs, and everything that must not take it."""
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {},
                     "source": "", "outputs": [output, dict(output)]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    assert bytes(fastwrite.dumps_notebook(nb)) == _reference(nb)
