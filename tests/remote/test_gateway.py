"""``--gateway URL`` on ``jtui console`` and ``jtui run`` against a real Jupyter Kernel Gateway
(and a jupyter_server in gateway mode in front of it, which forces the legacy framing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from protocol.clientcore import collect_until_done
from protocol.events import ExecuteResult
from protocol.remote.kernel import RemoteKernel, kernel_env
from protocol.remote.rest import ServerClient
from tests.console.conftest import ROOT, console_env, spawn, wait_prompt  # noqa: F401
from tests.support.jserver import RunningServer

pytestmark = pytest.mark.kernel

SHOW_ENV = ("import os; print(os.environ.get('KERNEL_USERNAME'), os.environ.get('KERNEL_TEAM'),"
            " os.environ.get('NOT_A_KERNEL_VAR'))\n")


def _jtui(command: str, *args: str, env: dict[str, str], code: str | None = None,
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", command, *args], input=code,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def _kernels(gateway: RunningServer) -> set[str]:
    return {k.id for k in ServerClient(gateway.url()).kernels()}


def _env(console_env: dict[str, str], gateway: RunningServer) -> dict[str, str]:  # noqa: F811
    env = {k: v for k, v in console_env.items() if not k.startswith("KERNEL_")}
    env.update({"JUPYTER_TOKEN": gateway.token, "KERNEL_USERNAME": "alice",
                "KERNEL_TEAM": "blue", "NOT_A_KERNEL_VAR": "x"})
    return env


def test_kernel_env_is_every_kernel_variable() -> None:
    environ = {"KERNEL_USERNAME": "bob", "KERNEL_NAMESPACE": "ns", "HOME": "/root", "K": "v"}
    assert kernel_env(environ) == {"KERNEL_USERNAME": "bob", "KERNEL_NAMESPACE": "ns"}
    assert kernel_env(environ, allowed=("K",), cwd="/w")["KERNEL_WORKING_DIR"] == "/w"
    assert kernel_env(environ, allowed=("K",))["K"] == "v"


def test_piped_console_on_a_gateway_passes_kernel_variables(
        gateway: RunningServer, console_env: dict[str, str]) -> None:  # noqa: F811
    before = _kernels(gateway)
    out = _jtui("console", "--gateway", gateway.base_url, env=_env(console_env, gateway),
                code=SHOW_ENV + "6 * 7\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["alice blue None", "42"]
    assert _kernels(gateway) == before  # the kernel we started was shut down
    wrong = _jtui("console", "--gateway", gateway.base_url, "--token", "bad-gateway-token",
                  env=_env(console_env, gateway), code="1\n")
    assert wrong.returncode == 2 and "401" in wrong.stderr and "token" in wrong.stderr
    assert "bad-gateway-token" not in wrong.stderr and "Traceback" not in wrong.stderr


def test_interactive_console_on_a_gateway(gateway: RunningServer, spawn,  # noqa: F811
                                          console_env: dict[str, str]) -> None:  # noqa: F811
    before = _kernels(gateway)
    term = spawn("--gateway", gateway.base_url, "--no-banner", env=_env(console_env, gateway))
    wait_prompt(term, 1, timeout=60)
    term.send("os_user = __import__('os').environ['KERNEL_USERNAME']; os_user\r")
    term.wait_for("Out[1]: 'alice'", timeout=30)
    wait_prompt(term, 2)
    assert gateway.token not in term.display()
    assert len(_kernels(gateway) - before) == 1
    term.send("\x04")
    assert term.wait_exit(30) == 0
    assert _kernels(gateway) == before


def test_run_on_a_gateway_keeps_files_local(gateway: RunningServer, tmp_path: Path,
                                            console_env: dict[str, str]) -> None:  # noqa: F811
    def notebook(*sources: str) -> str:
        cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                  "outputs": [], "source": s} for i, s in enumerate(sources)]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    source = tmp_path / "g.ipynb"
    source.write_text(notebook(SHOW_ENV, "6 * 7"))
    env = _env(console_env, gateway)
    out = _jtui("run", "--gateway", gateway.base_url, str(source), env=env)
    assert out.returncode == 0, out.stderr
    cells = json.loads((tmp_path / "g.nbconvert.ipynb").read_text())["cells"]
    assert cells[0]["outputs"][0]["text"] == ["alice blue None\n"]
    assert cells[1]["outputs"][0]["data"] == {"text/plain": ["42"]}
    assert gateway.token not in out.stderr

    (tmp_path / "bad.ipynb").write_text(notebook("raise KeyError('gone')"))
    failed = _jtui("run", "--gateway", gateway.base_url, str(tmp_path / "bad.ipynb"), env=env)
    assert failed.returncode == 1 and "KeyError" in failed.stderr
    assert not (tmp_path / "bad.nbconvert.ipynb").exists()
    inplace = _jtui("run", "--gateway", gateway.base_url, "--inplace", str(source), env=env)
    assert inplace.returncode == 0, inplace.stderr
    assert json.loads(source.read_text())["cells"][1]["outputs"]


async def test_a_gateway_mode_server_gets_the_legacy_framing(
        gateway_mode_server: RunningServer, gateway: RunningServer) -> None:
    kernel = await RemoteKernel.start(gateway_mode_server.url(), "python3")
    try:
        assert kernel.client.framing.name == "legacy"
        assert kernel.kernel_id in _kernels(gateway)  # the kernel lives on the gateway
        stream = kernel.client.events()
        msg_id = await kernel.client.execute("2 ** 5")
        events = await collect_until_done(stream, msg_id, 60)
        results = [e for e in events if isinstance(e, ExecuteResult)]
        assert results and results[0].data["text/plain"] == "32"
    finally:
        await kernel.shutdown()


def test_console_through_a_gateway_mode_server(gateway_mode_server: RunningServer,
                                               console_env: dict[str, str],  # noqa: F811
                                               ) -> None:
    env = {**console_env, "JUPYTER_TOKEN": gateway_mode_server.token}
    out = _jtui("console", "--gateway", gateway_mode_server.base_url, env=env,
                code="print('via', 'gateway mode')\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["via gateway mode"]
