"""Kernel lifecycle on real ipykernel: restart, shutdown, death detection, no orphans, attach."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from protocol.attach import attach
from protocol.connection import read_connection_file
from protocol.errors import KernelDeadError, KernelStartError
from protocol.events import ExecuteResult, KernelDied
from protocol.kernelspec import get_kernel_spec
from protocol.manager import KernelManager
from tests.protocol.conftest import first_output, next_event, run

pytestmark = pytest.mark.kernel


def _pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return ") Z " not in stat


def _reaped(pid: int) -> bool:
    """Gone from the process table: exited *and* waited for (no zombie)."""
    return not Path(f"/proc/{pid}").exists()


async def _wait_gone(pid: int, timeout: float) -> bool:
    """Wait for ``pid`` to disappear (it is not our child, so no pidfd-free wait is possible)."""
    fd = os.pidfd_open(pid)
    loop = asyncio.get_running_loop()
    gone = asyncio.Event()
    loop.add_reader(fd, gone.set)
    try:
        await asyncio.wait_for(gone.wait(), timeout)
        return True
    except asyncio.TimeoutError:
        return not _pid_alive(pid)
    finally:
        loop.remove_reader(fd)
        os.close(fd)


async def test_restart_keeps_client_and_resets_state() -> None:
    km = await KernelManager.start("python3")
    try:
        await run(km.client, "restart_probe = 1")
        old_pid = km.process.pid if km.process else None
        await km.restart()
        assert km.process is not None and km.process.pid != old_pid and km.is_alive()
        events = await run(km.client, "'restart_probe' in globals()")
        (result,) = [e for e in events if isinstance(e, ExecuteResult)]
        assert result.data["text/plain"] == "False"
        assert result.execution_count == 1
    finally:
        await km.shutdown()
    assert km.process is not None and km.process.returncode is not None


async def test_shutdown_is_graceful_and_cleans_up() -> None:
    km = await KernelManager.start("python3")
    path = km.connection_file
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    started = time.monotonic()
    await km.shutdown(timeout=10)
    assert time.monotonic() - started < 5  # answered shutdown_request, no escalation
    assert km.last_stop is not None and km.last_stop.replied and not km.last_stop.interrupted
    assert km.last_stop.ended_by == "request"
    assert km.process is not None and km.process.returncode == 0
    assert _reaped(km.process.pid)
    assert not path.exists()
    with pytest.raises(KernelDeadError):
        await km.client.kernel_info()
    with pytest.raises(KernelDeadError, match="shut down"):
        await km.restart()


async def test_shutdown_escalates_when_kernel_ignores_requests() -> None:
    km = await KernelManager.start("python3")
    pid = km.process.pid if km.process else -1
    # Stop the kernel: it can answer nothing, so shutdown must escalate to signals.
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        await km.shutdown(timeout=1)
        assert time.monotonic() - started < 8
    finally:
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
    assert km.process is not None and km.process.returncode is not None
    assert _reaped(pid)


async def test_sigkill_noticed_within_3_seconds() -> None:
    km = await KernelManager.start("python3")
    stream = km.client.events()
    try:
        assert km.process is not None
        killed = time.monotonic()
        os.kill(km.process.pid, signal.SIGKILL)
        died = await next_event(stream, KernelDied, timeout=3)
        assert time.monotonic() - killed < 3
        assert isinstance(died, KernelDied) and "SIGKILL" in died.reason
        assert _reaped(km.process.pid)  # the watch reaped it: no zombie
        with pytest.raises(KernelDeadError):
            await km.client.kernel_info()
        assert not km.is_alive()
    finally:
        stream.close()
        await km.shutdown()


async def test_pending_request_fails_when_kernel_dies() -> None:
    km = await KernelManager.start("python3")
    try:
        msg_id = await km.client.execute("import time; time.sleep(30)")
        assert km.process is not None
        os.kill(km.process.pid, signal.SIGKILL)
        with pytest.raises(KernelDeadError):
            await km.client.wait_for_execution(msg_id, timeout=5)
    finally:
        await km.shutdown()


async def test_restart_after_death() -> None:
    km = await KernelManager.start("python3")
    try:
        assert km.process is not None
        stream = km.client.events()
        os.kill(km.process.pid, signal.SIGKILL)
        await next_event(stream, KernelDied, timeout=3)
        stream.close()
        await km.restart()
        events = await run(km.client, "1+1")
        assert any(isinstance(e, ExecuteResult) for e in events)
    finally:
        await km.shutdown()


def test_no_orphan_when_owner_is_sigkilled(tmp_path: Path) -> None:
    """A kernel must die with the process that started it, even on SIGKILL (no cleanup runs)."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from protocol.manager import KernelManager

        async def main():
            km = await KernelManager.start(sys.argv[1])
            print(km.process.pid, flush=True)
            await asyncio.sleep(3600)

        asyncio.run(main())
        """
    )
    for name in ("python3", "xpython"):  # xeus-python ignores JPY_PARENT_PID
        # A SIGKILLed owner cannot delete its connection file: keep it out of the run's dir.
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
        owner = subprocess.Popen(
            [sys.executable, "-c", script, name], stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parents[2], env=env,
        )
        try:
            assert owner.stdout is not None
            kernel_pid = int(owner.stdout.readline())
            assert _pid_alive(kernel_pid)
            owner.kill()
            owner.wait(5)
            gone = asyncio.run(_wait_gone(kernel_pid, 5))
            assert gone, f"{name} kernel {kernel_pid} outlived its owner"
        finally:
            if owner.poll() is None:
                owner.kill()
                owner.wait()


async def test_attach_by_path_name_and_newest() -> None:
    km = await KernelManager.start("python3")
    try:
        path = km.connection_file
        await run(km.client, "shared_value = 41")
        for existing in (str(path), path.name, path.stem.removeprefix("kernel-")[:8]):
            client, info = await attach(existing)
            try:
                assert info == read_connection_file(path)
                events = await run(client, "shared_value + 1")
                (result,) = [e for e in events if isinstance(e, ExecuteResult)]
                assert result.data["text/plain"] == "42"
            finally:
                await client.close()
        os.utime(path)  # the newest file in the runtime dir
        client, _ = await attach(None)
        await client.close()
    finally:
        await km.shutdown()


async def test_attached_client_notices_death_by_heartbeat() -> None:
    km = await KernelManager.start("python3")
    client, _ = await attach(str(km.connection_file))
    stream = client.events()
    try:
        assert km.process is not None
        killed = time.monotonic()
        os.kill(km.process.pid, signal.SIGKILL)
        died = await next_event(stream, KernelDied, timeout=4)
        assert isinstance(died, KernelDied) and "heartbeat" in died.reason
        assert time.monotonic() - killed < 3.6
    finally:
        stream.close()
        await client.close()
        await km.shutdown()


async def test_attach_to_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no connection file"):
        await attach(str(tmp_path / "nope-kernel"))


async def test_broken_kernel_reports_its_output(tmp_path: Path) -> None:
    from dataclasses import replace

    spec = replace(
        get_kernel_spec("python3"),
        argv=[sys.executable, "-c", "import sys; print('boom: bad kernel'); sys.exit(3)"],
    )
    with pytest.raises(KernelStartError, match="boom: bad kernel"):
        await KernelManager.start(spec=spec, ready_timeout=10)


async def test_port_taken_before_the_kernel_binds_is_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The port race: another process grabs a port between our choice and the kernel's bind."""
    import socket
    from dataclasses import replace

    import protocol.manager
    from protocol.connection import new_connection_info

    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    taken = squatter.getsockname()[1]

    def racy_info(**kwargs: object) -> object:
        return replace(new_connection_info(**kwargs), shell_port=taken)  # type: ignore[arg-type]

    monkeypatch.setattr(protocol.manager, "new_connection_info", racy_info)
    try:
        km = await KernelManager.start("python3")
        try:
            assert km.info.shell_port != taken
            assert read_connection_file(km.connection_file).shell_port == km.info.shell_port
            assert (await km.client.kernel_info())["status"] == "ok"
        finally:
            await km.shutdown()
    finally:
        squatter.close()


async def test_shutdown_of_a_busy_kernel_interrupts_first() -> None:
    """ipykernel ignores shutdown_request while user code runs; we interrupt it first."""
    km = await KernelManager.start("python3")
    stream = km.client.events()
    try:
        msg_id = await km.client.execute(
            "import time\nprint('busy', flush=True)\ntime.sleep(60)"
        )
        await first_output(stream, msg_id)
        assert km.client.execution_state == "busy"
        started = time.monotonic()
        await km.shutdown(timeout=10)  # 5 s per step: room for a loaded machine
        assert time.monotonic() - started < 5
        assert km.process is not None and km.process.returncode == 0  # no SIGTERM needed
        assert km.last_stop is not None and km.last_stop.interrupted and km.last_stop.replied
    finally:
        stream.close()
        await km.shutdown()


async def test_cwd_and_extra_env_reach_the_kernel(tmp_path: Path) -> None:
    km = await KernelManager.start("python3", cwd=str(tmp_path), extra_env={"JTUI_PROBE": "x1"})
    try:
        events = await run(km.client, "import os\nos.getcwd(), os.environ['JTUI_PROBE']")
        (result,) = [e for e in events if isinstance(e, ExecuteResult)]
        assert result.data["text/plain"] == repr((str(tmp_path), "x1"))
    finally:
        await km.shutdown()


async def test_interrupt_mode_message_uses_interrupt_request() -> None:
    from dataclasses import replace

    spec = replace(get_kernel_spec("python3"), interrupt_mode="message")
    km = await KernelManager.start(spec=spec)
    stream = km.client.events()
    try:
        msg_id = await km.client.execute("import time\nprint('zz', flush=True)\ntime.sleep(30)")
        await first_output(stream, msg_id)
        sent: list[str] = []
        original = km.client.send

        async def spy(out: object, **kwargs: bool) -> str:
            sent.append(getattr(out, "msg_type", ""))
            return await original(out, **kwargs)  # type: ignore[arg-type]

        km.client.send = spy  # type: ignore[method-assign]
        await km.interrupt()
        reply = await km.client.wait_for_execution(msg_id, timeout=10)
        assert reply["ename"] == "KeyboardInterrupt"
        assert sent == ["interrupt_request"]
    finally:
        stream.close()
        await km.shutdown()
