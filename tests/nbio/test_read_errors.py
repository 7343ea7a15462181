"""Unreadable input: one exception type, naming the file, the place and the reason."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import nbformat
import pytest

import nbio
import nbio.jsonread

from .conftest import CORPUS, MODES, accel_mode

GOOD = (CORPUS / "test4.5.ipynb").read_bytes()


def _nbformat_refuses(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.read(str(path), as_version=4)
    except Exception:
        return True
    return False


CASES = {
    "empty": (b"", "line 1 column 1", "empty"),
    "blank": (b"  \n\n", "line 3 column 1", "only whitespace"),
    "truncated": (GOOD[: len(GOOD) // 2], "line ", "truncated"),
    "garbage": (bytes(range(256)) * 4, "byte 128", "not UTF-8"),
    "latin1": ('{"a": "caf\xe9"}'.encode("latin-1"), "byte ", "not UTF-8"),
    "list": (b"[1, 2, 3]", "/", "array"),
    "string": (b'"notebook"', "/", "not a notebook object"),
    "bom": (b"\xef\xbb\xbf" + GOOD, "line 1 column 1", "byte-order mark"),
    "bad json": (b'{"cells": [}', "line 1 column 12", "not valid JSON"),
    "v5": (b'{"nbformat": 5, "nbformat_minor": 0}', "/nbformat", "unsupported nbformat version 5"),
    "string major": (b'{"nbformat": "4"}', "/nbformat", "unsupported"),
    "no cells": (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "/", "'cells'"),
    "empty object": (b"{}", "", "'cells'"),  # nbformat: a v1 notebook without cells
    "cell not object": (
        b'{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": ["x"]}',
        "/cells/0",
        "JSON object",
    ),
    "source not strings": (
        b'{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": '
        b'[{"cell_type": "raw", "metadata": {}, "source": ["a", 1]}]}',
        "/cells/0/source",
        "line 1",
    ),
    "cell without metadata": (
        b'{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": '
        b'[{"cell_type": "raw", "source": ""}]}',
        "/cells/0",
        "'metadata'",
    ),
    "string minor": (
        b'{"nbformat": 4, "nbformat_minor": "5", "metadata": {}, "cells": []}',
        "/nbformat_minor",
        "integer",
    ),
    "list id": (
        b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
        b'[{"cell_type": "raw", "id": [], "metadata": {}, "source": ""}]}',
        "/cells/0/id",
        "string",
    ),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "", "nested too deeply"),
}


@MODES
@pytest.mark.parametrize("name", sorted(CASES))
def test_unreadable_file(tmp_path: Path, name: str, fast: bool) -> None:
    data, where, words = CASES[name]
    path = tmp_path / "bad.ipynb"
    path.write_bytes(data)
    with pytest.raises(nbio.NotebookError) as info, accel_mode(fast):
        nbio.read(path)
    err = info.value
    assert err.path == path
    assert str(path) in str(err)
    assert err.where.startswith(where), err.where
    assert words in err.reason, err.reason
    assert _nbformat_refuses(path)  # nbformat cannot read it either


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(nbio.NotebookError, match="No such file"):
        nbio.read(tmp_path / "missing.ipynb")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(nbio.NotebookError, match="directory"):
        nbio.read(tmp_path)


def test_unreadable_permissions(tmp_path: Path) -> None:
    path = tmp_path / "secret.ipynb"
    path.write_bytes(GOOD)
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: check the message path instead
        path.unlink()
        path.mkdir()
        with pytest.raises(nbio.NotebookError, match="directory"):
            nbio.read(path)
    else:
        with pytest.raises(nbio.NotebookError, match="Permission denied"):
            nbio.read(path)


def test_reads_of_a_string_names_no_file() -> None:
    with pytest.raises(nbio.NotebookError) as info:
        nbio.reads("[]")
    assert info.value.path is None
    assert str(info.value).startswith("/: ")


def test_reads_accepts_bytes_like_json_loads() -> None:
    text = GOOD.decode("utf-8")
    for data in (GOOD, text.encode("utf-16"), b"\xef\xbb\xbf" + GOOD):
        assert nbio.writes(nbio.reads(data)) == nbio.writes(nbio.reads(text))


@pytest.fixture
def latin1_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every file take the Latin-1 parsing path (normally only files over 16 MiB).

    That path is the standard library's: msgspec, when enabled, parses the bytes directly.
    """
    monkeypatch.setattr(nbio.jsonread, "_LATIN1_MIN_SIZE", 1)
    monkeypatch.setattr(nbio.accel, "ENABLED", False)


@pytest.mark.usefixtures("latin1_path")
def test_latin1_path_parses_like_json(tmp_path: Path) -> None:
    """Escapes and raw UTF-8 must both survive the Latin-1 path."""
    nb = json.loads(GOOD)
    nb["cells"][0]["source"] = ["caf\xe9 😀 \u2028 \x1b[31m " * 20, "\u00e9"]
    nb["metadata"]["ключ"] = {"😀": "é"}
    raw = json.dumps(nb, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "big.ipynb"
    path.write_bytes(raw)
    ours = nbio.read(path)
    assert ours.to_dict() == nbio.reads(raw.decode("utf-8")).to_dict()
    assert ours.metadata["ключ"] == {"😀": "é"}
    escaped = json.dumps(nb, ensure_ascii=True).encode("ascii")  # \\u escapes: plain path
    path.write_bytes(escaped.replace(b"ASCII", "caf\xe9".encode()))
    assert nbio.read(path).cells[0].source == ours.cells[0].source


@pytest.mark.usefixtures("latin1_path")
def test_latin1_path_refuses_invalid_utf8_in_a_string(tmp_path: Path) -> None:
    nb = json.loads(GOOD)
    nb["cells"][0]["source"] = "x" * 20 + "é"
    raw = json.dumps(nb, ensure_ascii=False).encode("utf-8").replace("é".encode(), b"\xe9")
    path = tmp_path / "bad.ipynb"
    path.write_bytes(raw)
    with pytest.raises(nbio.NotebookError, match="not UTF-8"):
        nbio.read(path)
