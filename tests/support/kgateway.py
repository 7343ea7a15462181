"""A real Jupyter Kernel Gateway (jupyter-kernel-gateway 3.0) on loopback for tests.

Started as ``python -m kernel_gateway`` from this interpreter on a random free port with an auth
token and kernel listing on; ready once ``GET /api`` (with the token) answers (polled, never
a fixed sleep). Kernels start in ``root`` (the gateway's working directory).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.support.jserver import RunningServer, free_port


def _answers(url: str, token: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as r:
            return "version" in json.loads(r.read())
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def kernel_gateway(root: Path, *, timeout: float = 60,
                   env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """Run a Kernel Gateway until the block ends (then stop it and its kernels)."""
    token = secrets.token_hex(16)
    environ = {**os.environ, **(env or {})}
    # The gateway's python3 kernelspec runs `python`: this interpreter's, as for jupyter_server.
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"
    for _attempt in range(3):  # the port may be taken between free_port() and the bind
        port = free_port()
        log = root.parent / f"kernel-gateway-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "kernel_gateway", "--KernelGatewayApp.ip=127.0.0.1",
                 f"--KernelGatewayApp.port={port}", "--KernelGatewayApp.port_retries=0",
                 f"--KernelGatewayApp.auth_token={token}",
                 "--JupyterWebsocketPersonality.list_kernels=True"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=root,
                env=environ,
            )
        gateway = RunningServer(port, token, "/", root, process, log)
        deadline = time.monotonic() + timeout
        while process.poll() is None and not _answers(gateway.base_url + "api", token):
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(f"kernel gateway not up in {timeout} s:\n{log.read_text()}")
            time.sleep(0.1)  # polling for the condition, not a fixed wait
        if process.poll() is None:
            break
    else:
        raise RuntimeError(f"kernel gateway would not start:\n{log.read_text()}")
    try:
        yield gateway
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
