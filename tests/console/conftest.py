"""Fixtures for the console tests: the real ``python -m tui console`` in a pseudo-terminal."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]
PROMPT = re.compile(r"In \[(\d+)\]:")

Spawn = Callable[..., Terminal]


def owned_kernel_pids(owner: int) -> list[int]:
    """Live processes launched by ``owner`` (our launcher marks them JTUI_KERNEL_OWNER=pid)."""
    marker = f"JTUI_KERNEL_OWNER={owner}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if marker in environ.split(b"\0") and "\nState:\tZ" not in status:
            pids.append(int(entry.name))
    return pids


@pytest.fixture
def console_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a console under test: its own history dir and runtime dir."""
    env = dict(os.environ)
    env["JTUI_HISTORY_DIR"] = str(tmp_path / "history")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    env["IPYTHONDIR"] = str(tmp_path / "ipython")  # the kernel's own history database
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["TERM"] = "xterm-256color"
    # No terminal detection by default: pyte prints the kitty query (an APC string) as text.
    # Tests that draw images pass --graphics themselves.
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "jupyter_tui.toml").write_text('[display]\ngraphics = "none"\n')
    env["JUPYTER_CONFIG_DIR"] = str(config)
    return env


@pytest.fixture
def spawn(console_env: dict[str, str]) -> Iterator[Spawn]:
    """Start ``python -m tui console ARGS`` in a 100x30 pty; all are closed at the end."""
    started: list[Terminal] = []

    def start(*args: str, rows: int = 30, cols: int = 100,
              env: dict[str, str] | None = None) -> Terminal:
        term = Terminal([sys.executable, "-m", "tui", "console", *args], rows=rows, cols=cols,
                        env=env or console_env, cwd=str(ROOT))
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def prompt_count(term: Terminal) -> int:
    """The number of the last ``In [n]:`` prompt on screen (0 if none)."""
    found = PROMPT.findall(term.display())
    return int(found[-1]) if found else 0


def wait_prompt(term: Terminal, n: int, timeout: float = 30) -> None:
    """Wait until prompt ``In [n]:`` is on screen."""
    term.wait_for(re.compile(rf"In \[{n}\]: "), timeout=timeout)
