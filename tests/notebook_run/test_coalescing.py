"""The UI-side coalescing of session changes (no kernel needed)."""

from __future__ import annotations

from nbio.model import Cell
from tui.notebook.kernel_controller import SessionChanged
from tui.session import Change, ChangeBatch, KernelState, Notice


def test_a_waiting_batch_is_folded_into_the_next_one() -> None:
    a, b = Cell.new("code", "a"), Cell.new("code", "b")
    older = ChangeBatch()
    older.add_cell(a, Change.OUTPUTS)
    older.add_cell(a, Change.STATE)
    older.kernel_state = KernelState.BUSY
    older.notices.append(Notice("warning", "first", "m"))
    newer = ChangeBatch()
    newer.add_cell(a, Change.OUTPUTS)
    newer.add_cell(b, Change.COUNT)
    newer.notices.append(Notice("error", "second", "m"))
    old_message, new_message = SessionChanged(older), SessionChanged(newer)
    assert old_message.can_replace(new_message)
    merged = new_message.batch
    assert merged.kinds_for(a) == {Change.OUTPUTS, Change.STATE}
    assert merged.kinds_for(b) == {Change.COUNT}
    assert merged.kernel_state is KernelState.BUSY  # the newer batch had none
    assert [n.title for n in merged.notices] == ["first", "second"]
    assert merged.events == 4  # the add_cell calls of both


def test_other_messages_are_not_replaced() -> None:
    from textual.message import Message

    assert not SessionChanged(ChangeBatch()).can_replace(Message())
