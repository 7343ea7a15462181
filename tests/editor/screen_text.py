"""Plain text of what a Textual app shows (for assertions on the screen's content)."""

from __future__ import annotations

from typing import Any

from textual.app import App


def screen_text(app: App[Any]) -> str:
    """The current screen as lines of plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


async def until_settled(app: App[Any], pilot: Any, *, limit: float = 20.0) -> None:
    """Wait (by events, in short pauses) until the pictures are decoded and every cell list
    has measured its last layout: what a snapshot must show."""
    from tui.notebook.cell_list import CellList

    loop_time = 0.0
    while loop_time < limit:
        lists = [cells for screen in app.screen_stack for cells in screen.query(CellList)]
        if lists and all(cells.settled for cells in lists) \
                and "loading image" not in screen_text(app):
            return
        await pilot.pause(0.02)
        loop_time += 0.02
