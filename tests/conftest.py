"""Suite-wide guard: no kernel process may outlive the test session.

A unique marker goes into the environment at session start; every kernel started during the run
(by us, by subprocesses, by jupyter_client in cross-checks) inherits it. At the end we look for
live processes carrying it in /proc/<pid>/environ, give them a few seconds to exit, then kill
them and fail.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

MARKER_ENV = "JTUI_TEST_RUN"


def _marked_processes(marker: bytes) -> list[int]:
    pids = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            environ = (entry / "environ").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if marker in environ.split(b"\0") and ") Z " not in stat:
            pids.append(int(entry.name))
    return pids


@pytest.fixture(scope="session", autouse=True)
def no_kernel_left_behind() -> Iterator[None]:
    """Fail the run if processes started during it (kernels) are still alive at the end."""
    value = uuid.uuid4().hex
    os.environ[MARKER_ENV] = value
    yield
    if not Path("/proc").is_dir():
        return
    marker = f"{MARKER_ENV}={value}".encode()
    deadline = time.monotonic() + 5
    left = _marked_processes(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _marked_processes(marker)
    details = []
    for pid in left:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        details.append(f"{pid}: {cmdline.strip()}")
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not details, "processes left running after the test session:\n" + "\n".join(details)
