"""Kernel text for the terminal: sanitized (SGR colours only) and cut to a bounded line width.

A stream arrives in chunks, and one line may span many of them (``print('x' * 50_000_000)``
comes as a few huge messages): :class:`LineCutter` remembers how far along the current line
is, shows at most ``limit`` characters of it, and when the line ends (``\\n``, or ``\\r`` for a
progress bar) adds a dim ``… (N more characters)``. Only about ``RAW_SLACK * limit`` characters
of a long line are sanitized and measured, so the cost is what is shown, not what was sent.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui.render.ansi import RAW_SLACK, clip_line, cut_mark
from tui.render.sanitize import sanitize_sgr_only, strip_escapes

DIM, RESET = "\x1b[2m", "\x1b[0m"

_BREAK = re.compile(r"(\r\n|\n|\r)")

_OPEN_CSI = re.compile(r"\x1b(?:\[[0-?]{0,64}[ -/]{0,8})?\Z")
"""A CSI (a colour) cut short at the end of a piece: kept for the next piece."""


def _visible(text: str) -> int:
    return len(strip_escapes(text)) if "\x1b" in text else len(text)


@lru_cache(maxsize=8)
def _long_line(limit: int) -> re.Pattern[str]:
    return re.compile(f"[^\r\n]{{{limit + 1}}}")


def _fits(raw: str, room: int, limit: int) -> bool:
    """True when no line of ``raw`` is cut: its first line within ``room``, the rest within
    ``limit`` characters (escape codes counted: a conservative test)."""
    first = len(raw)
    for br in ("\n", "\r"):
        at = raw.find(br)
        if 0 <= at < first:
            first = at
    if first > room:
        return False
    return _long_line(limit).search(raw, first) is None


class LineCutter:
    """Cuts the lines of a text that arrives in pieces; ``limit=None`` only sanitizes."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.col = 0
        """Visible characters of the current line already let through."""
        self.dropped = 0
        """Characters of the current line left out so far."""
        self._carry = ""

    def feed(self, raw: str) -> str:
        """The next piece of kernel text, sanitized and cut. A colour sequence split between
        two pieces is held back and joined to the next one."""
        if self._carry:
            raw, self._carry = self._carry + raw, ""
        if "\x1b" in raw[-80:]:
            open_csi = _OPEN_CSI.search(raw, max(0, len(raw) - 80))
            if open_csi is not None:
                self._carry = raw[open_csi.start():]
                raw = raw[:open_csi.start()]
        limit = self.limit
        if limit is None:
            return sanitize_sgr_only(raw)
        if not self.dropped and self.col + len(raw) <= limit:
            out = sanitize_sgr_only(raw)
            self._advance(out)
            return out
        if not self.dropped and _fits(raw, limit - self.col, limit):
            out = sanitize_sgr_only(raw)  # many short lines: no per-line Python loop
            self._advance(out)
            return out
        parts: list[str] = []
        for piece in _BREAK.split(raw):
            if piece in ("\n", "\r", "\r\n"):
                parts.append(self._mark())
                parts.append(piece)
                self.col = 0
            elif piece:
                parts.append(self._segment(piece, limit))
        return sanitize_sgr_only("".join(parts))

    def _segment(self, piece: str, limit: int) -> str:
        room = limit - self.col
        if self.dropped or room <= 0:
            self.dropped += len(piece)
            return ""
        if len(piece) <= room:
            self.col += _visible(piece)
            return piece
        budget = RAW_SLACK * room + 256
        clean = sanitize_sgr_only(piece[:budget])
        shown, hidden = clip_line(clean, room)
        self.dropped = hidden + max(0, len(piece) - budget)
        self.col += _visible(shown)
        return shown

    def _advance(self, out: str) -> None:
        """Follow the column through text that was let through whole."""
        last = max(out.rfind("\n"), out.rfind("\r"))
        self.col = _visible(out[last + 1:]) + (self.col if last < 0 else 0)

    def _mark(self) -> str:
        if not self.dropped:
            return ""
        mark = f"{RESET}{DIM}{cut_mark(self.dropped)}{RESET}"
        self.dropped = 0
        return mark

    def finish(self) -> str:
        """The line ends here (the output is over): its mark if it was cut."""
        mark = self._mark()
        self.col = 0
        self._carry = ""  # never completed: dropped, as sanitizing would
        return mark


def bounded_text(raw: str, limit: int | None) -> str:
    """A whole kernel text (a traceback, a ``text/plain`` result) sanitized and cut."""
    cutter = LineCutter(limit)
    return cutter.feed(raw) + cutter.finish()


def bounded_prompt(raw: str, *, line_limit: int = 400, max_lines: int = 20) -> str:
    """The kernel's ``input()`` prompt, sanitized and small enough for a prompt to draw:
    at most ``max_lines`` lines (the last ones: the question is at the end), each cut to
    ``line_limit`` characters, with marks saying what was left out."""
    head = ""
    if raw.count("\n") >= max_lines:
        lines = raw.split("\n")
        hidden = len(lines) - max_lines
        raw = "\n".join(lines[hidden:])
        head = f"{DIM}… ({hidden:,} earlier lines){RESET}\n"
    return head + bounded_text(raw, line_limit)
