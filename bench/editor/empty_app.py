"""The floor for first paint: an empty Textual app that shows one line of text.

``bench_editor`` launches it beside the editors, in the same run and the same pseudo-terminal,
so "first paint within 0.15 s of an empty Textual app" (issue 12) is read from one table::

    python bench/editor/empty_app.py MARKER [PATH]

It shows MARKER (the text the bench waits for) and ignores PATH.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class EmptyApp(App[None]):
    """One Static with the marker text: what Python + Textual cost before any editor code."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def compose(self) -> ComposeResult:
        yield Static(self.marker)


if __name__ == "__main__":
    EmptyApp(sys.argv[1]).run()
