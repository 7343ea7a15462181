"""Start-up: ``jtui PATH`` freezes the start-up objects out of the collector's sight once the
first frame is on screen; apps under test (``freeze_gc`` off) never do."""

from __future__ import annotations

import gc

import pytest
from textual._context import active_app

from tests.editor.conftest import numbered_notebook, run_editor


@pytest.fixture
def freezes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[int]]]:
    """Calls of gc.collect / gc.freeze, each with the cells the list showed at that moment."""
    calls: list[tuple[str, list[int]]] = []

    def shown() -> list[int]:
        return list(active_app.get().notebook_screen.cell_list.window)

    monkeypatch.setattr(gc, "collect", lambda *args: calls.append(("collect", shown())) or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(("freeze", shown())))
    return calls


async def test_freeze_once_the_first_frame_is_on_screen(write_nb, freezes):
    async with run_editor(write_nb(numbered_notebook(3)), freeze_gc=True) as ed:
        assert freezes == [("collect", [0, 1, 2]), ("freeze", [0, 1, 2])]
        await ed.press("j", "k")
        assert len(freezes) == 2  # once


async def test_no_freeze_unless_asked(write_nb, freezes):
    async with run_editor(write_nb(numbered_notebook(3))) as ed:
        await ed.press("j")
        assert freezes == []
