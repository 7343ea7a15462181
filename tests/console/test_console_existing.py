"""``jtui console --existing``: attach to a kernel started separately (by jupyter_client, the
reference implementation), interrupt it, see other clients' output, and leave it running."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import KernelManager

from tests.console.conftest import Spawn, wait_prompt

pytestmark = [pytest.mark.kernel, pytest.mark.pty]


@pytest.fixture
def separate_kernel(console_env: dict[str, str]) -> Iterator[KernelManager]:
    runtime = Path(console_env["JUPYTER_RUNTIME_DIR"])
    runtime.mkdir(parents=True, exist_ok=True)
    km = KernelManager(kernel_name="python3",
                       connection_file=str(runtime / "kernel-separate.json"))
    km.start_kernel(env={**console_env, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=30)
    client.stop_channels()
    yield km
    km.shutdown_kernel(now=True)


def _execute_as_other_client(km: KernelManager, code: str) -> dict[str, Any]:
    """Run ``code`` from a second (jupyter_client) client of the kernel; its execute_reply."""
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=10)
        reply: dict[str, Any] = client.execute_interactive(code, timeout=10)
        return reply
    finally:
        client.stop_channels()


def _kernel_answers(km: KernelManager) -> bool:
    return bool(_execute_as_other_client(km, "attached_value")["content"]["status"] == "ok")


def test_attach_run_and_leave_the_kernel_running(
    spawn: Spawn, separate_kernel: KernelManager
) -> None:
    term = spawn("--existing", separate_kernel.connection_file, "--no-banner")
    wait_prompt(term, 1)
    term.send("attached_value = 'set by jtui'\r")
    wait_prompt(term, 2)
    term.send("attached_value\r")
    term.wait_for("Out[2]: 'set by jtui'")
    term.send("exit\r")  # IPython's ask_exit payload; attached kernels are kept
    assert term.wait_exit(timeout=15) == 0
    assert separate_kernel.is_alive()
    assert _kernel_answers(separate_kernel)


def test_attach_to_newest_and_interrupt_over_control(
    spawn: Spawn, separate_kernel: KernelManager
) -> None:
    term = spawn("--existing", "--no-banner")  # the newest connection file in the runtime dir
    wait_prompt(term, 1)
    term.send("import time; print('sle' + 'eping', flush=True); time.sleep(60)\r")
    term.wait_for(re.compile(r"^sleeping$", re.M))  # the kernel runs the cell
    term.send("\x03")
    start = time.monotonic()
    term.wait_for("KeyboardInterrupt", timeout=5)
    wait_prompt(term, 2, timeout=5)
    assert time.monotonic() - start < 2.0
    term.send("\x04")
    assert term.wait_exit(timeout=15) == 0
    assert separate_kernel.is_alive()


def test_other_clients_output_with_include_other_output(
    spawn: Spawn, separate_kernel: KernelManager
) -> None:
    term = spawn("--existing", separate_kernel.connection_file, "--include-other-output",
                 "--no-banner")
    wait_prompt(term, 1)
    _execute_as_other_client(separate_kernel, "print('from the other client')")
    # Shown at once, above the waiting prompt, without pressing Enter.
    term.wait_for(re.compile(r"Remote In \[\d+\]: print\('from the other client'\)"))
    term.wait_for(re.compile(r"^from the other client$", re.M))


def test_restart_of_an_attached_kernel_is_done_by_its_owner(
    spawn: Spawn, separate_kernel: KernelManager
) -> None:
    """`:restart` on an attached kernel sends shutdown_request(restart=True); its owner (here
    this test, like Jupyter Server's restarter) starts it again on the same ports.

    The owner's part runs on this thread: jupyter_client's synchronous manager is not safe to
    drive from a second thread (seen once under load as an InvalidStateError)."""
    process = separate_kernel.provisioner.process  # type: ignore[union-attr]
    term = spawn("--existing", separate_kernel.connection_file, "--no-banner")
    wait_prompt(term, 1)
    term.send("before_restart = 1\r")
    wait_prompt(term, 2)
    term.send(":restart\r")
    process.wait(timeout=30)  # the kernel exits on shutdown_request(restart=True)
    separate_kernel.restart_kernel(now=True)
    term.wait_for("Kernel restarted", timeout=30)
    wait_prompt(term, 1)
    term.send("'before_restart' in dir()\r")
    term.wait_for("Out[1]: False")


def test_other_clients_output_is_hidden_by_default(
    spawn: Spawn, separate_kernel: KernelManager
) -> None:
    term = spawn("--existing", separate_kernel.connection_file, "--no-banner")
    wait_prompt(term, 1)
    _execute_as_other_client(separate_kernel, "print('not for' + ' you')")
    # IOPub is ordered: once our own result is on screen, the other output was routed already.
    term.send("'mine'\r")
    term.wait_for(re.compile(r"Out\[\d+\]: 'mine'"))
    assert "not for you" not in term.display()
    assert "Remote" not in term.display()
