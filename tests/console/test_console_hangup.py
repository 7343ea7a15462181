"""The console's terminal closes (SIGHUP), or the console is sent SIGTERM or SIGKILL.

A hangup or SIGTERM ends it as Ctrl-D does: the kernel is shut down, what its cells started goes
with it, and the connection file is removed. After a SIGKILL the kernel dies with its owner and
the file left behind is skipped by ``jtui console --existing``.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from tests.console.conftest import Spawn, owned_kernel_pids, wait_prompt
from tests.protocol.test_kernel_children import alive
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.kernel, pytest.mark.pty]

START_CHILD = "import subprocess; p = subprocess.Popen(['sleep', '1000']); print('child', p.pid)\r"


def wait_until(predicate: object, timeout: float, what: str) -> None:
    """Poll ``predicate()`` until true; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def hang_up(term: Terminal) -> None:
    """Close the terminal as a window manager or sshd does: the pty master goes away, the
    kernel sends SIGHUP to the session, and nothing more (no SIGINT, no SIGKILL)."""
    term.child.ptyproc.fileobj.close()


def exit_status(term: Terminal, timeout: float = 30) -> int:
    """Wait for the process (its terminal may be gone) and return its exit status."""
    wait_until(lambda: not term.child.isalive(), timeout, "the console did not exit")
    status = term.child.exitstatus
    return status if status is not None else -(term.child.signalstatus or 0)


def start_with_child(spawn: Spawn) -> tuple[Terminal, list[int], int, list[Path]]:
    """A console on python3 whose cell started a ``sleep 1000``: the terminal, the kernel
    pids, the sleep's pid and the connection files."""
    term = spawn("--no-banner")
    wait_prompt(term, 1, timeout=60)
    term.send(START_CHILD)
    match = term.wait_for(re.compile(r"child (\d+)"), timeout=30)
    assert isinstance(match, re.Match)
    child = int(match.group(1))
    wait_prompt(term, 2)
    kernels = owned_kernel_pids(term.pid)
    assert kernels and alive(child)
    runtime = Path(term.child.env["JUPYTER_RUNTIME_DIR"]) if term.child.env else None
    assert runtime is not None
    files = list(runtime.glob("kernel-*.json"))
    assert len(files) == 1
    return term, kernels, child, files


def assert_cleaned_up(console: int, kernels: list[int], child: int, files: list[Path]) -> None:
    wait_until(lambda: not any(alive(p) for p in kernels), 10, "the kernel outlived the console")
    assert owned_kernel_pids(console) == []
    wait_until(lambda: not alive(child), 10, "the cell's sleep outlived the console")
    assert not any(f.exists() for f in files), "the connection file was left behind"


def test_closed_terminal_shuts_the_kernel_down(spawn: Spawn) -> None:
    term, kernels, child, files = start_with_child(spawn)
    hang_up(term)
    assert exit_status(term) == 128 + signal.SIGHUP
    assert_cleaned_up(term.pid, kernels, child, files)


def test_closed_terminal_while_a_cell_runs(spawn: Spawn) -> None:
    term, kernels, child, files = start_with_child(spawn)
    term.send("import time; print('sleeping'); time.sleep(100)\r")
    term.wait_for(re.compile(r"^sleeping$", re.M), timeout=30)
    hang_up(term)
    assert exit_status(term) == 128 + signal.SIGHUP
    assert_cleaned_up(term.pid, kernels, child, files)


def test_sigterm_shuts_the_kernel_down(spawn: Spawn) -> None:
    term, kernels, child, files = start_with_child(spawn)
    os.kill(term.pid, signal.SIGTERM)
    assert exit_status(term) == 128 + signal.SIGTERM
    assert_cleaned_up(term.pid, kernels, child, files)


def test_after_sigkill_existing_skips_the_stale_file(spawn: Spawn) -> None:
    term, kernels, child, files = start_with_child(spawn)
    os.kill(term.pid, signal.SIGKILL)
    assert exit_status(term) == -signal.SIGKILL
    # No code of ours ran: the kernel died with its owner (death signal), the watchdog killed
    # its process group, and the file stayed behind...
    wait_until(lambda: not any(alive(p) for p in kernels), 10, "the kernel outlived its owner")
    wait_until(lambda: not alive(child), 10, "the cell's sleep outlived the killed console")
    assert all(f.exists() for f in files)
    # ... which --existing does not pick: it says why instead of hanging on a dead kernel.
    other = spawn("--existing")
    assert other.wait_exit(30) == 2
    assert "stale ones skipped" in other.display()
    named = spawn("--existing", files[0].name)
    assert named.wait_exit(30) == 2
    assert "its kernel is gone" in named.display()
