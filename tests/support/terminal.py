"""Run a real command in a pseudo-terminal and read its screen like a user would.

``Terminal`` spawns a command with pexpect in a pty of a given size and feeds everything the
command writes into a pyte ``Screen`` (a VT100/xterm emulator, pure Python, from PyPI). Tests then
wait for screen content with a deadline instead of sleeping::

    with Terminal([sys.executable, "-m", "tui", "console"], rows=30, cols=100) as term:
        term.wait_for("In [1]:")
        term.send("print(6 * 7)\\r")
        term.wait_for(re.compile(r"^42$", re.M))

The emulator answers the terminal queries applications send at start-up (cursor position
report ``ESC[6n``, device attributes ``ESC[c``, and, like a dark xterm, the OSC 10/11 colour and
``CSI 14/16/18 t`` size queries), so prompt_toolkit, Textual and euporie behave as in a real
terminal instead of waiting for query timeouts. ``transcript`` keeps every byte received, for
debugging failures.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pexpect
import pyte


class _AnsweringScreen(pyte.Screen):  # type: ignore[misc]
    """A pyte screen that writes its replies to terminal queries back to the process."""

    def __init__(self, cols: int, rows: int) -> None:
        super().__init__(cols, rows)
        self.replies: list[str] = []

    def write_process_input(self, data: str) -> None:
        self.replies.append(data)


#: Queries pyte does not answer, with the reply a dark 8x16-pixel-cell xterm would give.
_EXTRA_QUERIES: tuple[tuple[re.Pattern[bytes], Any], ...] = (
    (re.compile(rb"\x1b\]10;\?(?:\x07|\x1b\\)"), lambda t: "\x1b]10;rgb:dddd/dddd/dddd\x1b\\"),
    (re.compile(rb"\x1b\]11;\?(?:\x07|\x1b\\)"), lambda t: "\x1b]11;rgb:1111/1111/1111\x1b\\"),
    (re.compile(rb"\x1b\[14t"), lambda t: f"\x1b[4;{t.rows * 16};{t.cols * 8}t"),
    (re.compile(rb"\x1b\[16t"), lambda t: "\x1b[6;16;8t"),
    (re.compile(rb"\x1b\[18t"), lambda t: f"\x1b[8;{t.rows};{t.cols}t"),
)


class TerminalTimeout(AssertionError):
    """``wait_for`` reached its deadline; the message carries the screen for the test report."""


class Terminal:
    """A command running in a pseudo-terminal, with its screen emulated by pyte."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        rows: int = 30,
        cols: int = 100,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        full_env = dict(os.environ if env is None else env)
        full_env.setdefault("TERM", "xterm-256color")
        full_env.pop("COLUMNS", None)
        full_env.pop("LINES", None)
        self.rows, self.cols = rows, cols
        self.screen = _AnsweringScreen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.transcript = bytearray()
        self.child = pexpect.spawn(
            argv[0], list(argv[1:]), dimensions=(rows, cols), env=full_env, cwd=cwd,
        )

    # -- reading -------------------------------------------------------------------------------

    def pump(self, timeout: float = 0.05) -> bool:
        """Read what the process wrote within ``timeout`` seconds into the screen.

        Returns False once the process has closed its side of the terminal.
        """
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.transcript += data
        for pattern, reply in _EXTRA_QUERIES:
            for _ in pattern.finditer(data):
                self.screen.replies.append(reply(self))
        self.stream.feed(data)
        if self.screen.replies:
            replies, self.screen.replies = self.screen.replies, []
            for reply in replies:
                self.child.send(reply)
        return True

    def display(self) -> str:
        """The visible screen as text, one line per row, trailing spaces removed."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def cursor(self) -> tuple[int, int]:
        """The cursor as (row, column), both from 0."""
        return self.screen.cursor.y, self.screen.cursor.x

    def wait_for(self, what: str | re.Pattern[str], timeout: float = 10.0) -> re.Match[str] | str:
        """Wait until ``what`` (a substring or a compiled regex) is on the screen.

        Returns the match (or the string). Raises ``TerminalTimeout`` with the screen content
        when the deadline passes or the process exits without showing it.
        """
        deadline = time.monotonic() + timeout
        alive = True
        while True:
            found = self._search(what)
            if found is not None:
                return found
            if not alive:
                raise TerminalTimeout(
                    f"process exited before {what!r} appeared; screen:\n{self.display()}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TerminalTimeout(
                    f"{what!r} not on screen after {timeout} s; screen:\n{self.display()}"
                )
            alive = self.pump(min(0.05, remaining))

    def wait_until(self, predicate: Any, timeout: float = 10.0, what: str = "condition") -> None:
        """Wait until ``predicate(self)`` is true (pumping output meanwhile)."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise TerminalTimeout(
                    f"{what} not met after {timeout} s; screen:\n{self.display()}"
                )
            if not self.pump(0.05) and not predicate(self):
                raise TerminalTimeout(f"process exited before {what}; screen:\n{self.display()}")

    def _search(self, what: str | re.Pattern[str]) -> re.Match[str] | str | None:
        """Search the trimmed screen, then the screen with trailing spaces kept (for prompts)."""
        for text in (self.display(), "\n".join(self.screen.display)):
            if isinstance(what, str):
                if what in text:
                    return what
            elif (match := what.search(text)) is not None:
                return match
        return None

    def count(self, what: str) -> int:
        """How often ``what`` occurs on the visible screen."""
        return self.display().count(what)

    # -- writing -------------------------------------------------------------------------------

    def send(self, data: str | bytes) -> None:
        """Type ``data`` (use ``\\r`` for Enter, ``\\x03`` for Ctrl-C, ``\\t`` for Tab)."""
        self.child.send(data)

    def send_keys(self, *keys: str) -> None:
        """Type several keys, each sent separately."""
        for key in keys:
            self.child.send(key)

    def paste(self, text: str) -> None:
        """Paste ``text`` as a terminal with bracketed paste does."""
        self.child.send("\x1b[200~" + text + "\x1b[201~")

    def resize(self, rows: int, cols: int) -> None:
        """Resize the terminal (the process gets SIGWINCH, as when a window is resized)."""
        self.rows, self.cols = rows, cols
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)

    # -- lifetime ------------------------------------------------------------------------------

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the process to exit, pumping its output; return its exit status."""
        deadline = time.monotonic() + timeout
        while self.child.isalive():
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"process still running after {timeout} s:\n{self.display()}")
            if not self.pump(0.05):
                self.child.wait()
                break
        self.child.close()
        status = self.child.exitstatus
        return status if status is not None else -(self.child.signalstatus or 0)

    @property
    def pid(self) -> int:
        """The process id of the command."""
        return int(self.child.pid)

    def close(self) -> None:
        """Stop the process (SIGHUP, then SIGKILL) if it still runs and release the pty."""
        if self.child.isalive():
            self.child.close(force=True)
        else:
            self.child.close()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
