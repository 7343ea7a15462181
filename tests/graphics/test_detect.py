"""Terminal detection against a pty whose other end scripts the terminal's replies."""

from __future__ import annotations

import fcntl
import os
import struct
import termios
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tui.graphics.detect import (
    TMUX_HINT,
    GraphicsSetup,
    choose_mode,
    parse_replies,
    resolve_graphics,
)
from tui.graphics.tmux import wrap_tmux

DA1_SIXEL = b"\x1b[?62;4;6;22c"
DA1_PLAIN = b"\x1b[?62;22c"
KITTY_OK = b"\x1b_Gi=31;OK\x1b\\"


class FakeTerminal:
    """The master side of a pty: reads what was sent and answers through ``script``
    (given everything received so far, returns the bytes to type back, once)."""

    def __init__(self, script: Callable[[bytes], bytes | None]) -> None:
        self.master, self.slave = os.openpty()
        self.script = script
        self.received = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def set_size(self, rows: int, cols: int, xpixel: int, ypixel: int) -> None:
        fcntl.ioctl(self.master, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, xpixel, ypixel))

    def _run(self) -> None:
        import select
        answered = False
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if not ready:
                continue
            try:
                self.received += os.read(self.master, 4096)
            except OSError:
                return
            if not answered:
                reply = self.script(self.received)
                if reply is not None:
                    answered = True
                    os.write(self.master, reply)

    def __enter__(self) -> FakeTerminal:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        os.close(self.master)
        os.close(self.slave)


def when_sent(last: bytes, reply: bytes) -> Callable[[bytes], bytes | None]:
    """Answer ``reply`` once ``last`` (the final query) has arrived."""
    return lambda received: reply if last in received else None


def detect(script: Callable[[bytes], bytes | None], env: dict[str, str] | None = None,
           timeout: float = 0.5, size: tuple[int, int, int, int] | None = None,
           ) -> tuple[GraphicsSetup, FakeTerminal, float]:
    with FakeTerminal(script) as term:
        if size:
            term.set_size(*size)
        start = time.monotonic()
        setup = resolve_graphics("auto", interactive=True, env=env or {}, timeout=timeout,
                                 tty_fd=term.slave)
        elapsed = time.monotonic() - start
    return setup, term, elapsed


@pytest.fixture
def no_tmux() -> Iterator[dict[str, str]]:
    yield {"TERM": "xterm-256color"}


def test_all_queries_are_sent_with_da1_last(no_tmux: dict[str, str]) -> None:
    setup, term, _ = detect(when_sent(b"\x1b[c", DA1_PLAIN), no_tmux)
    sent = term.received
    assert b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\" in sent
    assert b"\x1b[>0q" in sent and b"\x1b[16t" in sent
    assert sent.endswith(b"\x1b[c")
    assert setup == GraphicsSetup(mode="halfblock")


def test_kitty_ok_gives_kitty_and_returns_at_da1(no_tmux: dict[str, str]) -> None:
    setup, _, elapsed = detect(when_sent(b"\x1b[c", KITTY_OK + DA1_PLAIN), no_tmux,
                               timeout=5.0)
    assert setup.mode == "kitty"
    assert elapsed < 2.0  # DA1 ended the wait, not the 5 s timeout


def test_kitty_error_is_not_kitty(no_tmux: dict[str, str]) -> None:
    reply = b"\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\" + DA1_PLAIN
    setup, _, _ = detect(when_sent(b"\x1b[c", reply), no_tmux)
    assert setup.mode == "halfblock"


def test_da1_with_attribute_4_gives_sixel(no_tmux: dict[str, str]) -> None:
    setup, _, _ = detect(when_sent(b"\x1b[c", DA1_SIXEL), no_tmux)
    assert setup.mode == "sixel"


def test_wezterm_claims_kitty_but_gets_iterm(no_tmux: dict[str, str]) -> None:
    reply = KITTY_OK + b"\x1bP>|WezTerm 20240203-110809-5046fc22\x1b\\" + DA1_SIXEL
    setup, _, _ = detect(when_sent(b"\x1b[c", reply), no_tmux)
    assert setup.mode == "iterm"


def test_term_program_iterm_without_replies_is_iterm() -> None:
    setup, _, _ = detect(when_sent(b"\x1b[c", DA1_PLAIN), {"TERM_PROGRAM": "iTerm.app"})
    assert setup.mode == "iterm"


def test_cell_size_from_csi_16t_reply(no_tmux: dict[str, str]) -> None:
    setup, _, _ = detect(when_sent(b"\x1b[c", b"\x1b[6;18;9t" + DA1_SIXEL), no_tmux)
    assert setup.cell_size == (9, 18)


def test_cell_size_from_tiocgwinsz_first(no_tmux: dict[str, str]) -> None:
    setup, _, _ = detect(when_sent(b"\x1b[c", b"\x1b[6;18;9t" + DA1_PLAIN), no_tmux,
                         size=(24, 80, 80 * 11, 24 * 22))
    assert setup.cell_size == (11, 22)


def test_no_reply_at_all_returns_within_the_timeout(no_tmux: dict[str, str]) -> None:
    setup, term, elapsed = detect(lambda received: None, no_tmux, timeout=0.2)
    assert setup == GraphicsSetup(mode="halfblock")
    assert b"\x1b[c" in term.received
    assert elapsed < 0.2 + 0.3


def test_replies_split_across_reads(no_tmux: dict[str, str]) -> None:
    parts = iter([KITTY_OK[:5], KITTY_OK[5:] + DA1_PLAIN[:3], DA1_PLAIN[3:]])

    def script(received: bytes) -> bytes | None:
        return b"".join(parts) if b"\x1b[c" in received else None

    setup, _, _ = detect(script, no_tmux)
    assert setup.mode == "kitty"


def test_tmux_wraps_queries_and_uses_passthrough_when_answered() -> None:
    setup, term, _ = detect(when_sent(wrap_tmux("\x1b[c").encode(), KITTY_OK + DA1_PLAIN),
                            {"TMUX": "/tmp/tmux-1000/default,1,0"})
    assert b"\x1bPtmux;\x1b\x1b_Gi=31" in term.received
    assert setup.mode == "kitty" and setup.tmux_passthrough and setup.hint is None


def test_tmux_without_passthrough_gives_halfblock_and_a_hint() -> None:
    setup, _, elapsed = detect(lambda received: None, {"TMUX": "/tmp/tmux-1000/default,1,0"},
                               timeout=0.2)
    assert setup.mode == "halfblock" and setup.hint == TMUX_HINT
    assert not setup.tmux_passthrough
    assert elapsed < 0.5


def test_terminal_left_as_found(no_tmux: dict[str, str]) -> None:
    with FakeTerminal(when_sent(b"\x1b[c", DA1_PLAIN)) as term:
        before = termios.tcgetattr(term.slave)
        resolve_graphics("auto", interactive=True, env=no_tmux, tty_fd=term.slave)
        assert termios.tcgetattr(term.slave) == before


def test_named_mode_and_non_interactive() -> None:
    assert resolve_graphics("sixel", interactive=False, env={}).mode == "sixel"
    assert resolve_graphics("auto", interactive=False, env={}).mode == "halfblock"
    tmux = resolve_graphics("kitty", interactive=False, env={"TMUX": "x"})
    assert tmux.tmux_passthrough
    assert not resolve_graphics("halfblock", interactive=False, env={"TMUX": "x"}).tmux_passthrough


def test_parse_and_choose() -> None:
    replies = parse_replies(b"junk\x1b[?64;1;4c\x1bP>|Konsole 23.08\x1b\\" + KITTY_OK)
    assert replies.da1 == (64, 1, 4) and replies.version == "Konsole 23.08"
    assert choose_mode(replies, {}) == "iterm"
    assert choose_mode(parse_replies(b"\x1b[?4c"), {}) == "halfblock"  # level, not attribute
    assert choose_mode(parse_replies(KITTY_OK), {"KONSOLE_VERSION": "230800"}) == "iterm"
    assert choose_mode(parse_replies(b"\x1bP>|mlterm(3.9.3)\x1b\\"), {}) == "iterm"
