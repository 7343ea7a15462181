"""The one-time hint about fallback keys, for terminals without extended key reporting.

Terminals that speak the kitty keyboard protocol (Textual turns it on) can send Shift+Enter,
Ctrl+Enter and Ctrl+Shift+arrows; others cannot, and need the fallback keys. We cannot ask the
terminal cheaply, so: known-capable terminals never see the hint; everybody else sees it once,
the first time they enter edit mode (a marker file in the Jupyter data directory remembers).
"""

from __future__ import annotations

import os
from pathlib import Path

CAPABLE_TERM_PROGRAMS = {"kitty", "wezterm", "ghostty", "iterm.app", "foot", "alacritty"}
"""Terminals that report modified Enter and arrows with the kitty protocol or CSI u."""


def data_dir() -> Path:
    """``$JUPYTER_DATA_DIR`` or ``~/.local/share/jupyter``."""
    env = os.environ.get("JUPYTER_DATA_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jupyter"


def terminal_is_capable() -> bool:
    """Whether this terminal is known to send Shift+Enter and friends."""
    program = os.environ.get("TERM_PROGRAM", "").lower()
    term = os.environ.get("TERM", "").lower()
    return program in CAPABLE_TERM_PROGRAMS or "kitty" in term or term.startswith("foot")


def should_show_key_hint() -> bool:
    """True the first time ever on a terminal not known to be capable (then remembered)."""
    if terminal_is_capable():
        return False
    marker = data_dir() / "jupyter_tui" / "key-hint-shown"
    if marker.exists():
        return False
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("the fallback-key hint was shown once\n", encoding="utf-8")
    except OSError:
        pass
    return True
