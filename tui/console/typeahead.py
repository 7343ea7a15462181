"""Ctrl-D typed ahead (while a cell runs) reaches the next prompt as a key.

Between prompts the terminal is in cooked mode, and there the line discipline takes Ctrl-D (the
terminal's ``VEOF`` character) as end-of-file instead of keeping it: the byte is gone, and when
the next prompt switches to raw mode it reads a NUL in its place (measured on Linux), so a Ctrl-D
pressed while a cell runs was lost and the next prompt just waited. Other keys typed meanwhile
stay in the terminal's buffer and reach the next prompt.

:class:`EofKeyKept` disables ``VEOF`` (sets it to ``_POSIX_VDISABLE``) for the life of the
interactive console, so Ctrl-D is an ordinary byte in that buffer and the next prompt acts on it
as on a key typed there (leave at an empty prompt, delete a character otherwise).
prompt_toolkit saves the terminal's attributes when a prompt opens and puts them back when it
closes, so the change holds without a moment's gap between prompts. :meth:`EofKeyKept.restore`
puts the user's ``VEOF`` back (the console calls it on every way out it lives through).
"""

from __future__ import annotations

import contextlib
import os


class EofKeyKept:
    """Keeps Ctrl-D a key on terminal ``fd`` until :meth:`restore` (no-op off a terminal)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: bytes | None = None

    def keep(self) -> bool:
        """Disable the terminal's EOF character; False when ``fd`` is not a terminal."""
        try:
            import termios
        except ImportError:  # not POSIX
            return False
        try:
            attrs = termios.tcgetattr(self.fd)
        except (termios.error, OSError):
            return False
        try:
            disabled = os.fpathconf(self.fd, "PC_VDISABLE")
        except (OSError, ValueError):
            disabled = 0
        off = bytes([disabled & 0xFF])
        current = attrs[6][termios.VEOF]
        if current == off:
            return True
        if self._saved is None:
            self._saved = current if isinstance(current, bytes) else bytes([current])
        attrs[6][termios.VEOF] = off
        try:
            # TCSANOW, never TCSAFLUSH: that would throw the typed-ahead keys away.
            termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        except (termios.error, OSError):
            return False
        return True

    def restore(self) -> None:
        """Put the terminal's own EOF character back (the terminal may be gone: ignored)."""
        saved, self._saved = self._saved, None
        if saved is None:
            return
        import termios

        with contextlib.suppress(termios.error, OSError):
            attrs = termios.tcgetattr(self.fd)
            attrs[6][termios.VEOF] = saved
            termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
