"""Interrupt, restart, kernel death and start failures, on real kernels (one each)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tui.session import CellState, KernelSession, KernelState

from .conftest import add_cells, notebook, run, started, text, wait_for

pytestmark = pytest.mark.kernel


async def test_interrupt_of_a_long_sleep_returns_within_two_seconds() -> None:
    session = await started()
    try:
        sub = session.subscribe(rate=1000)
        sleeper, after = add_cells(session, "import time\ntime.sleep(60)", "print('after')")
        session.enqueue([sleeper, after])
        await wait_for(sub, lambda: sleeper.execution_count is not None)
        t0 = time.monotonic()
        await session.interrupt()
        await session.wait_idle(2)
        assert time.monotonic() - t0 < 2
        assert session.run_info(sleeper).state is CellState.ERROR  # type: ignore[union-attr]
        assert sleeper.outputs[-1]["ename"] == "KeyboardInterrupt"
        assert session.run_info(after).state is CellState.ABORTED  # type: ignore[union-attr]
        assert session.run_info(after).reason == "interrupted"  # type: ignore[union-attr]
        [again] = await run(session, "print('still alive')")
        assert text(again) == "still alive\n"
        sub.close()
    finally:
        await session.shutdown()


async def test_restart_clears_kernel_state() -> None:
    session = await started()
    try:
        await run(session, "remembered = 41")
        assert await session.restart()
        assert session.state is KernelState.IDLE
        [cell] = await run(session, "print(remembered)")
        assert session.run_info(cell).state is CellState.ERROR  # type: ignore[union-attr]
        assert cell.outputs[-1]["ename"] == "NameError"
        assert cell.execution_count == 1
    finally:
        await session.shutdown()


async def test_sigkill_mid_run_is_reported_within_three_seconds() -> None:
    session = await started()
    try:
        [pid_cell] = await run(session, "import os; print(os.getpid())")
        pid = int(text(pid_cell))
        sub = session.subscribe(rate=1000)
        sleeper, queued = add_cells(session, "import time\ntime.sleep(60)", "print(1)")
        session.enqueue([sleeper, queued])
        await wait_for(sub, lambda: sleeper.execution_count is not None)
        sub.take()
        t0 = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        batches = await wait_for(sub, lambda: session.state is KernelState.DEAD, timeout=3)
        assert time.monotonic() - t0 < 3
        notices = [n for b in batches for n in b.notices] + sub.take().notices
        assert [n.title for n in notices] == ["Kernel died"]
        assert notices[0].action == "restart" and "SIGKILL" in notices[0].message
        assert session.run_info(sleeper).state is CellState.DIED  # type: ignore[union-attr]
        assert session.run_info(queued).state is CellState.ABORTED  # type: ignore[union-attr]
        # nothing lost: the earlier cell still holds its output, the sources are intact
        assert text(pid_cell) == f"{pid}\n" and sleeper.source.endswith("sleep(60)")
        await session.wait_idle(1)
        sub.close()
        assert await session.restart()
        [cell] = await run(session, "print('back')")
        assert text(cell) == "back\n"
    finally:
        await session.shutdown()


async def test_unknown_kernel_fails_with_advice() -> None:
    session = KernelSession(notebook("1"), kernel_name="no-such-kernel-xyz")
    sub = session.subscribe(rate=1000)
    session.start()
    session.enqueue(session.nb.cells)
    assert not await session.wait_ready(10)
    assert session.state is KernelState.FAILED
    problem = session.problem
    assert problem is not None and problem.title == "No kernel named 'no-such-kernel-xyz'"
    assert "python3" in problem.message and problem.action == "change-kernel"
    assert session.run_info(session.nb.cells[0]).state is CellState.ABORTED  # type: ignore[union-attr]
    assert [n.title for n in sub.take().notices] == [problem.title]
    await session.shutdown()


async def test_notebook_without_kernel_asks_for_one() -> None:
    nb = notebook("1")
    nb.metadata.clear()
    session = KernelSession(nb)
    session.start()
    assert session.state is KernelState.NONE
    assert session.problem is not None and session.problem.action == "change-kernel"


def _install_kernel(root: Path, name: str, argv: list[str]) -> None:
    spec_dir = root / "kernels" / name
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": name, "language": "python"})
    )


async def test_kernel_that_exits_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_kernel(tmp_path, "crasher", [sys.executable, "-c", "import sys; sys.exit('boom')"])
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    session = KernelSession(notebook("1"), kernel_name="crasher", ready_timeout=20)
    session.start()
    assert not await session.wait_ready(30)
    problem = session.problem
    assert problem is not None and problem.title == "Kernel 'crasher' failed to start"
    assert "boom" in problem.message and "jtui kernels" in problem.message
    await session.shutdown()


async def test_kernel_that_never_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_kernel(tmp_path, "mute", [sys.executable, "-c", "import time; time.sleep(120)"])
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    session = KernelSession(notebook("1"), kernel_name="mute", ready_timeout=2)
    t0 = time.monotonic()
    session.start()
    assert not await session.wait_ready(20)
    assert time.monotonic() - t0 < 10
    assert session.state is KernelState.FAILED
    assert session.problem is not None and "did not" in session.problem.message
    await session.shutdown()


async def test_bash_kernel_runs_a_cell() -> None:
    session = await started("bash")
    try:
        first, second = await run(session, "echo hello; echo world", "false_cmd_xyz 2>&1; echo $?")
        assert text(first) == "hello\nworld\n"
        assert session.run_info(first).state is CellState.OK  # type: ignore[union-attr]
        assert isinstance(first.execution_count, int)
        assert "127" in text(second)
        completion = await session.complete("ech", 3)
        assert completion is not None and "echo" in completion.matches
    finally:
        await session.shutdown()
