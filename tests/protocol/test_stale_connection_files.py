"""Connection files left behind by a killed owner: the kernel dies with it, the file is known
stale (skipped by ``--existing``, refused when named) and removed at the next kernel start;
files that are not ours, or whose owner lives, are left alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from protocol.connection import find_connection_file, read_connection_file
from protocol.manager import KernelManager
from protocol.owner import (
    OWNER_PID,
    OWNER_START,
    owner_alive,
    process_start_time,
    remove_stale_connection_files,
    stale_owner,
)
from tests.protocol.test_kernel_children import alive

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]

OWNER_SCRIPT = """
import asyncio, sys
from protocol.manager import KernelManager

async def main():
    km = await KernelManager.start("python3", ready_timeout=30)
    code = "import subprocess; p = subprocess.Popen(['sleep', '1000']); print(p.pid, end='')"
    out = km.client.events()
    reply = await km.client.execute(code)
    await km.client.wait_for_execution(reply, timeout=20)
    child = ""
    while (event := out.get_nowait()) is not None:
        child += getattr(event, "text", "") if event.parent_msg_id == reply else ""
    print(km.connection_file, km.process.pid, child, flush=True)
    await asyncio.sleep(1000)

asyncio.run(main())
"""


def wait_until(predicate: object, timeout: float, what: str) -> None:
    """Poll ``predicate()`` until true; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def foreign_file(runtime: Path, name: str) -> Path:
    """A connection file someone else (Jupyter Server, jupyter console) wrote: no owner keys."""
    path = runtime / name
    path.write_text(json.dumps({
        "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
        "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256",
    }))
    return path


def test_killed_owner_leaves_a_stale_file_that_is_skipped_and_removed(tmp_path: Path,
                                                                        monkeypatch) -> None:
    runtime = tmp_path / "runtime"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime), PYDEVD_DISABLE_FILE_VALIDATION="1")
    owner = subprocess.Popen([sys.executable, "-c", OWNER_SCRIPT], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        line = owner.stdout.readline().split()  # type: ignore[union-attr]
        assert len(line) == 3, line
        path, kernel_pid, child_pid = Path(line[0]), int(line[1]), int(line[2])
        data = json.loads(path.read_text())
        assert data[OWNER_PID] == owner.pid and data[OWNER_START] == process_start_time(owner.pid)
        read_connection_file(path)  # still an ordinary connection file
        monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
        assert find_connection_file() == path.resolve()  # live: found
        assert stale_owner(path) is None
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
    finally:
        owner.kill()
        owner.wait()
    # kill -9: no cleanup code ran, but the kernel died with its owner (PR_SET_PDEATHSIG).
    wait_until(lambda: not alive(kernel_pid), 10, "the kernel outlived its SIGKILLed owner")
    # What its cell started went too (the owner's watchdog killed the kernel's group).
    wait_until(lambda: not alive(child_pid), 10, "the cell's sleep outlived the killed owner")
    assert path.exists()
    assert stale_owner(path) == owner.pid
    with pytest.raises(FileNotFoundError, match="stale ones skipped"):
        find_connection_file()
    with pytest.raises(FileNotFoundError, match="its kernel is gone"):
        find_connection_file(str(path))
    with pytest.raises(FileNotFoundError, match="its kernel is gone"):
        find_connection_file(path.stem)
    foreign = foreign_file(runtime, "kernel-foreign.json")
    os.utime(foreign, (1, 1))  # older than the stale file: still the one picked
    assert find_connection_file() == foreign.resolve()


async def test_kernel_start_removes_stale_files_of_ours_only(tmp_path: Path, monkeypatch) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    # A file whose owner exited (a real process, waited for), one whose pid was recycled (our
    # own pid with another start time), one of a live owner (us), one that is not ours.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    base = json.loads(foreign_file(runtime, "template.json").read_text())
    (runtime / "template.json").unlink()
    me, my_start = os.getpid(), process_start_time(os.getpid())
    assert my_start is not None
    files = {
        "kernel-gone.json": {OWNER_PID: gone.pid, OWNER_START: None},
        "kernel-recycled.json": {OWNER_PID: me, OWNER_START: my_start + 1},
        "kernel-live.json": {OWNER_PID: me, OWNER_START: my_start},
    }
    for name, owner in files.items():
        (runtime / name).write_text(json.dumps({**base, **owner}))
    foreign = foreign_file(runtime, "kernel-theirs.json")
    assert owner_alive(me, my_start) and not owner_alive(me, my_start + 1)
    km = await KernelManager.start("python3", ready_timeout=30)
    try:
        left = sorted(p.name for p in runtime.glob("kernel-*.json"))
        assert left == sorted(["kernel-live.json", "kernel-theirs.json",
                               km.connection_file.name])
        assert foreign.exists()
    finally:
        await km.shutdown()
    assert not km.connection_file.exists()
    assert remove_stale_connection_files(runtime) == []


def test_stale_ipc_kernel_sockets_are_removed(tmp_path: Path) -> None:
    prefix = tmp_path / "k"
    sockets = [Path(f"{prefix}-{n}") for n in range(1, 6)]
    for sock in sockets:
        sock.touch()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    path = tmp_path / "kernel-ipc.json"
    path.write_text(json.dumps({
        "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
        "ip": str(prefix), "key": "k", "transport": "ipc", OWNER_PID: gone.pid,
    }))
    assert remove_stale_connection_files(tmp_path) == [path]
    assert not path.exists() and not any(s.exists() for s in sockets)
