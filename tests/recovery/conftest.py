"""Helpers for the recovery tests: notebooks on disk and journals written as a writer would."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import nbio
from nbio.model import Cell, Notebook
from tui.recovery import store
from tui.recovery.journal import JournalHeader, encode
from tui.recovery.process import ProcessId, this_process
from tui.recovery.snapshot import take


def small_notebook(*sources: str) -> Notebook:
    """Code cells with these sources (ids fixed)."""
    cells = [Cell.new("code", s, cell_id=f"id{k:05d}") for k, s in enumerate(sources or ("a",))]
    return Notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                          "display_name": "Python 3"}})


def dead_writer() -> ProcessId:
    """Our own pid with another start time: a process that is gone (its pid since reused)."""
    return ProcessId(pid=os.getpid(), host=socket.gethostname(), started=1.0)


@pytest.fixture
def journal_dir(state_home: Path) -> Path:
    """The recovery folder under this test's ``$XDG_STATE_HOME``."""
    return store.recovery_dir()


@pytest.fixture
def write_journal(journal_dir: Path) -> Callable[..., Path]:
    """Write a journal of ``source`` holding ``nb``, as the writer ``writer`` (a gone process
    by default) would have written it."""

    def write(source: Path, nb: Notebook, *, writer: ProcessId | None = None,
              sha256: str | None = None, written: float | None = None) -> Path:
        writer = writer or dead_writer()
        path = store.new_journal_path(source, journal_dir, pid=writer.pid)
        header = JournalHeader(source=Path(store.source_key(source)), source_sha256=sha256,
                               writer=writer, written=written or time.time(), file=path)
        store.ensure_dir(journal_dir)
        store.atomic_write(path, encode(header, take(nb).to_json()))
        return path

    return write


@pytest.fixture
def notebook_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a notebook file and return its path."""

    def write(nb: Notebook, name: str = "nb.ipynb") -> Path:
        path = tmp_path / name
        nbio.write(nb, path)
        return path

    return write


__all__ = ["dead_writer", "small_notebook", "this_process"]
