"""``jtui PATH`` / ``jtui notebook PATH``: open a notebook (or a new one) in the editor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.notebook.output_view import EditorDisplay


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The editor's options."""
    parser.add_argument("path", help="the notebook to open (created on first save if missing)")
    parser.add_argument("--kernel", default=None,
                        help="kernel to run the notebook on (default: the notebook's; "
                             "python3 for a new notebook)")
    parser.add_argument("--record-timing", action="store_true",
                        help="record cell execution timing in the metadata (as JupyterLab)")
    from tui.config import add_graphics_argument

    add_graphics_argument(parser)


EDITOR_MODES = ("kitty", "halfblock", "none")
"""Graphics the editor draws: kitty's placeholders are text cells that scroll with the layout;
sixel and iTerm2 pictures are painted over the screen and would not, so they become
half-blocks there (``jtui view`` and ``jtui console`` draw them)."""


def output_display(choice: str | None) -> tuple[EditorDisplay, list[str]]:
    """The editor's :class:`~tui.notebook.output_view.EditorDisplay` for ``--graphics``
    (detected before the UI starts), and lines to tell the user."""
    from tui.config import chosen_graphics, load_display, mime_order, terminal_is_interactive
    from tui.graphics.detect import resolve_graphics
    from tui.notebook.output_view import EditorDisplay

    config = load_display()
    notes = list(config.warnings)
    setup = resolve_graphics(chosen_graphics(choice, config),
                             interactive=terminal_is_interactive())
    mode = setup.mode
    if mode not in EDITOR_MODES:
        notes.append(f"{mode} pictures do not scroll inside the editor: drawing half-blocks "
                     "(jtui view and jtui console draw them)")
        mode = "halfblock"
    if setup.hint:
        notes.append(setup.hint)
    display = EditorDisplay(graphics=mode, cell_size=setup.cell_size,  # type: ignore[arg-type]
                            order=mime_order(config), options=dict(config.options),
                            tmux_passthrough=setup.tmux_passthrough)
    return display, notes


def run(args: argparse.Namespace) -> int:
    """Read the notebook (or start a new one) and run the editor; returns the exit status."""
    import nbio
    from nbio.model import Notebook

    path = Path(args.path)
    try:
        is_new = not nbio.notebook_exists(path)  # a link loop or a locked folder: no new file
    except nbio.NotebookError as exc:
        print(f"jtui: cannot open {path}: {exc.reason}", file=sys.stderr)
        return 1
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
    display, notes = output_display(getattr(args, "graphics", None))
    app = NotebookApp(nb, path, is_new=is_new, user_keymap=user_keymap,
                      warnings=[*warnings, *notes], freeze_gc=True,
                      output_display=display)
    app.kernel_name = args.kernel  # type: ignore[attr-defined]  # read by kernel_actions
    app.autostart_kernel = True  # type: ignore[attr-defined]
    app.record_timing = args.record_timing  # type: ignore[attr-defined]
    app.run()
    return 0
