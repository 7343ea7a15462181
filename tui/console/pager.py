"""The ``page`` payload (``x?`` in IPython) and long inspect replies: print, or page.

Text that fits the terminal is printed (above the prompt when one is shown). Longer text goes
through ``$PAGER`` (default ``less -R``) in a worker thread, so the event loop keeps running
(the heartbeat must not stall while the user reads); when a prompt is on screen,
prompt_toolkit's ``run_in_terminal`` hands it the terminal and redraws the prompt afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess

from tui.console.printer import Printer
from tui.render.sanitize import sanitize_sgr_only


def pager_command() -> list[str]:
    """``$PAGER`` split into argv, else ``less -R`` when installed, else [] (print instead)."""
    command = os.environ.get("PAGER")
    if command:
        return shlex.split(command)
    return ["less", "-R"] if shutil.which("less") else []


async def page(printer: Printer, text: str) -> None:
    """Show ``text``: directly when it fits the terminal, else through the pager.

    ``text`` comes from the kernel: only its colours reach the terminal (or the pager)."""
    text = sanitize_sgr_only(text)
    rows = shutil.get_terminal_size((80, 24)).lines
    command = pager_command()
    if text.count("\n") < rows - 2 or not printer.live or not command:
        printer.write(text.rstrip("\n") + "\n", kind="page", new_line=True)
        return

    def run() -> None:
        try:
            subprocess.run(command, input=text.encode("utf-8", "replace"), check=False)
        except OSError:
            printer.write(text.rstrip("\n") + "\n", kind="page", new_line=True)

    if printer.prompt_active():
        from prompt_toolkit.application import run_in_terminal

        await run_in_terminal(run, in_executor=True)
    else:
        await asyncio.to_thread(run)
