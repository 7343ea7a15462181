"""KernelSession against a real ipykernel (one kernel shared by this module's tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.session import CellState, Change, InputPrompt, KernelSession, KernelState
from tui.session.session import PASSWORD_ECHO

from .conftest import add_cells, run, text, wait_for

pytestmark = [pytest.mark.kernel, pytest.mark.asyncio(loop_scope="module")]


async def test_streams_arrive_in_order_with_counts_and_result(shared: KernelSession) -> None:
    code = (
        "import sys\n"
        "for i in range(300):\n"
        "    print(i)\n"
        "    if i % 50 == 0: sys.stdout.flush()\n"
        "print('err', file=sys.stderr)\n"
        "6 * 7"
    )
    [cell] = await run(shared, code)
    info = shared.run_info(cell)
    assert info is not None and info.state is CellState.OK
    assert text(cell) == "".join(f"{i}\n" for i in range(300))
    assert text(cell, "stderr") == "err\n"
    assert isinstance(cell.execution_count, int) and cell.execution_count >= 1
    result = [o for o in cell.outputs if o["output_type"] == "execute_result"]
    assert result and result[0]["data"]["text/plain"] == "42"
    assert result[0]["execution_count"] == cell.execution_count
    assert info.elapsed is not None and info.elapsed > 0


async def test_progress_bar_ends_as_one_line(shared: KernelSession) -> None:
    code = (
        "import sys\n"
        "for i in range(101):\n"
        "    sys.stdout.write(f'\\r{i:3d}%|' + '#' * (i // 10))\n"
        "    sys.stdout.flush()\n"
        "print()"
    )
    [cell] = await run(shared, code)
    assert text(cell) == "100%|##########\n"


async def test_error_aborts_the_rest_of_the_queue(shared: KernelSession) -> None:
    sub = shared.subscribe(rate=1000)
    ok, bad, after, later = add_cells(shared, "a_value = 1", "1/0", "a_value = 2", "print('no')")
    shared.enqueue([ok, bad, after, later])
    assert [r.state for r in map(shared.run_info, (ok, bad, after, later))] == [  # type: ignore[union-attr]
        CellState.RUNNING, CellState.QUEUED, CellState.QUEUED, CellState.QUEUED
    ]
    await shared.wait_idle(30)
    states = [shared.run_info(c).state for c in (ok, bad, after, later)]  # type: ignore[union-attr]
    assert states == [CellState.OK, CellState.ERROR, CellState.ABORTED, CellState.ABORTED]
    assert shared.run_info(after).reason == "an earlier cell failed"  # type: ignore[union-attr]
    assert after.execution_count is None and after.outputs == []
    error = bad.outputs[-1]
    assert error["output_type"] == "error" and error["ename"] == "ZeroDivisionError"
    assert any("ZeroDivisionError" in line for line in error["traceback"])
    batch = sub.take()
    assert Change.STATE in batch.kinds_for(later)
    sub.close()
    [check] = await run(shared, "print(a_value)")
    assert text(check) == "1\n"


async def test_input_is_answered_and_echoed(shared: KernelSession) -> None:
    prompts: list[InputPrompt] = []

    async def answer(prompt: InputPrompt) -> str:
        prompts.append(prompt)
        return "world"

    shared.input_handler = answer
    try:
        [cell] = await run(shared, "name = input('name? ')\nprint('hello', name)")
    finally:
        shared.input_handler = None
    assert [(p.prompt, p.password, p.cell is cell) for p in prompts] == [("name? ", False, True)]
    assert text(cell) == "name? world\nhello world\n"


async def test_getpass_is_answered_hidden(shared: KernelSession) -> None:
    sub = shared.subscribe(rate=1000)
    code = "import getpass\nsecret = getpass.getpass('pw: ')\nprint(len(secret))"
    [cell] = add_cells(shared, code)
    shared.enqueue([cell])
    await wait_for(sub, lambda: shared.pending_input is not None)
    prompt = shared.pending_input
    assert prompt is not None and prompt.password and prompt.cell is cell
    assert prompt.prompt == "pw: "
    await shared.answer_input("hunter22")
    await shared.wait_idle(10)
    sub.close()
    assert "hunter22" not in text(cell)
    assert text(cell).endswith(f"pw: {PASSWORD_ECHO}\n8\n")


async def test_update_display_data_reaches_another_cell(shared: KernelSession) -> None:
    first, second = await run(
        shared,
        "h = display({'text/plain': 'before'}, raw=True, display_id=True)",
        "h.update({'text/plain': 'after'}, raw=True)",
    )
    assert [o["data"]["text/plain"] for o in first.outputs] == ["after"]
    assert second.outputs == []


async def test_clear_output_wait_keeps_only_the_last(shared: KernelSession) -> None:
    code = (
        "from IPython.display import clear_output\n"
        "for i in range(5):\n"
        "    clear_output(wait=True)\n"
        "    print('frame', i)"
    )
    [cell] = await run(shared, code)
    assert text(cell) == "frame 4\n"


async def test_timing_metadata_as_jupyterlab_records_it(shared: KernelSession) -> None:
    shared.record_timing = True
    try:
        [cell] = await run(shared, "import time; time.sleep(0.05)")
    finally:
        shared.record_timing = False
    timing = cell.metadata["execution"]
    assert set(timing) >= {
        "iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"
    }
    stamps = [dt.datetime.fromisoformat(timing[k].replace("Z", "+00:00")) for k in (
        "iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle")]
    assert stamps == sorted(stamps)
    assert (stamps[2] - stamps[1]).total_seconds() >= 0.05


async def test_floods_are_coalesced(shared: KernelSession) -> None:
    sub = shared.subscribe(rate=20)
    [cell] = add_cells(
        shared, "import sys\nfor i in range(20000):\n    print(i)\n    sys.stdout.flush()"
    )
    applied_before = shared.stats.applied
    shared.enqueue([cell])
    batches = await wait_for(
        sub, lambda: (r := shared.run_info(cell)) is not None and r.state.finished, timeout=60
    )
    sub.close()
    applied = shared.stats.applied - applied_before
    assert text(cell).endswith("19999\n")
    assert applied > 100  # the kernel sent many stream messages...
    assert len(batches) < applied / 5  # ...and the UI saw far fewer batches
    folded = sum(b.events for b in batches)
    assert folded >= applied


async def test_completion_and_inspection(shared: KernelSession) -> None:
    completion = await shared.complete("import o", 8)
    assert completion is not None and "os" in completion.matches
    assert (completion.cursor_start, completion.cursor_end) == (7, 8)
    code = "import os.path\nos.path.joi"
    completion = await shared.complete(code, len(code))
    assert completion is not None and "join" in completion.matches
    at = completion.matches.index("join")
    assert completion.types[at] == "function"
    assert completion.signatures[at].startswith("(") and "path" in completion.signatures[at]
    info = await shared.inspect("len", 3)
    assert info is not None and "text/plain" in info
    assert await shared.inspect("no_such_name_here", 5) is None


async def test_inspect_while_the_kernel_is_busy_times_out_instead_of_not_found(
        shared: KernelSession) -> None:
    sub = shared.subscribe(rate=1000)
    [busy] = add_cells(shared, "import time; time.sleep(1.5)")
    shared.enqueue([busy])
    await wait_for(sub, lambda: shared.state is KernelState.BUSY)
    with pytest.raises(TimeoutError):
        await shared.inspect("len", 3, timeout=0.3)
    await shared.wait_idle(30)
    assert await shared.inspect("len", 3) is not None


async def test_kernel_state_and_metadata(shared: KernelSession) -> None:
    assert shared.state in (KernelState.IDLE, KernelState.BUSY)
    assert shared.nb.metadata["kernelspec"]["name"] == "python3"
    assert shared.nb.metadata["language_info"]["name"] == "python"
