"""The console on a server kernel when the network drops or the server restarts (real console in
a pty, real jupyter_server; the fault is tests/support/dropproxy.py or a real restart)."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocol.remote.rest import ServerClient
from tests.console.conftest import console_env, spawn, wait_prompt  # noqa: F401
from tests.support.dropproxy import drop_proxy
from tests.support.jserver import RunningServer, free_port, jupyter_server

pytestmark = pytest.mark.kernel

FAST = {"JTUI_RECONNECT_DELAY": "0.2", "JTUI_RECONNECT_MAX_DELAY": "1",
        "JTUI_RECONNECT_TRIES": "10"}


def test_console_reconnects_after_a_drop_and_marks_the_running_cell(
        server: RunningServer, spawn, console_env: dict[str, str],  # noqa: F811
        tmp_path: Path) -> None:
    flag = tmp_path / "go"
    with drop_proxy(server.port) as proxy:
        url = f"http://127.0.0.1:{proxy.port}{server.base_path}?token={server.token}"
        term = spawn("--server", url, "--no-banner", env={**console_env, **FAST})
        wait_prompt(term, 1, timeout=60)
        term.send("x = 5\r")
        wait_prompt(term, 2)
        proxy.drop()
        term.wait_for("reconnecting to the server", timeout=30)
        term.wait_for("reconnected to the kernel", timeout=30)
        term.send("x + 1\r")
        term.wait_for("Out[2]: 6", timeout=30)
        wait_prompt(term, 3)

        term.send("import os, time; [time.sleep(0.02) for _ in iter(lambda: os.path.exists("
                  f"{str(flag)!r}), True)]; print('cell finished')\r")
        rest = ServerClient(server.url())
        term.wait_until(lambda t: any(k.execution_state == "busy" for k in rest.kernels()), 30,
                        "the cell runs")
        proxy.refuse()
        proxy.drop()
        term.wait_for("reconnecting to the server", timeout=30)
        proxy.accept()
        term.wait_for("output may be incomplete", timeout=30)
        flag.write_text("")
        term.wait_for("\ncell finished", timeout=30)
        wait_prompt(term, 4)
        assert server.token not in term.display()
        term.send("\x04")
        assert term.wait_exit(30) == 0


def test_console_says_the_kernel_is_gone_after_a_server_restart(
        spawn, console_env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    port = free_port()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with jupyter_server(tmp_path / "a", port=port) as first:
        token = first.token
        term = spawn("--server", first.base_url, "--token", token, "--no-banner",
                     env={**console_env, **FAST})
        wait_prompt(term, 1, timeout=60)
        term.send("1 + 1\r")
        wait_prompt(term, 2)
    term.wait_for("reconnecting to the server", timeout=30)
    with jupyter_server(tmp_path / "b", port=port, token=token):
        term.wait_for("the kernel is gone from the server", timeout=60)
        assert token not in term.display()
        term.send("\x04")
        assert term.wait_exit(30) == 0
