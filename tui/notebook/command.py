"""``jtui PATH`` / ``jtui notebook PATH``: open a notebook (or a new one) in the editor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The editor's options."""
    parser.add_argument("path", help="the notebook to open (created on first save if missing)")
    parser.add_argument("--kernel", default="python3",
                        help="kernel name for a new notebook (default: python3)")


def run(args: argparse.Namespace) -> int:
    """Read the notebook (or start a new one) and run the editor; returns the exit status."""
    import nbio
    from nbio.model import Notebook

    path = Path(args.path)
    is_new = not path.exists()
    if is_new:
        language = "python" if args.kernel.startswith("python") else None
        display = "Python 3 (ipykernel)" if args.kernel == "python3" else args.kernel
        nb = Notebook.new(args.kernel, display_name=display, language=language)
        nb.path = path
    else:
        try:
            nb = nbio.read(path)
        except (OSError, nbio.NotebookError) as exc:
            print(f"jtui: cannot open {path}: {exc}", file=sys.stderr)
            return 1
    from tui.notebook.app import NotebookApp, load_keymap

    user_keymap, warnings = load_keymap()
    app = NotebookApp(nb, path, is_new=is_new, user_keymap=user_keymap, warnings=warnings)
    app.run()
    return 0
