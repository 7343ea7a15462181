"""Messages cells and the cell list post up to the notebook screen."""

from __future__ import annotations

from textual.message import Message


class RunRequested(Message):
    """Run cells: posted by a cell editor or the cell list; the screen decides what happens.

    ``indices`` are positions in the notebook when the request was made; ``then`` is
    ``"stay"``, ``"advance"`` (select the next cell) or ``"insert"`` (insert a cell below).
    """

    def __init__(self, indices: list[int], then: str = "stay") -> None:
        super().__init__()
        self.indices = indices
        self.then = then


class CellClicked(Message):
    """A cell was clicked: select it; ``edit`` when it should enter edit mode."""

    def __init__(self, index: int, *, edit: bool) -> None:
        super().__init__()
        self.index = index
        self.edit = edit


class EditorScrolledAway(Message):
    """The cell being edited left the viewport (mouse wheel): its editor is going away.

    ``text`` is what was typed; the screen keeps it (one undo step) and returns to command mode.
    """

    def __init__(self, index: int, text: str) -> None:
        super().__init__()
        self.index = index
        self.text = text
