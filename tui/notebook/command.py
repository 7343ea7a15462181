"""``jtui PATH`` / ``jtui notebook PATH``: open a notebook (or a new one) in the editor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The editor's options."""
    parser.add_argument("path", help="the notebook to open (created on first save if missing)")
    parser.add_argument("--kernel", default=None,
                        help="kernel to run the notebook on (default: the notebook's; "
                             "python3 for a new notebook)")
    parser.add_argument("--record-timing", action="store_true",
                        help="record cell execution timing in the metadata (as JupyterLab)")


def run(args: argparse.Namespace) -> int:
    """Read the notebook (or start a new one) and run the editor; returns the exit status."""
    import nbio
    from nbio.model import Notebook

    path = Path(args.path)
    is_new = not path.exists()
    if is_new:
        kernel = args.kernel or "python3"
        language = "python" if kernel.startswith("python") else None
        display = "Python 3 (ipykernel)" if kernel == "python3" else kernel
        nb = Notebook.new(kernel, display_name=display, language=language)
        nb.path = path
    else:
        try:
            nb = nbio.read(path)
        except (OSError, nbio.NotebookError) as exc:
            print(f"jtui: cannot open {path}: {exc}", file=sys.stderr)
            return 1
    from tui.notebook.app import NotebookApp, load_keymap

    user_keymap, warnings = load_keymap()
    app = NotebookApp(nb, path, is_new=is_new, user_keymap=user_keymap, warnings=warnings,
                      freeze_gc=True)
    app.kernel_name = args.kernel  # type: ignore[attr-defined]  # read by kernel_actions
    app.autostart_kernel = True  # type: ignore[attr-defined]
    app.record_timing = args.record_timing  # type: ignore[attr-defined]
    app.run()
    return 0
