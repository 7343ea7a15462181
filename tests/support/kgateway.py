"""A real Jupyter Kernel Gateway (jupyter-kernel-gateway 3.0) on loopback for tests.

Started as ``python -m kernel_gateway`` from this interpreter on a random free port with an auth
token and kernel listing on; ready once ``GET /api`` (with the token) answers (polled, never
a fixed sleep). Kernels start in ``root`` (the gateway's working directory).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.support.jserver import RunningServer, serving


@contextlib.contextmanager
def kernel_gateway(root: Path, *, timeout: float = 60,
                   env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """Run a Kernel Gateway until the block ends (then stop it and its kernels)."""
    token = secrets.token_hex(16)
    environ = {**os.environ, **(env or {})}
    # The gateway's python3 kernelspec runs `python`: this interpreter's, as for jupyter_server.
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"

    def argv(port: int) -> list[str]:
        return [sys.executable, "-m", "kernel_gateway", "--KernelGatewayApp.ip=127.0.0.1",
                f"--KernelGatewayApp.port={port}", "--KernelGatewayApp.port_retries=0",
                f"--KernelGatewayApp.auth_token={token}",
                "--JupyterWebsocketPersonality.list_kernels=True"]

    with serving("kernel-gateway", argv, root, token=token, timeout=timeout,
                 probe_token=True, cwd=root, env=environ) as gateway:
        yield gateway
