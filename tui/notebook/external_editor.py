"""Editing one cell's source in ``$VISUAL`` / ``$EDITOR`` (the terminal is handed over)."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

SUFFIXES = {"python": ".py", "markdown": ".md", "raw": ".txt", "r": ".r", "julia": ".jl",
            "bash": ".sh", "javascript": ".js"}


def editor_command() -> list[str]:
    """The user's editor as an argv prefix (``$VISUAL``, ``$EDITOR``, else ``vi``)."""
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(value)


def edit_text(app: App[Any], text: str, *, kind: str = "python") -> str | None:
    """Open ``text`` in the editor and return what was saved, ``None`` when it failed.

    The Textual app is suspended while the editor runs (when the driver can; in headless
    tests the editor simply runs).
    """
    suffix = SUFFIXES.get(kind.lower(), ".txt")
    fd, name = tempfile.mkstemp(prefix="jtui-cell-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        argv = [*editor_command(), str(path)]
        try:
            with app.suspend():
                result = subprocess.run(argv, check=False)
        except SuspendNotSupported:
            result = subprocess.run(argv, check=False, stdin=subprocess.DEVNULL,
                                    capture_output=True)
        if result.returncode != 0:
            return None
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
    finally:
        path.unlink(missing_ok=True)
