"""Which graphics protocol the terminal speaks, asked of the terminal before the UI starts.

The public entry point is :func:`resolve_graphics`. For ``auto`` on a terminal it opens
``/dev/tty`` in raw mode and sends, in one write: the kitty graphics query (``a=q``),
XTVERSION (``CSI > 0 q``), the cell size in pixels (``CSI 16 t``) and last DA1 (``CSI c``),
which every terminal answers, so its reply ends the wait. Nothing waits longer than the
timeout, whatever the terminal answers or not. Inside tmux the queries go through its
passthrough; when nothing comes back, half-blocks are used with a hint saying how to enable it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import struct
import termios
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from tui.graphics.tmux import in_tmux, wrap_tmux
from tui.render.context import GRAPHICS_MODES, GraphicsMode

DEFAULT_CELL_SIZE = (10, 20)

KITTY_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
XTVERSION_QUERY = "\x1b[>0q"
CELL_SIZE_QUERY = "\x1b[16t"
DA1_QUERY = "\x1b[c"

TMUX_HINT = "tmux: set -g allow-passthrough on for sharper images"

_KITTY_REPLY = re.compile(rb"\x1b_Gi=31;([^\x1b]*)\x1b\\")
_DA1_REPLY = re.compile(rb"\x1b\[\?([0-9;]*)c")
_XTVERSION_REPLY = re.compile(rb"\x1bP>\|([^\x1b]*)\x1b\\")
_CELL_REPLY = re.compile(rb"\x1b\[6;([0-9]+);([0-9]+)t")

ITERM_TERMINALS = ("iterm", "wezterm", "mlterm", "konsole")
"""Names (lower case, from XTVERSION or ``$TERM_PROGRAM``) of terminals that draw iTerm2
inline images. WezTerm and Konsole also answer the kitty query but draw no Unicode
placeholders, so for them the iTerm protocol wins."""


@dataclass(frozen=True)
class GraphicsSetup:
    """The outcome of detection: the mode to draw with and what it needs."""

    mode: GraphicsMode
    cell_size: tuple[int, int] = DEFAULT_CELL_SIZE
    """Pixels of one terminal cell (width, height)."""
    tmux_passthrough: bool = False
    """Escape sequences must be wrapped in tmux's passthrough (``ESC Ptmux; ... ESC \\``)."""
    hint: str | None = None
    """One line for the user (how to enable tmux passthrough...), or ``None``."""


@dataclass(frozen=True)
class Replies:
    """What the terminal answered to the queries (``None``: no answer)."""

    kitty: str | None = None
    """The kitty query's message (``OK`` or an error)."""
    da1: tuple[int, ...] | None = None
    """DA1 parameters: the conformance level, then the attributes (``4``: sixel)."""
    version: str | None = None
    """XTVERSION's text (``WezTerm 20240203...``, ``kitty(0.35.2)``)."""
    cell_size: tuple[int, int] | None = None
    """From ``CSI 16 t``: (width, height) of a cell in pixels."""

    @property
    def any(self) -> bool:
        """True when the terminal answered something."""
        return any(v is not None for v in (self.kitty, self.da1, self.version, self.cell_size))


def parse_replies(data: bytes) -> Replies:
    """The answers found in ``data`` (what the terminal typed back), in any order."""
    kitty = _KITTY_REPLY.search(data)
    da1 = _DA1_REPLY.search(data)
    version = _XTVERSION_REPLY.search(data)
    cell = _CELL_REPLY.search(data)
    cell_size = None
    if cell and int(cell.group(1)) > 0 and int(cell.group(2)) > 0:
        cell_size = (int(cell.group(2)), int(cell.group(1)))
    return Replies(
        kitty=kitty.group(1).decode("latin-1") if kitty else None,
        da1=tuple(int(p) for p in da1.group(1).split(b";") if p) if da1 else None,
        version=version.group(1).decode("utf-8", "replace") if version else None,
        cell_size=cell_size,
    )


def choose_mode(replies: Replies, env: Mapping[str, str]) -> GraphicsMode:
    """The best mode for what the terminal said (and ``$TERM_PROGRAM``/``$KONSOLE_VERSION``)."""
    names = " ".join(filter(None, (replies.version, env.get("TERM_PROGRAM")))).lower()
    if env.get("KONSOLE_VERSION"):
        names += " konsole"
    no_placeholders = "wezterm" in names or "konsole" in names
    if replies.kitty == "OK" and not no_placeholders:
        return "kitty"
    if any(name in names for name in ITERM_TERMINALS):
        return "iterm"
    if replies.da1 is not None and 4 in replies.da1[1:]:
        return "sixel"
    return "halfblock"


def window_cell_size(fd: int) -> tuple[int, int] | None:
    """The cell size in pixels from TIOCGWINSZ, or ``None`` when the terminal does not say."""
    try:
        packed = fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    except OSError:
        return None
    rows, cols, xpixel, ypixel = struct.unpack("HHHH", packed)
    if rows and cols and xpixel and ypixel and xpixel >= cols and ypixel >= rows:
        return (xpixel // cols, ypixel // rows)
    return None


@contextlib.contextmanager
def _raw(fd: int) -> Iterator[None]:
    """No echo, no line buffering on ``fd`` while inside; what the terminal typed back and we
    did not read is dropped on the way out (TCSAFLUSH)."""
    old = termios.tcgetattr(fd)
    new = termios.tcgetattr(fd)
    new[3] &= ~(termios.ICANON | termios.ECHO)
    new[6][termios.VMIN] = 0
    new[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, new)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, old)


def _write_all(fd: int, data: bytes, deadline: float) -> bool:
    while data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        _, ready, _ = select.select([], [fd], [], remaining)
        if not ready:
            return False
        try:
            data = data[os.write(fd, data):]
        except BlockingIOError:
            continue
    return True


def query_terminal(fd: int, *, tmux: bool, timeout: float) -> bytes:
    """Send the queries on ``fd`` (a terminal) and return what came back before DA1's reply
    or ``timeout`` seconds, whichever is first."""
    deadline = time.monotonic() + timeout
    queries = (KITTY_QUERY, XTVERSION_QUERY, CELL_SIZE_QUERY, DA1_QUERY)
    payload = "".join(wrap_tmux(q) if tmux else q for q in queries).encode()
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    received = bytearray()
    try:
        with _raw(fd):
            if not _write_all(fd, payload, deadline):
                return b""
            while not _DA1_REPLY.search(received):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                ready, _, _ = select.select([fd], [], [], remaining)
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 4096)
                except BlockingIOError:
                    continue
                if not chunk:
                    break
                received += chunk
    finally:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags)
    return bytes(received)


def _detect(fd: int, env: Mapping[str, str], timeout: float) -> GraphicsSetup:
    tmux = in_tmux(env)
    size = window_cell_size(fd)
    try:
        replies = parse_replies(query_terminal(fd, tmux=tmux, timeout=timeout))
    except (OSError, termios.error):
        replies = Replies()
    cell_size = size or replies.cell_size or DEFAULT_CELL_SIZE
    if tmux and not replies.any:
        return GraphicsSetup(mode="halfblock", cell_size=cell_size, hint=TMUX_HINT)
    mode = choose_mode(replies, env)
    return GraphicsSetup(mode=mode, cell_size=cell_size,
                         tmux_passthrough=tmux and mode not in ("halfblock", "none"))


def _open_tty() -> int | None:
    try:
        return os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None


def resolve_graphics(choice: str, *, interactive: bool, env: Mapping[str, str] | None = None,
                     timeout: float = 0.2, tty_fd: int | None = None) -> GraphicsSetup:
    """The mode for ``choice`` (``auto`` or a mode name). ``interactive``: stdin and stdout are
    a terminal that may be queried (before the UI starts). Never waits longer than about
    ``timeout`` for a terminal that does not answer.

    ``tty_fd``: the terminal to ask (read and written), instead of ``/dev/tty`` (tests pass
    a pty). A named mode is used as is, with the cell size TIOCGWINSZ gives; ``auto`` when
    not interactive is ``halfblock`` (the caller turns it to ``none`` without colour).
    """
    env = os.environ if env is None else env
    if choice in GRAPHICS_MODES:
        mode: GraphicsMode = choice  # type: ignore[assignment]
        size = None
        if interactive:
            fd = _open_tty() if tty_fd is None else tty_fd
            if fd is not None:
                size = window_cell_size(fd)
                if tty_fd is None:
                    os.close(fd)
        return GraphicsSetup(mode=mode, cell_size=size or DEFAULT_CELL_SIZE,
                             tmux_passthrough=in_tmux(env) and mode not in ("halfblock", "none"))
    if not interactive:
        return GraphicsSetup(mode="halfblock")
    fd = _open_tty() if tty_fd is None else tty_fd
    if fd is None:
        return GraphicsSetup(mode="halfblock")
    try:
        return _detect(fd, env, timeout)
    finally:
        if tty_fd is None:
            os.close(fd)
