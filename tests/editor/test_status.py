"""The status bar's kernel text has one form from the first frame on."""

from __future__ import annotations

from tests.editor.conftest import numbered_notebook, run_editor
from tui.notebook.kernel_controller import kernel_status_text
from tui.session import KernelState


def status(ed) -> str:
    return " ".join(str(ed.screen.query_one("#status").render()).split())


async def test_kernel_text_is_the_same_before_and_after_the_first_key(write_nb):
    path = write_nb(numbered_notebook(3))
    async with run_editor(path) as ed:
        first = status(ed)
        assert "kernel: python3 · not started" in first
        await ed.press("j")
        after = status(ed)
        assert "kernel: python3 · not started" in after
        assert first.replace("cell 1 of 3", "cell 2 of 3") == after


def test_kernel_text_for_each_state():
    assert kernel_status_text("python3", KernelState.NONE) == "python3 · not started"
    assert kernel_status_text(None, KernelState.NONE) == "none"
    assert kernel_status_text("python3", KernelState.STARTING) == "python3 · starting"
    assert kernel_status_text("python3", KernelState.BUSY) == "python3 · busy"
    assert kernel_status_text("bash", KernelState.DEAD) == "bash · dead"
    assert kernel_status_text(None, KernelState.FAILED) == "no kernel · failed"
