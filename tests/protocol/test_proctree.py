"""protocol.proctree: what a kernel started in a session of its own is ended with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from protocol import proctree
from tests.protocol.test_kernel_children import alive, kill_now

# A parent that starts a child in its own session (as bash_kernel's pexpect does), prints the
# child's pid and waits.
PARENT = (
    "import subprocess, sys, time\n"
    "p = subprocess.Popen(['sleep', '1000'], start_new_session=True)\n"
    "print(p.pid, flush=True)\n"
    "time.sleep(1000)\n"
)


def _wait(predicate, timeout: float = 15) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_an_orphan_in_its_own_session_is_killed_by_the_snapshot() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        tree = proctree.descendants(parent.pid)
        assert child in [pid for pid, _ in tree]
        parent.kill()
        parent.wait()
        assert alive(child) and os.getsid(child) == child  # out of reach of a group kill
        assert proctree.kill_survivors(tree) == 1
        assert _wait(lambda: not alive(child)), "the orphan still runs"
    finally:
        kill_now(child)
        parent.stdout.close()


def test_a_process_with_another_start_time_is_never_hit() -> None:
    other = subprocess.Popen(["sleep", "1000"])
    try:
        (started,) = [s for pid, s in proctree.descendants(os.getpid()) if pid == other.pid]
        assert proctree.kill_survivors([(other.pid, started + 1)]) == 0  # a recycled pid
        assert other.poll() is None
        assert proctree.kill_survivors([(other.pid, started)]) == 1
        assert other.wait(timeout=15) == -signal.SIGKILL
    finally:
        other.kill()
        other.wait()


def test_gone_processes_are_skipped() -> None:
    assert proctree.kill_survivors([(2**22 + 12345, 1)]) == 0
    assert proctree.descendants(2**22 + 12345) == []
