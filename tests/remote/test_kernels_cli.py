"""``jtui kernels --server URL`` against a real jupyter_server, as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from protocol.remote.rest import ServerClient
from tests.support.jserver import RunningServer, free_port

pytestmark = pytest.mark.kernel


def _jtui(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui", "kernels", *args], capture_output=True,
                          text=True, timeout=60, env=environ)


def test_lists_specs_kernels_and_sessions(server: RunningServer) -> None:
    client = ServerClient(server.url())
    session = client.create_session("work/shared.ipynb", kernel_name="python3")
    assert session.kernel is not None
    try:
        pasted = f"{server.base_url}lab/tree/work/shared.ipynb?token={server.token}"
        out = _jtui("--server", pasted, "--json")
        assert out.returncode == 0, out.stderr
        assert server.token not in out.stdout
        data = json.loads(out.stdout)
        assert data["server"] == server.base_url and data["default"] == "python3"
        assert data["kernelspecs"]["python3"]["language"] == "python"
        assert session.kernel.id in [k["id"] for k in data["kernels"]]
        assert [s["path"] for s in data["sessions"]] == ["work/shared.ipynb"]

        text = _jtui("--server", server.base_url, env={"JUPYTER_TOKEN": server.token})
        assert text.returncode == 0, text.stderr
        assert server.token not in text.stdout
        lines = text.stdout.splitlines()
        assert lines[0].startswith("Jupyter Server 2.") and server.base_url in lines[0]
        assert any(line.split()[:1] == ["python3"] for line in lines)
        assert any(session.kernel.id in line and "python3" in line for line in lines)
        assert any("work/shared.ipynb" in line and "notebook" in line for line in lines)
    finally:
        client.delete_session(session.id)


def test_bad_token_and_no_server_are_one_line_errors(server: RunningServer) -> None:
    out = _jtui("--server", server.base_url, "--token", "not-the-token-xyz")
    assert out.returncode == 1 and out.stdout == ""
    assert "403" in out.stderr and "token" in out.stderr
    assert "not-the-token-xyz" not in out.stderr and "Traceback" not in out.stderr
    port = free_port()
    out = _jtui("--server", f"http://127.0.0.1:{port}/?token=SECRET")
    assert out.returncode == 1 and "connection refused" in out.stderr
    assert "SECRET" not in out.stderr and "Traceback" not in out.stderr
