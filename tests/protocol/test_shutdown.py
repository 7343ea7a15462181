"""Shutdown of real kernels: the path it takes (reply, interrupt, escalation) and no leftovers.

Timing is not asserted beyond a generous bound; what matters is the path recorded in
``KernelManager.last_stop``: an idle kernel is not sent SIGINT, every kernel answers the
shutdown_request, a kernel that answered but does not exit is sent SIGTERM after a short grace
instead of the whole step (``timeout / 2``, 10 s here), and nothing of the kernel survives.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from protocol.manager import KernelManager
from tests.protocol.conftest import first_output, run
from tests.support.procs import descendants

pytestmark = pytest.mark.kernel

TIMEOUT = 20
"""shutdown(timeout=): 10 s per escalation step, so a bound of 5 s proves no step was waited out."""
BOUND = 5.0

BUSY_CODE = {
    "python3": "import time\nprint('busy', flush=True)\ntime.sleep(60)",
    "bash": "echo busy; sleep 60",
    "xpython": "import time\nprint('busy', flush=True)\ntime.sleep(60)",
}


async def _gone(pid: int, timeout: float) -> bool:
    """Wait until ``pid`` has exited (it need not be our child)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    loop = asyncio.get_running_loop()
    exited = asyncio.Event()
    loop.add_reader(fd, exited.set)
    try:
        await asyncio.wait_for(exited.wait(), timeout)
    except asyncio.TimeoutError:
        pass
    finally:
        loop.remove_reader(fd)
        os.close(fd)
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or ") Z " in stat.read_text()


async def _shutdown_and_check(km: KernelManager) -> None:
    assert km.process is not None
    pid = km.process.pid
    below = set(descendants(pid))
    await km.shutdown(timeout=TIMEOUT)
    report = km.last_stop
    assert report is not None
    assert report.ended_by != "SIGKILL", report
    assert report.seconds < BOUND, report
    assert km.process.returncode is not None
    assert not Path(f"/proc/{pid}").exists()  # reaped, no zombie
    for child in below:  # bash_kernel's bash, on its own pty
        assert await _gone(child, BOUND), f"kernel child {child} survived"
    assert not km.connection_file.exists()


@pytest.mark.parametrize("name", ["python3", "bash", "xpython"])
async def test_idle_kernel_answers_and_exits(name: str) -> None:
    """Right after start (the kernel may still report busy for our kernel_info), shutdown sends
    no SIGINT, gets the shutdown_reply, and the kernel exits by itself or, if it lingers after
    replying (bash_kernel about one time in three: ipykernel's control thread hangs 10 s in an
    IOPub flush), is sent SIGTERM after the short grace."""
    km = await KernelManager.start(name, ready_timeout=30)
    await _shutdown_and_check(km)
    report = km.last_stop
    assert report is not None and not report.interrupted
    assert report.replied and report.reply_seconds is not None
    assert report.ended_by in ("request", "SIGTERM")
    if name != "bash":
        assert report.ended_by == "request" and km.process is not None
        assert km.process.returncode == 0


@pytest.mark.parametrize("name", ["bash", "xpython"])
async def test_running_cell_is_interrupted_first(name: str) -> None:
    """(python3: test_lifecycle.test_shutdown_of_a_busy_kernel_interrupts_first.)
    xeus-python dies of the SIGINT (xeus #272) before it can reply; that is an exit too."""
    km = await KernelManager.start(name, ready_timeout=30)
    stream = km.client.events()
    try:
        msg_id = await km.client.execute(BUSY_CODE[name])
        await first_output(stream, msg_id)
        assert km.client.is_executing
        await _shutdown_and_check(km)
    finally:
        stream.close()
        await km.shutdown()
    report = km.last_stop
    assert report is not None and report.interrupted
    assert report.ended_by in ("request", "SIGTERM")
    if name == "bash":
        assert report.replied


async def test_kernel_that_replies_but_lingers_gets_sigterm_after_a_short_grace() -> None:
    """A real ipykernel made to hang at exit (an atexit handler that sleeps): it answers the
    shutdown_request, then does not exit; SIGTERM follows the grace, not the 10 s step."""
    km = await KernelManager.start("python3", ready_timeout=30)
    await run(km.client, "import atexit, time\natexit.register(time.sleep, 60)")
    await _shutdown_and_check(km)
    report = km.last_stop
    assert report is not None and report.replied and report.ended_by == "SIGTERM"
    assert km.process is not None and km.process.returncode == -signal.SIGTERM
