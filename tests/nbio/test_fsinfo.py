"""OSErrors in words, and paths that are neither a notebook nor a place for a new one."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import nbio
from nbio import notebook_exists, os_error_reason

ROOT = Path(__file__).resolve().parents[2]


def _raised(call: object, *args: object) -> OSError:
    try:
        call(*args)  # type: ignore[operator]
    except OSError as e:
        return e
    raise AssertionError("no OSError")


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


def test_symlink_loop_in_words(loop: Path) -> None:
    e = _raised(os.stat, loop)
    assert e.errno == errno.ELOOP
    reason = os_error_reason(e)
    assert reason.startswith("Too many levels of symbolic links (")
    assert "points back to itself" in reason


def test_file_in_place_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    e = _raised(os.stat, tmp_path / "plain" / "nb.ipynb")
    assert e.errno == errno.ENOTDIR
    assert f"{tmp_path / 'plain'} is a file, not a folder" in os_error_reason(e)


def test_missing_folder_is_named(tmp_path: Path) -> None:
    e = _raised(open, tmp_path / "no" / "such" / "nb.ipynb", "w")
    assert e.errno == errno.ENOENT
    reason = os_error_reason(e)
    assert reason.startswith("No such file or directory")
    assert f"the folder {tmp_path / 'no'} does not exist" in reason
    assert "no such file" in os_error_reason(_raised(open, tmp_path / "nb.ipynb"))


def test_folder_given_as_a_notebook(tmp_path: Path) -> None:
    e = _raised(open, tmp_path)
    assert "a folder, not a notebook file" in os_error_reason(e)


def test_disk_full_and_others_in_words() -> None:
    for code, words in [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"),
                        (errno.EDQUOT, "quota"), (errno.ENAMETOOLONG, "too long")]:
        reason = os_error_reason(OSError(code, os.strerror(code)), "/x/nb.ipynb")
        assert reason.startswith(os.strerror(code)) and words in reason
    assert os_error_reason(OSError("odd")) == "odd"


def test_permission_denied_without_a_path_still_reads() -> None:
    e = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    assert os_error_reason(e).startswith("Permission denied")


def test_notebook_exists(tmp_path: Path, loop: Path) -> None:
    nb = tmp_path / "nb.ipynb"
    assert notebook_exists(nb) is False
    nb.write_text("{}")
    assert notebook_exists(nb) is True
    dangling = tmp_path / "dangling.ipynb"
    dangling.symlink_to(tmp_path / "target-to-be.ipynb")
    assert notebook_exists(dangling) is False  # the first save creates the target
    with pytest.raises(nbio.NotebookError, match="symbolic link") as info:
        notebook_exists(loop)
    assert info.value.path == loop
    with pytest.raises(nbio.NotebookError, match="is a folder"):
        notebook_exists(tmp_path)
    with pytest.raises(nbio.NotebookError, match="is a file, not a folder"):
        notebook_exists(nb / "inner.ipynb")


def test_reading_and_writing_a_loop_say_so(loop: Path) -> None:
    with pytest.raises(nbio.NotebookError, match="points back to itself"):
        nbio.read(loop)
    nb = nbio.Notebook.new("python3")
    with pytest.raises(nbio.NotebookError, match=r"could not save.*points back to itself"):
        nbio.write(nb, loop)


def _can_drop_permission_override() -> bool:
    return shutil.which("setpriv") is not None


UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
"""Run a command without the capabilities that let root ignore permissions."""


def _run_unprivileged(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*UNPRIVILEGED, sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A notebook inside a folder without search permission (for anyone, root included once
    its override capabilities are dropped)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "nb.ipynb").write_text("{}")
    folder.chmod(0o600)
    yield folder / "nb.ipynb"
    folder.chmod(0o700)


@pytest.mark.skipif(not _can_drop_permission_override(), reason="needs setpriv")
def test_folder_without_search_permission_is_named(locked: Path) -> None:
    """A real EACCES: the reason names the folder that cannot be entered."""
    code = textwrap.dedent(f"""
        import os, nbio
        try:
            os.stat({str(locked)!r})
        except OSError as e:
            print(nbio.os_error_reason(e))
        try:
            nbio.notebook_exists({str(locked)!r})
        except nbio.NotebookError as e:
            print("refused:", e)
    """)
    out = _run_unprivileged(code)
    if out.returncode != 0 and "setpriv" in out.stderr:
        pytest.skip(f"cannot drop capabilities here: {out.stderr.strip()}")
    lines = out.stdout.splitlines()
    assert len(lines) == 2, out
    folder = locked.parent
    assert lines[0] == (f"Permission denied (no permission to enter the folder {folder} "
                        "(it lacks search permission))")
    assert lines[1].startswith(f"refused: {locked}: Permission denied (no permission to enter")
