"""``jtui recover``: list the notebooks with unsaved changes in recovery journals.

Each line: the notebook's path, when the journal was written, the pid that wrote it and
whether that process still runs. ``jtui --recover PATH`` opens one with its changes.
"""

from __future__ import annotations

import argparse
import time

from tui.recovery.offer import list_journals
from tui.recovery.store import recovery_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``jtui recover`` takes no arguments but ``--dir``."""
    parser.add_argument("--dir", default=None,
                        help="the journal folder (default: "
                             "${XDG_STATE_HOME:-~/.local/state}/jupyter-tui/recovery)")


def run(args: argparse.Namespace) -> int:
    """Print the listing; returns 0."""
    from pathlib import Path

    directory = Path(args.dir) if args.dir else recovery_dir()
    listed = list_journals(directory)
    if not listed:
        print(f"No recovery journals in {directory}.")
        return 0
    print(f"Recovery journals in {directory} (newest first):")
    for item in listed:
        h = item.header
        if h is None:
            reason = item.error.reason if item.error else "unreadable"
            print(f"  DAMAGED  {item.file.name}: {reason}")
            continue
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(h.written))
        print(f"  {h.source}\n      written {when} by pid {h.writer.pid} on {h.writer.host}, "
              f"{h.liveness().value}")
    print("Open one with its changes: jtui --recover PATH")
    return 0
