"""Processes a cell started do not outlive the kernel that started them.

A cell's ``subprocess.Popen(['sleep', '1000'])`` (or bash's ``sleep 1000 &``) runs in the kernel's
process group; when the kernel is shut down, restarted, dies by itself or is killed, the whole
group goes with it (jupyter_client's ``killpg``), not just the kernel process.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from pathlib import Path

import pytest

from protocol.events import KernelDied, Stream
from protocol.manager import KernelManager
from tests.protocol.conftest import next_event, run

pytestmark = pytest.mark.kernel

START_CHILD = {
    "python3": "import subprocess\np = subprocess.Popen(['sleep', '1000'])\nprint('child', p.pid)",
    "xpython": "import subprocess\np = subprocess.Popen(['sleep', '1000'])\nprint('child', p.pid)",
    "bash": "sleep 1000 &\necho child $!",
}


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


async def wait_gone(pid: int, timeout: float = 15) -> bool:
    """Poll until ``pid`` is gone; False if it still runs at the deadline."""
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def start_child(km: KernelManager, name: str) -> int:
    """Run the cell that starts a background ``sleep 1000``; its pid."""
    events = await run(km.client, START_CHILD[name], timeout=20)
    text = "".join(e.text for e in events if isinstance(e, Stream))
    match = re.search(r"child (\d+)", text)
    assert match, text
    pid = int(match.group(1))
    assert alive(pid)
    return pid


def kill_now(pid: int) -> None:
    """Clean up after a failed assertion."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.parametrize("name", ["python3", "xpython", "bash"])
async def test_shutdown_kills_what_the_cell_started(name: str) -> None:
    km = await KernelManager.start(name, ready_timeout=30)
    try:
        pid = await start_child(km, name)
    finally:
        await km.shutdown()
    try:
        assert await wait_gone(pid), f"{name}: the cell's sleep {pid} outlived the kernel"
    finally:
        kill_now(pid)


@pytest.mark.parametrize("name", ["python3", "xpython"])
async def test_restart_kills_what_the_cell_started(name: str) -> None:
    km = await KernelManager.start(name, ready_timeout=30)
    try:
        pid = await start_child(km, name)
        await km.restart(ready_timeout=30)
        try:
            assert await wait_gone(pid), f"{name}: the cell's sleep {pid} survived a restart"
        finally:
            kill_now(pid)
    finally:
        await km.shutdown()


async def test_kernel_that_dies_takes_its_children() -> None:
    km = await KernelManager.start("python3", ready_timeout=30)
    try:
        pid = await start_child(km, "python3")
        stream = km.client.events()
        await km.client.execute("import os; os._exit(3)")
        died = await next_event(stream, KernelDied, timeout=20)
        assert "code 3" in died.reason
        try:
            assert await wait_gone(pid), "the cell's sleep outlived its kernel's death"
        finally:
            kill_now(pid)
    finally:
        await km.shutdown()
