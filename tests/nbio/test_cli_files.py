"""The real ``jtui`` on files as users leave them: clear errors and exit codes, no tracebacks,
and a read-only notebook left untouched."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
SOURCE = CORPUS / "test4.5.ipynb"
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
"""Without the capabilities that let root ignore permissions (so the checks apply)."""


def jtui(*args: str | Path, prefix: tuple[str, ...] = (),
         timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run this worktree's ``jtui`` with no terminal (the editor must fail before its UI)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([*prefix, sys.executable, "-m", "tui", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          stdin=subprocess.DEVNULL, env=env)


def assert_clean_failure(out: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert out.returncode == code, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


@pytest.fixture
def deep(tmp_path: Path) -> Path:
    path = tmp_path / "deep.ipynb"
    depth = 100_000
    path.write_text('{"cells": [], "metadata": {"x": ' + "[" * depth + "]" * depth
                    + '}, "nbformat": 4, "nbformat_minor": 5}')
    return path


# read-only -------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["--inplace", "--output"])
def test_run_refuses_a_read_only_notebook_and_leaves_it(tmp_path: Path, where: str) -> None:
    nb = tmp_path / "nb.ipynb"
    nb.write_bytes(SOURCE.read_bytes())
    target = nb
    args: list[str | Path] = ["run", nb, "--inplace"]
    if where == "--output":
        target = tmp_path / "out.ipynb"
        target.write_bytes(b"{}")
        args = ["run", nb, "--output", target]
    before = target.read_bytes()
    target.chmod(0o444)
    inode = target.stat().st_ino
    out = jtui(*args)
    assert_clean_failure(out, 2, "read-only", str(target), "another name")
    assert target.read_bytes() == before
    assert target.stat().st_ino == inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        {"nb.ipynb", target.name})


# symlink loops and deep files --------------------------------------------------------------------


def test_editor_on_a_symlink_loop_is_an_error_not_a_new_notebook(loop: Path) -> None:
    out = jtui(loop)
    assert_clean_failure(out, 1, f"cannot open {loop}", "symbolic link")
    assert loop.is_symlink() and not loop.exists()


def test_validate_on_a_symlink_loop(loop: Path) -> None:
    out = jtui("validate", loop)
    assert_clean_failure(out, 2, f"{loop}: cannot be read", "points back to itself")


def test_validate_on_a_100000_deep_file(deep: Path) -> None:
    out = jtui("validate", deep)
    assert_clean_failure(out, 2, f"{deep}: cannot be read", "nested too deeply")


def test_validate_on_a_100000_deep_array(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    out = jtui("validate", path)
    assert_clean_failure(out, 2, "nested too deeply")


def test_editor_on_a_100000_deep_file(deep: Path) -> None:
    out = jtui(deep)
    assert_clean_failure(out, 1, f"cannot open {deep}", "nested too deeply")


def test_validate_still_checks_other_files(deep: Path) -> None:
    out = jtui("validate", deep, SOURCE)
    assert_clean_failure(out, 2, "nested too deeply")
    assert f"{SOURCE}: valid" in out.stdout


# permissions -----------------------------------------------------------------------------------


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A notebook in a folder without search permission."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "nb.ipynb").write_bytes(SOURCE.read_bytes())
    folder.chmod(0o600)
    yield folder / "nb.ipynb"
    folder.chmod(0o700)


def _unprivileged() -> tuple[str, ...]:
    """The prefix under which permissions apply; skip when they cannot be made to."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permission checks cannot be shown")
    probe = subprocess.run([*UNPRIVILEGED, "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop capabilities: {probe.stderr.strip()}")
    return tuple(UNPRIVILEGED)


@pytest.mark.parametrize(("command", "code", "said"), [
    ((), 1, "cannot open"),
    (("validate",), 2, "cannot be read"),
    (("run",), 2, "cannot read"),
])
def test_folder_without_search_permission(locked: Path, command: tuple[str, ...], code: int,
                                          said: str) -> None:
    prefix = _unprivileged()
    out = jtui(*command, locked, prefix=prefix)
    assert_clean_failure(out, code, said, "Permission denied",
                         f"no permission to enter the folder {locked.parent}")
