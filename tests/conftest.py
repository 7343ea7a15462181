"""Suite-wide guards: no kernel process may outlive the test session, and no connection file
may be left in the session's runtime directory.

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
def no_kernel_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fail the run if processes started during it (kernels) are still alive at the end, or if
    a connection file is left behind. The run gets its own Jupyter runtime directory and
    IPython directory, so nothing lands under $HOME (folders may set narrower ones)."""
    value = uuid.uuid4().hex
    os.environ[MARKER_ENV] = value
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    os.environ["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    yield
    leftover = sorted(p.name for p in runtime.glob("kernel-*.json"))
    assert not leftover, f"connection files left in the runtime dir: {leftover}"
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


@pytest.fixture(autouse=True)
def state_home(tmp_path_factory: pytest.TempPathFactory,
               monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own ``$XDG_STATE_HOME``: the editor's recovery journals (and
    anything else kept there) never land in the user's ``~/.local/state``, nor leak from one
    test into the next."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state

