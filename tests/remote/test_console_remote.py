"""`jtui console --server URL`: the real console in a pty (and piped) on a server kernel."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from protocol.remote.rest import ServerClient
from tests.console.conftest import ROOT, console_env, spawn, wait_prompt  # noqa: F401
from tests.support.jserver import RunningServer

pytestmark = pytest.mark.kernel


def _kernel_ids(server: RunningServer) -> set[str]:
    return {k.id for k in ServerClient(server.url()).kernels()}


def _piped(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", "console", *args], input=code,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=90)


def test_interactive_console_on_a_server_kernel(server: RunningServer, spawn,  # noqa: F811
                                                ) -> None:
    before = _kernel_ids(server)
    pasted = f"{server.base_url}lab?token={server.token}"
    term = spawn("--server", pasted, "--no-banner")
    wait_prompt(term, 1, timeout=60)
    assert server.token not in term.display()
    started = _kernel_ids(server) - before
    assert len(started) == 1

    term.send("for i in range(3): print('line', i)\r")
    term.wait_for("line 2", timeout=30)
    wait_prompt(term, 2)
    # Rich output as locally: a Markdown display is rendered (no '#', the heading's text).
    term.send("from IPython.display import Markdown, display; display(Markdown('# Big title'))\r")
    term.wait_for(re.compile(r"^\s*Big title\s*$", re.M), timeout=30)  # no '#' left
    wait_prompt(term, 3)
    # stdin: input() prompts in the console and the answer reaches the server kernel.
    term.send("name = input('who? '); print('hello', name)\r")
    term.wait_for("who? ", timeout=30)
    term.send("remote\r")
    term.wait_for("hello remote", timeout=30)
    wait_prompt(term, 4)
    # Ctrl-C interrupts through the REST API.
    term.send("import time; time.sleep(120)\r")
    term.wait_until(lambda t: "In [4]: import time" in t.display(), 10, "the cell echoed")
    ((kernel_id,),) = (started,)
    client = ServerClient(server.url())
    term.wait_until(lambda t: client.kernel(kernel_id).execution_state == "busy", 30, "busy")
    term.send("\x03")
    term.wait_for("KeyboardInterrupt", timeout=30)
    wait_prompt(term, 5)
    # Exit shuts down the kernel we started.
    term.send("\x04")
    assert term.wait_exit(30) == 0
    assert kernel_id not in _kernel_ids(server)


def test_existing_server_kernel_is_left_running(server: RunningServer, spawn,  # noqa: F811
                                                ) -> None:
    client = ServerClient(server.url())
    model = client.start_kernel("python3")
    try:
        term = spawn("--server", server.base_url, "--token", server.token, "--existing",
                     model.id, "--no-banner")
        wait_prompt(term, 1, timeout=60)
        term.send("kept = 'still here'\r")
        wait_prompt(term, 2)
        term.send("\x04")
        term.wait_for("Leaving the kernel running", timeout=30)
        assert term.wait_exit(30) == 0
        assert model.id in _kernel_ids(server)
    finally:
        client.shutdown_kernel(model.id)


def test_piped_console_on_a_server(server: RunningServer,
                                   console_env: dict[str, str]) -> None:  # noqa: F811
    before = _kernel_ids(server)
    env = {**console_env, "JUPYTER_TOKEN": server.token}
    ok = _piped("print('piped', 1)\nimport sys\nprint('warn', file=sys.stderr)\n40 + 2\n", env,
                "--server", server.base_url)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == ["piped 1", "42"]
    assert ok.stderr.strip() == "warn"
    failed = _piped("raise ValueError('boom')\n", env, "--server", server.base_url)
    assert failed.returncode == 1 and "ValueError: boom" in failed.stderr
    assert _kernel_ids(server) == before  # both kernels were shut down

    bash = _piped("echo one\necho two\n", env, "--server", server.base_url, "--kernel", "bash")
    assert bash.returncode == 0, bash.stderr
    assert bash.stdout.splitlines() == ["one", "two"]

    env.pop("JUPYTER_TOKEN")
    bad = _piped("1\n", env, "--server", server.base_url, "--token", "wrong-token-123")
    assert bad.returncode == 2 and "403" in bad.stderr and "token" in bad.stderr
    assert "wrong-token-123" not in bad.stderr + bad.stdout and "Traceback" not in bad.stderr
    hub = _piped("1\n", {**env, "JUPYTERHUB_API_TOKEN": server.token}, "--server",
                 server.base_url, "--kernel", "no-such-kernel")
    assert hub.returncode == 2 and "no-such-kernel" in hub.stderr
    assert server.token not in hub.stderr and "Traceback" not in hub.stderr
    missing = _piped("1\n", env, "--server", f"{server.base_url}?token={server.token}",
                     "--existing", "00000000-0000-0000-0000-000000000000")
    assert missing.returncode == 2 and "404" in missing.stderr
    assert server.token not in missing.stderr
    assert re.search(r"jtui console: ", missing.stderr)


def test_restart_of_a_server_kernel_keeps_the_console_working(
        server: RunningServer, spawn) -> None:  # noqa: F811
    term = spawn("--server", server.base_url, "--token", server.token, "--no-banner")
    wait_prompt(term, 1, timeout=60)
    term.send("before = 1\r")
    wait_prompt(term, 2)
    term.send(":restart\r")
    term.wait_for("Kernel restarted.", timeout=60)
    wait_prompt(term, 1)
    term.send("'before' in dir()\r")
    term.wait_for("Out[1]: False", timeout=30)  # a new process, and its output reaches us
    wait_prompt(term, 2)
    term.send("print('after restart')\r")
    term.wait_for("\nafter restart", timeout=30)
    term.send("\x04")
    assert term.wait_exit(30) == 0
