"""Autosave's check of the file on disk: by content hash, not mtime and size."""

from __future__ import annotations

import hashlib
import os

from tui.recovery.autosave import DiskState, disk_state, file_sha256


def test_an_unchanged_file_is_the_same(tmp_path):
    p = tmp_path / "nb.ipynb"
    p.write_bytes(b"{}" * 1_000_000)
    assert file_sha256(p) == hashlib.sha256(p.read_bytes()).hexdigest()
    assert disk_state(p, file_sha256(p)) is DiskState.SAME


def test_a_change_of_the_same_size_with_the_mtime_put_back_is_seen(tmp_path):
    p = tmp_path / "nb.ipynb"
    p.write_bytes(b"aaaa")
    sha = file_sha256(p)
    st = p.stat()
    p.write_bytes(b"bbbb")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size and p.stat().st_mtime_ns == st.st_mtime_ns
    assert disk_state(p, sha) is DiskState.CHANGED


def test_a_deleted_file_is_missing(tmp_path):
    assert disk_state(tmp_path / "gone.ipynb", "0" * 64) is DiskState.MISSING


def test_a_folder_in_its_place_is_unreadable(tmp_path):
    (tmp_path / "nb.ipynb").mkdir()
    assert disk_state(tmp_path / "nb.ipynb", "0" * 64) is DiskState.UNREADABLE
