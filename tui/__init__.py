"""tui: the jupyter-tui applications (notebook editor, console) and the command line."""

from __future__ import annotations

__version__ = "0.1.0"
