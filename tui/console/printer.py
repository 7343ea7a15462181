"""Kernel output to terminal text, printed as it arrives.

The printer has two ways to reach the terminal:

- **foreground** (the cell is running, no prompt on screen): text is written straight to the
  terminal, so carriage-return progress bars (tqdm) redraw in place by themselves. The outputs of
  the running cell form a *live region* the printer can erase and redraw, which is how
  ``clear_output`` and ``update_display_data`` work when the region still fits on the screen.
- **above the prompt** (a prompt is waiting: output of a background thread, another client's
  output, a late message): text is batched and printed above the prompt with prompt_toolkit's
  ``run_in_terminal``, which erases the prompt, prints, and draws the prompt again. Unfinished
  lines are shown at once and redrawn in place when they grow (so a progress bar above the
  prompt also updates in place).

Events are dispatched on ``event.msg_type`` / ``event.content`` (see ``HANDLERS``), so the
printer works with any object that has those two attributes.
"""

from __future__ import annotations

import asyncio
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tui.console.linecut import LineCutter, bounded_text
from tui.console.rich_output import ConsoleRenderer, holds_pixels
from tui.mime import as_text
from tui.render.sanitize import strip_escapes

RED, GREEN, YELLOW, DIM, BOLD, RESET = (
    "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m",
)


def strip_ansi(text: str) -> str:
    """``text`` without terminal escape sequences or controls (``\\n \\t \\r`` kept)."""
    return strip_escapes(text)


def collapse_cr(line: str) -> str:
    """What a terminal shows for one line containing carriage returns (later parts overwrite)."""
    if "\r" not in line:
        return line
    shown = ""
    for part in line.split("\r"):
        width = len(strip_ansi(part))
        visible = strip_ansi(shown)
        shown = part + visible[width:] if part else shown
    return shown


def text_width(text: str) -> int:
    """Terminal cells taken by ``text`` (escape sequences take none, wide characters two)."""
    from prompt_toolkit.utils import get_cwidth  # not imported in piped mode

    return get_cwidth(strip_ansi(text))


def rows_above_cursor(text: str, cols: int) -> int:
    """After printing ``text`` from column 0 of a row, how many rows up that row is."""
    cols = max(cols, 1)
    lines = text.split("\n")
    rows = 0
    for line in lines[:-1]:
        rows += max(1, math.ceil(text_width(collapse_cr(line)) / cols))
    last = text_width(collapse_cr(lines[-1]))
    return rows + (last // cols if last else 0)


class WidgetHooks(Protocol):
    """What the printer asks of the console's widgets (:mod:`tui.console.widgets`)."""

    def watch(self, content: dict[str, Any]) -> str | None: ...

    def flush(self) -> None: ...


class Sink(Protocol):
    """Where text goes: a text file such as ``sys.stdout``."""

    def write(self, text: str) -> Any: ...

    def flush(self) -> Any: ...


@dataclass
class _Block:
    """One output of the running cell, as written to the terminal."""

    kind: str
    text: str = ""
    display_id: str | None = None


@dataclass
class _AboveState:
    """Output waiting for the next trip above the prompt.

    ``dangling`` is set when the last trip ended in an unfinished line: a newline was added so
    the prompt could be drawn below it, and the next trip moves the cursor back to ``col`` on
    that line first, so the line continues (or is redrawn by ``\r``) exactly as in the
    foreground.
    """

    ops: list[Callable[[], None]] = field(default_factory=list)
    scheduled: bool = False
    dangling: bool = False
    col: int = 0


class Printer:
    """Prints kernel events to a terminal (or to plain files in piped mode).

    ``prompt_active`` tells whether a prompt is on screen (output then goes above it);
    ``size`` gives the terminal (columns, lines). ``color=False`` strips escape sequences.
    ``err`` receives stderr streams and errors in piped mode (defaults to ``out``).
    ``renderer`` draws bundles (images, tables, math...); kernel text is sanitized (SGR colours
    only) and, with ``cut_lines``, each line is cut to :attr:`line_limit` characters with a mark.

    Every terminal effect is an operation on the *live region* (the outputs directly above the
    cursor): appending, erasing it (``clear_output``), redrawing one display in it
    (``update_display_data``). In the foreground an operation runs at once; while a prompt is
    shown, operations are batched (30 per second at most) and run inside prompt_toolkit's
    ``run_in_terminal``, where the prompt is erased and the cursor sits right below the region
    again, so the same code serves both.
    """

    def __init__(
        self,
        out: Sink,
        err: Sink | None = None,
        *,
        color: bool = True,
        live: bool = True,
        prompt_active: Callable[[], bool] = lambda: False,
        size: Callable[[], tuple[int, int]] | None = None,
        renderer: ConsoleRenderer | None = None,
        cut_lines: bool = True,
    ) -> None:
        self.out = out
        self.renderer = renderer or ConsoleRenderer(color=color)
        self.cut_lines = cut_lines
        self._cutter = LineCutter(None)
        self._stream_kind = "stream:stdout"
        self.err = err or out
        self.color = color
        self.live = live
        self.prompt_active = prompt_active
        self._size = size or (lambda: tuple(shutil.get_terminal_size((80, 24))))  # type: ignore[return-value]
        self._blocks: list[_Block] = []
        self._region_lines = 0
        self._at_col0 = True
        self._col_text = ""
        self._pending_clear = False
        self._above = _AboveState()
        self.errors_seen = 0
        self.widgets: WidgetHooks | None = None
        """Live widget displays (:class:`tui.console.widgets.ConsoleWidgets`), if any."""

    # -- dispatch ------------------------------------------------------------------------------

    def handle(self, event: Any, *, remote: bool = False) -> None:
        """Print one kernel event (stream, result, display, error, clear_output, input echo)."""
        handler = HANDLERS.get(event.msg_type)
        if handler is not None:
            handler(self, event.content, remote)

    def _on_stream(self, content: dict[str, Any], remote: bool) -> None:
        name = content.get("name", "stdout")
        text = as_text(content.get("text", ""))
        if text:
            kind = f"stream:{name}"
            self._stream_kind = kind
            self._cutter.limit = self.line_limit
            text = self._cutter.feed(text)
            if text:
                self.write(text, kind=kind, stderr=name == "stderr")

    def bundle_text(self, content: dict[str, Any], width: int) -> str:
        """The ``data`` of a result or display as terminal text ``width`` columns wide."""
        data = content.get("data")
        metadata = content.get("metadata")
        if not isinstance(data, dict):
            return ""
        return self.renderer.render(data, metadata if isinstance(metadata, dict) else None,
                                    width, line_limit=self.line_limit)

    def _on_execute_result(self, content: dict[str, Any], remote: bool) -> None:
        count = content.get("execution_count")
        display_id = self.widgets.watch(content) if self.widgets is not None else None
        text = self.bundle_text(content, self.columns)
        prompt = self.out_prompt(count, remote)
        if display_id is not None:  # redrawn as one block: the prompt on a line of its own
            self.write(prompt + "\n", kind="result", new_line=True)
            self.write(text + "\n", kind="display", display_id=display_id, new_line=True)
            return
        if "\n" in text:
            text = "\n" + text
        self.write(prompt + text + "\n", kind="result", new_line=True)

    def _on_display(self, content: dict[str, Any], remote: bool, update: bool = False) -> None:
        display_id = (content.get("transient") or {}).get("display_id")
        if not update and self.widgets is not None:
            display_id = self.widgets.watch(content) or display_id
        text = self.bundle_text(content, self.columns)
        if update:
            self.update_display(display_id, text + "\n")
            return
        self.write(text + "\n", kind="display", display_id=display_id, new_line=True)

    def _on_update_display(self, content: dict[str, Any], remote: bool) -> None:
        self._on_display(content, remote, update=True)

    def _on_error(self, content: dict[str, Any], remote: bool) -> None:
        self.errors_seen += 1
        traceback = content.get("traceback") or []
        if traceback:
            text = bounded_text("\n".join(as_text(t) for t in traceback), self.line_limit)
        else:
            ename, evalue = content.get("ename", ""), content.get("evalue", "")
            text = bounded_text(f"{ename}: {evalue}" if ename else str(evalue), self.line_limit)
            if not text:
                return
            text = f"{RED}{text}{RESET}"
        self.write(text + "\n", kind="error", stderr=True, new_line=True)

    def _on_clear_output(self, content: dict[str, Any], remote: bool) -> None:
        self.clear_output(wait=bool(content.get("wait")))

    def _on_execute_input(self, content: dict[str, Any], remote: bool) -> None:
        if not remote:
            return
        count = content.get("execution_count")
        head = f"{YELLOW}Remote In [{count}]:{RESET} "
        code = bounded_text(as_text(content.get("code", "")), self.line_limit)
        self.write(head + code.rstrip("\n") + "\n", kind="input", new_line=True)

    # -- prompts and notes ---------------------------------------------------------------------

    def out_prompt(self, count: Any, remote: bool = False) -> str:
        """``Out[n]: `` in red (``Remote Out[n]:`` for other clients' results)."""
        label = f"{'Remote ' if remote else ''}Out[{count if count is not None else ' '}]: "
        return f"{RED}{label}{RESET}" if self.color else label

    def note(self, text: str, style: str = "info") -> None:
        """A message from the console itself (kernel died, interrupting, ...)."""
        colour = {"error": RED, "warning": YELLOW, "info": DIM}.get(style, "")
        text = bounded_text(text, self.line_limit)  # may quote the kernel (an exception)
        self.write(f"{colour}{text}{RESET}\n", kind="note", new_line=True, stderr=style == "error")

    def banner(self, text: str) -> None:
        """The kernel's banner, printed once at start."""
        if text:
            self._write_out(bounded_text(text, self.line_limit).rstrip("\n") + "\n\n")

    # -- the running cell ----------------------------------------------------------------------

    def _reset_region(self) -> None:
        self._blocks = []
        self._region_lines = 0
        self._at_col0 = True
        self._col_text = ""
        self._pending_clear = False
        self._above.dangling = False

    def begin_cell(self) -> None:
        """A new execution starts: its outputs form a fresh live region."""
        self._reset_region()

    def end_cell(self) -> None:
        """The execution finished: end an unfinished output line, leave a blank line.

        The region stays live until the next prompt is accepted, so a display updated later
        by a background thread is still redrawn in place above the waiting prompt.
        """
        if self.widgets is not None:
            self.widgets.flush()  # the widgets' last state, before the region is closed
        self._finish_line()
        if self.prompt_active():
            self._reset_region()
            return
        gap = "\n" if self._at_col0 else "\n\n"
        self._blocks.append(_Block("gap", gap))
        self._region_lines += gap.count("\n")
        self._write_out(gap)
        self._track(gap)
        self._pending_clear = False

    def echoed_by_terminal(self) -> None:
        """The terminal printed something itself (``^C``): the cursor is not at a line start."""
        self._at_col0 = False

    def ensure_line_start(self) -> None:
        """End an unfinished output line (before an input prompt is drawn)."""
        if not self._at_col0 and not self.prompt_active():
            self._write_out("\n")
            self._at_col0 = True
            self._col_text = ""

    def forget_region(self) -> None:
        """Something else wrote to the terminal (an input prompt): the region can't be erased."""
        self._reset_region()

    def prompt_closed(self) -> None:
        """A prompt was accepted: its text now sits below the region, which can't be erased any
        more; output still queued for above it is printed now."""
        ops, self._above.ops = self._above.ops, []
        self._reset_region()
        for op in ops:
            op()

    def clear_output(self, wait: bool = False) -> None:
        """``clear_output``: erase the live region now, or (``wait``) when the next output comes."""
        self._dispatch(lambda: self._clear(wait))

    def update_display(self, display_id: str | None, text: str, *, reprint: bool = True
                       ) -> None:
        """``update_display_data``: redraw that display in place if it is still on screen,
        else print the new version (unless not ``reprint``: a widget's redraw)."""
        self._dispatch(lambda: self._update(display_id, text, reprint))

    def _clear(self, wait: bool) -> None:
        if wait:
            self._pending_clear = True
            return
        self._pending_clear = False
        if self._blocks and self.live:
            self._erase_from(0)
        self._blocks = []
        self._region_lines = 0

    def _update(self, display_id: str | None, text: str, reprint: bool = True) -> None:
        index = next(
            (i for i, b in enumerate(self._blocks) if display_id and b.display_id == display_id),
            None,
        )
        if not reprint and (index is None or not self.live):
            return
        if index is None or not self.live or not self._erase_from(index):
            if not reprint:
                return
            # Not in the live region any more: show the new version below.
            self._emit(text, "display", display_id, True)
            return
        rest = self._blocks[index + 1 :]
        del self._blocks[index + 1 :]
        self._blocks[index].text = text
        redraw = text + "".join(b.text for b in rest)
        self._blocks.extend(rest)
        self._region_lines += redraw.count("\n")
        self._write_out(redraw)
        self._track(redraw)

    def _erase_from(self, index: int) -> bool:
        """Move the cursor to where block ``index`` started and erase everything below it.

        False (and nothing done) when that is above the top of the screen.
        """
        cols, lines = self._size()
        region = "".join(b.text for b in self._blocks[index:])
        up = rows_above_cursor(region, cols)
        if up >= lines - 1 or holds_pixels(region):
            return False
        self._region_lines = sum(b.text.count("\n") for b in self._blocks[:index])
        self._write_out((f"\x1b[{up}A" if up else "") + "\r\x1b[J")
        self._at_col0 = True
        self._col_text = ""
        return True

    # -- writing -------------------------------------------------------------------------------

    @property
    def columns(self) -> int:
        """The terminal width in cells."""
        return max(self._size()[0], 20)

    @property
    def line_limit(self) -> int | None:
        """Characters of one output line shown before it is cut with a mark (``None``: no
        cut): a screenful at most, and never more than the renderer's ``max_line_cells``."""
        if not self.cut_lines:
            return None
        cols, rows = self._size()
        return max(80, min(self.renderer.max_line_cells, max(cols, 20) * max(rows - 6, 4)))

    def _finish_line(self) -> None:
        """A cut stream line ends here: print its mark."""
        mark = self._cutter.finish()
        if mark:
            self.write(mark, kind=self._stream_kind, stderr=self._stream_kind.endswith("err"))

    def write(
        self,
        text: str,
        *,
        kind: str,
        display_id: str | None = None,
        new_line: bool = False,
        stderr: bool = False,
    ) -> None:
        """Print ``text`` as (part of) an output of ``kind``; ``new_line`` starts it on a row of
        its own."""
        if not kind.startswith("stream"):
            self._finish_line()
        if not self.color:
            text = strip_ansi(text)
        if self.err is not self.out:  # piped mode: keep stderr apart, no live region
            target = self.err if stderr else self.out
            target.write(text)
            target.flush()
            if not stderr:
                self._at_col0 = text.endswith("\n")
            return
        self._dispatch(lambda: self._emit(text, kind, display_id, new_line))

    def _emit(self, text: str, kind: str, display_id: str | None, new_line: bool) -> None:
        """Append ``text`` to the live region and the terminal."""
        if self._pending_clear:
            self._clear(wait=False)
        if new_line and not self._at_col0:
            text = "\n" + text
        self._region_lines += text.count("\n")
        if self._region_lines >= self._size()[1]:
            # Taller than the screen: it can never be erased, so stop keeping it (this also
            # keeps a 1,000,000-line stream from growing one string forever).
            self._blocks = []
            self._region_lines = text.count("\n")
        if self._blocks and kind.startswith("stream") and self._blocks[-1].kind == kind:
            self._blocks[-1].text += text
        else:
            self._blocks.append(_Block(kind, text, display_id))
        self._write_out(text)
        self._track(text)

    def _track(self, text: str) -> None:
        """Follow the cursor: at a line start or not, and the text since the last CR/LF."""
        self._at_col0 = text.endswith("\n")
        last = max(text.rfind("\n"), text.rfind("\r"))  # not a split: 10M lines cost 10M strs
        self._col_text = text[last + 1:] if last >= 0 else self._col_text + text

    def _write_out(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    # -- above the prompt ----------------------------------------------------------------------

    def _dispatch(self, op: Callable[[], None]) -> None:
        """Run a terminal operation now, or queue it for the next trip above the prompt."""
        if not self.prompt_active():
            if self._above.ops:
                self.prompt_closed()
            op()
            return
        state = self._above
        state.ops.append(op)
        if state.scheduled:
            return
        state.scheduled = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (tests): go at once
            self._run_above()
            return
        loop.call_later(1 / 30, self._trip)

    def _trip(self) -> None:
        from prompt_toolkit.application import run_in_terminal

        if not self.prompt_active():
            self._above.scheduled = False
            self.prompt_closed()
            return
        run_in_terminal(self._run_above)

    def _run_above(self) -> None:
        """Inside ``run_in_terminal``: the prompt is erased, the cursor is below the region."""
        state = self._above
        state.scheduled = False
        ops, state.ops = state.ops, []
        if not ops:
            return
        if state.dangling:
            state.dangling = False
            self._write_out("\x1b[1A\r" + (f"\x1b[{state.col}C" if state.col else ""))
        for op in ops:
            op()
        if not self._at_col0:
            cols, _ = self._size()
            state.dangling = True
            state.col = text_width(self._col_text) % max(cols, 1)
            self._write_out("\n")  # the prompt goes on a line of its own

    def flush_pending(self) -> None:
        """Alias of :meth:`prompt_closed` (print what is queued; the region is gone)."""
        self.prompt_closed()


HANDLERS: dict[str, Callable[[Printer, dict[str, Any], bool], None]] = {
    "stream": Printer._on_stream,
    "execute_result": Printer._on_execute_result,
    "display_data": Printer._on_display,
    "update_display_data": Printer._on_update_display,
    "error": Printer._on_error,
    "clear_output": Printer._on_clear_output,
    "execute_input": Printer._on_execute_input,
}
