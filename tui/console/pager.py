"""The ``page`` payload (``x?`` in IPython): print it, or page it when it does not fit."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

from tui.console.printer import Printer


def page(printer: Printer, text: str) -> None:
    """Show ``text``: directly when it fits the terminal, else through ``$PAGER`` (less -R)."""
    rows = shutil.get_terminal_size((80, 24)).lines
    if text.count("\n") < rows - 2 or not printer.live:
        printer.write(text.rstrip("\n") + "\n", kind="page", new_line=True)
        return
    command = os.environ.get("PAGER") or ("less -R" if shutil.which("less") else "")
    if not command:
        printer.write(text.rstrip("\n") + "\n", kind="page", new_line=True)
        return
    try:
        subprocess.run(shlex.split(command), input=text.encode("utf-8", "replace"), check=False)
    except OSError:
        printer.write(text.rstrip("\n") + "\n", kind="page", new_line=True)
