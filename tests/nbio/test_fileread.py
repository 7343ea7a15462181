"""nbio.fileread: large files are mapped under a read lease, which keeps writers out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import nbio
from nbio import fileread

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="read leases are Linux's")

# A writer as nbformat.write is one: open with truncation, then write.
_TRUNCATE = "import sys; f = open(sys.argv[1], 'w'); f.write('{}'); f.close()"


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    """A notebook over MAP_MIN_SIZE (one large output)."""
    raw = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {},
                      "source": "print('x')", "outputs": [
                          {"output_type": "stream", "name": "stdout",
                           "text": "caf\u00e9 line\n" * 200_000}]}],
           "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "big.ipynb"
    nbio.write(nbio.Notebook.from_dict(raw), path)
    assert path.stat().st_size > fileread.MAP_MIN_SIZE
    return path


@pytest.fixture
def fd(big_file: Path) -> Iterator[int]:
    fd = os.open(big_file, os.O_RDONLY)
    yield fd
    os.close(fd)


def test_a_large_file_is_mapped_and_reads_as_the_same_notebook(big_file: Path, fd: int) -> None:
    with fileread.file_contents(fd) as (data, st):
        assert isinstance(data, memoryview)
        assert bytes(data) == big_file.read_bytes() and st.st_size == len(data)
    small = nbio.reads(big_file.read_bytes())
    read = nbio.read(big_file)
    assert read.to_dict() == small.to_dict()
    assert read.disk_stamp is not None and read.disk_stamp.size == big_file.stat().st_size


def test_a_writer_waits_until_the_lease_is_released(big_file: Path, fd: int) -> None:
    """The SIGBUS case: a program truncating the file while it is parsed. It is held at its
    open() until the block ends, so every page of the mapping stays readable."""
    original = big_file.read_bytes()
    with fileread.file_contents(fd) as (data, _):
        assert isinstance(data, memoryview)
        writer = subprocess.Popen([sys.executable, "-c", _TRUNCATE, str(big_file)])
        with pytest.raises(subprocess.TimeoutExpired):
            writer.wait(timeout=1.0)  # blocked in open(): the file is not truncated
        assert bytes(data) == original  # all pages still there: no SIGBUS
    assert writer.wait(timeout=30) == 0
    assert big_file.read_bytes() == b"{}"


def test_a_file_open_for_writing_elsewhere_is_read(big_file: Path, fd: int) -> None:
    with open(big_file, "r+b"), fileread.file_contents(fd) as (data, _):
        assert type(data) is bytes and data == big_file.read_bytes()


def test_a_program_with_its_own_sigurg_handler_gets_a_plain_read(fd: int) -> None:
    previous = signal.signal(signal.SIGURG, lambda *_: None)
    try:
        with fileread.file_contents(fd) as (data, _):
            assert type(data) is bytes
    finally:
        signal.signal(signal.SIGURG, previous)


def test_small_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "small.ipynb"
    path.write_bytes(b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    fd = os.open(path, os.O_RDONLY)
    try:
        with fileread.file_contents(fd) as (data, _):
            assert type(data) is bytes
    finally:
        os.close(fd)


def test_the_lease_is_released_after_a_failed_parse(tmp_path: Path, big_file: Path) -> None:
    """A file that does not parse: the error is raised and the lease is gone (a writer
    opens the file at once instead of waiting the kernel's 45 s lease-break time)."""
    broken = tmp_path / "broken.ipynb"
    broken.write_bytes(big_file.read_bytes()[:-100])
    with pytest.raises(nbio.NotebookError, match="truncated"):
        nbio.read(broken)
    subprocess.run([sys.executable, "-c", _TRUNCATE, str(broken)], check=True, timeout=20)
    assert broken.read_bytes() == b"{}"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(nbio.NotebookError, match="is a directory"):
        nbio.read(tmp_path)
