"""ANSI-coloured text (streams, tracebacks) to Rich :class:`~rich.text.Text`, bounded in size.

Kernel text is untrusted: everything but SGR colours is removed
(:func:`tui.render.sanitize.sanitize_sgr_only`), and lines are cut to what can be shown
*before* Rich parses them, so the cost is proportional to what is on screen, not to what the
kernel sent (one 50 MB line costs as much as a screenful).
"""

from __future__ import annotations

from rich.ansi import AnsiDecoder
from rich.text import Text

from tui.render.sanitize import SGR_RE, sanitize_sgr_only

MAX_LINES = 200
"""How many lines of one text output the editor shows (the tail); the model keeps them all."""

RAW_SLACK = 4
"""A line is sanitized only up to ``RAW_SLACK * limit + 256`` characters: room for colour
codes between the characters shown, while a line made of escapes costs no more than that."""


def tail_lines(text: str, max_lines: int = MAX_LINES) -> tuple[str, int]:
    """Return the last ``max_lines`` lines of ``text`` and how many lines were left out."""
    if text.count("\n") <= max_lines:
        return text, 0
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    hidden = max(0, len(lines) - max_lines)
    return "\n".join(lines[hidden:]), hidden


def clip_line(line: str, limit: int) -> tuple[str, int]:
    """The first ``limit`` visible characters of a sanitized ``line`` (SGR sequences kept and
    not counted), and how many visible characters were left out."""
    if len(line) <= limit:
        return line, 0
    if "\x1b" not in line:
        return line[:limit], len(line) - limit
    shown = pos = 0
    for match in SGR_RE.finditer(line):
        gap = match.start() - pos
        if shown + gap >= limit:
            break
        shown += gap
        pos = match.end()
    cut = pos + (limit - shown)
    if cut >= len(line):
        return line, 0
    rest = line[cut:]
    hidden = len(SGR_RE.sub("", rest)) if "\x1b" in rest else len(rest)
    return line[:cut], hidden


def bounded_line(raw: str, limit: int | None) -> tuple[str, int]:
    """One raw line of kernel text sanitized and cut to ``limit`` visible characters (no cut
    when ``None``); the second item is how many characters were left out. Only about
    ``RAW_SLACK * limit`` characters of ``raw`` are looked at."""
    if limit is None:
        return sanitize_sgr_only(raw), 0
    budget = RAW_SLACK * limit + 256
    beyond = max(0, len(raw) - budget)
    shown, hidden = clip_line(sanitize_sgr_only(raw[:budget] if beyond else raw), limit)
    return shown, hidden + beyond


def cut_mark(hidden: int) -> str:
    """The words after a cut line: ``… (N more characters)``."""
    return f" … ({hidden:,} more character{'s' if hidden != 1 else ''})"


def ansi_text(text: str, *, style: str = "", max_lines: int = MAX_LINES,
              max_line_cells: int | None = None) -> Text:
    """Parse the SGR colours of kernel ``text`` into a :class:`Text` (at most ``max_lines``,
    each at most ``max_line_cells`` characters when given; every other control is removed).

    A trailing newline is dropped (it would show as an empty line). When lines were left out,
    a dim first line says how many; a cut line ends with a dim ``… (N more characters)``.
    """
    shown, hidden = tail_lines(text, max_lines)
    if shown.endswith("\n"):
        shown = shown[:-1]
    decoder = AnsiDecoder()
    lines: list[Text] = []
    for raw in shown.replace("\r\n", "\n").split("\n"):
        # \r-overwritten progress bars: keep what a terminal would show for the line.
        raw = raw.rsplit("\r", 1)[-1] if "\r" in raw else raw
        line, cut = bounded_line(raw, max_line_cells)
        parsed = decoder.decode_line(line)
        if cut:
            parsed.append(cut_mark(cut), style="dim italic")
        lines.append(parsed)
    body = Text("\n", style=style, no_wrap=False).join(lines)
    if hidden:
        head = Text(f"… {hidden} earlier lines not shown\n", style="dim italic")
        return head + body
    return body
