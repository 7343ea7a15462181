"""A real jupyter_server on loopback for tests: random free port, a token, a base URL.

Started as ``python -m jupyter_server`` from this interpreter (the same kernelspecs as the
rest of the suite); ready once ``GET {base}api`` answers, never after a fixed sleep.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from protocol.remote.urls import ServerURL


def free_port() -> int:
    """A TCP port nobody listens on right now (bound to 0 and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class RunningServer:
    """A started server: its address, token, root directory and process."""

    port: int
    token: str
    base_path: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/BASE/``."""
        return f"http://127.0.0.1:{self.port}{self.base_path}"

    def url(self, token: str | None = None) -> ServerURL:
        """The server's :class:`ServerURL` (with this token, or the server's own)."""
        return ServerURL(self.base_url, None, self.token if token is None else token)


def _answers(url: str, token: str | None = None) -> bool:
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                    timeout=2) as r:
            return "version" in json.loads(r.read())
    except (OSError, ValueError, urllib.error.URLError, http.client.HTTPException):
        return False  # not up yet, or another program on the port (a zmq socket...)


@contextlib.contextmanager
def serving(name: str, argv: Callable[[int], list[str]], root: Path, *, token: str,
            base_path: str = "/", timeout: float = 60, port: int | None = None,
            probe_token: bool = False, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """Run ``argv(port)`` until the block ends, ready once ``GET {base}api`` answers (then
    stop it and its kernels); ``port`` fixed, or a free one (three tries: the port may be
    taken between free_port() and the bind). ``probe_token``: the probe sends the token."""
    fixed = port
    for _attempt in range(3):
        port = fixed or free_port()
        log = root.parent / f"{name}-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(argv(port), stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=cwd, env=env)
        server = RunningServer(port, token, base_path, root, process, log)
        deadline = time.monotonic() + timeout
        while process.poll() is None and not _answers(server.base_url + "api",
                                                      token if probe_token else None):
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(f"{name} not up in {timeout} s:\n{log.read_text()}")
            time.sleep(0.1)  # polling for the condition, not a fixed wait
        if process.poll() is None:
            break
    else:
        raise RuntimeError(f"{name} would not start:\n{log.read_text()}")
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def jupyter_server(root: Path, *, base_path: str = "/", extra: tuple[str, ...] = (),
                   timeout: float = 60, port: int | None = None,
                   token: str | None = None) -> Iterator[RunningServer]:
    """Run a jupyter_server until the block ends (then stop it and its kernels).

    ``port`` and ``token`` fixed: a server restarted where an earlier one was."""
    token = token or secrets.token_hex(16)

    def argv(port: int) -> list[str]:
        return [sys.executable, "-m", "jupyter_server", "--allow-root", "--no-browser",
                f"--ServerApp.token={token}", f"--port={port}", "--port-retries=0",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root}",
                f"--ServerApp.base_url={base_path}", *extra]

    with serving("jupyter-server", argv, root, token=token, base_path=base_path,
                 timeout=timeout, port=port) as server:
        yield server
