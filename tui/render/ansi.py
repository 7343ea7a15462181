"""ANSI-coloured text (streams, tracebacks) to Rich :class:`~rich.text.Text`, bounded in size."""

from __future__ import annotations

from rich.text import Text

MAX_LINES = 200
"""How many lines of one text output the editor shows (the tail); the model keeps them all."""


def tail_lines(text: str, max_lines: int = MAX_LINES) -> tuple[str, int]:
    """Return the last ``max_lines`` lines of ``text`` and how many lines were left out."""
    if text.count("\n") <= max_lines:
        return text, 0
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    hidden = max(0, len(lines) - max_lines)
    return "\n".join(lines[hidden:]), hidden


def ansi_text(text: str, *, style: str = "", max_lines: int = MAX_LINES) -> Text:
    """Parse ANSI escape sequences in ``text`` into a :class:`Text` (at most ``max_lines``).

    A trailing newline is dropped (it would show as an empty line). When lines were left out,
    a dim first line says how many.
    """
    shown, hidden = tail_lines(text, max_lines)
    if shown.endswith("\n"):
        shown = shown[:-1]
    # \r-overwritten progress bars: keep what a terminal would show for each line.
    if "\r" in shown:
        shown = "\n".join(line.rsplit("\r", 1)[-1] if "\r" in line else line
                          for line in shown.replace("\r\n", "\n").split("\n"))
    body = Text.from_ansi(shown, style=style, no_wrap=False)
    if hidden:
        head = Text(f"… {hidden} earlier lines not shown\n", style="dim italic")
        return head + body
    return body
