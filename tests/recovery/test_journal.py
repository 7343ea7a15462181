"""The journal file format: round trip, header-only reading, damaged, truncated, other
version; nbformat itself reads the notebook inside."""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from tests.recovery.conftest import dead_writer, small_notebook
from tui.recovery import store
from tui.recovery.journal import (
    FORMAT,
    VERSION,
    DamagedJournal,
    JournalHeader,
    OtherVersion,
    encode,
    read_header,
    read_journal,
)
from tui.recovery.snapshot import take


def _journal(tmp_path, source=None, nb=None, **kw):
    source = source or tmp_path / "nb.ipynb"
    path = tmp_path / "j.json"
    header = JournalHeader(source=source, source_sha256=kw.get("sha", "ab" * 32),
                           writer=kw.get("writer", dead_writer()), written=1700000000.5,
                           file=path)
    store.atomic_write(path, encode(header, take(nb or small_notebook("x = 1", "y")).to_json()))
    return path


def test_round_trip_keeps_header_and_notebook(tmp_path):
    path = _journal(tmp_path)
    journal = read_journal(path)
    h = journal.header
    assert h.source == tmp_path / "nb.ipynb"
    assert h.source_sha256 == "ab" * 32
    assert h.writer == dead_writer()
    assert h.written == 1700000000.5
    assert [c.source for c in journal.notebook.cells] == ["x = 1", "y"]


def test_the_file_is_one_json_object_with_every_field(tmp_path):
    d = json.loads(_journal(tmp_path).read_bytes())
    assert d["format"] == FORMAT and d["version"] == VERSION
    assert {"path", "sha256", "pid", "host", "started", "written", "notebook"} <= set(d)
    assert list(d)[-1] == "notebook"
    nbformat.validate(nbformat.from_dict(d["notebook"]))  # the notebook is nbformat JSON


def test_the_header_reads_without_the_notebook_and_agrees(tmp_path):
    path = _journal(tmp_path, nb=small_notebook("z" * 200_000))
    assert read_header(path) == read_journal(path).header


def test_a_path_that_looks_like_the_separator_is_read_back(tmp_path):
    source = tmp_path / 'we", "notebook": {ird \u00e9.ipynb'
    path = _journal(tmp_path, source=source)
    assert read_header(path).source == source
    assert read_journal(path).header.source == source


def test_a_new_notebook_has_no_hash(tmp_path):
    assert read_header(_journal(tmp_path, sha=None)).source_sha256 is None


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, -2])
def test_a_truncated_journal_is_reported_as_damaged(tmp_path, keep):
    path = _journal(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:keep] if isinstance(keep, int) else data[: int(len(data) * keep)])
    with pytest.raises(DamagedJournal):
        read_journal(path)
    if not isinstance(keep, int):  # the header's cheap check: the file ends as JSON ends
        with pytest.raises(DamagedJournal):
            read_header(path)


@pytest.mark.parametrize("content", [b"", b"   ", b"\x00\x01garbage", b"[1, 2]", b'{"a": 1}',
                                     b'{"format": "something-else", "version": 1}'])
def test_what_is_not_a_journal_is_damaged(tmp_path, content):
    path = tmp_path / "j.json"
    path.write_bytes(content)
    with pytest.raises(DamagedJournal):
        read_journal(path)
    with pytest.raises(DamagedJournal):
        read_header(path)


def test_another_version_says_which(tmp_path):
    path = _journal(tmp_path)
    d = json.loads(path.read_bytes())
    d["version"] = 99
    path.write_text(json.dumps(d))
    with pytest.raises(OtherVersion, match="99") as info:
        read_journal(path)
    assert info.value.version == 99
    with pytest.raises(OtherVersion):
        read_header(path)


@pytest.mark.parametrize("key", ["path", "pid", "written", "host"])
def test_a_header_missing_a_key_is_damaged(tmp_path, key):
    path = _journal(tmp_path)
    d = json.loads(path.read_bytes())
    del d[key]
    path.write_text(json.dumps(d))
    with pytest.raises(DamagedJournal, match=key):
        read_journal(path)


def test_wrong_types_are_damaged(tmp_path):
    path = _journal(tmp_path)
    d = json.loads(path.read_bytes())
    d["pid"] = "4242"
    path.write_text(json.dumps(d))
    with pytest.raises(DamagedJournal, match="wrong type"):
        read_journal(path)


def test_a_journal_without_a_notebook_is_damaged(tmp_path):
    path = _journal(tmp_path)
    d = json.loads(path.read_bytes())
    d["notebook"] = None
    path.write_text(json.dumps(d))
    with pytest.raises(DamagedJournal, match="no notebook"):
        read_journal(path)


def test_a_notebook_that_cannot_be_read_is_damaged(tmp_path):
    path = _journal(tmp_path)
    d = json.loads(path.read_bytes())
    d["notebook"] = {"nbformat": 99, "cells": []}
    path.write_text(json.dumps(d))
    with pytest.raises(DamagedJournal, match="cannot be read"):
        read_journal(path)


def test_an_unreadable_journal_is_damaged(tmp_path):
    path = tmp_path / "dir.json"
    os.mkdir(path)
    with pytest.raises(DamagedJournal, match="cannot be read"):
        read_journal(path)


def test_the_error_names_the_journal(tmp_path):
    path = tmp_path / "j.json"
    path.write_bytes(b"{")
    with pytest.raises(DamagedJournal) as info:
        read_journal(path)
    assert info.value.path == path and str(path) in str(info.value)


def test_a_journal_without_its_last_newline_is_still_whole(tmp_path):
    path = _journal(tmp_path)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert read_header(path) == read_journal(path).header
