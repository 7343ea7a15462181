"""``jtui PATH`` / ``jtui notebook PATH``: open a notebook (or a new one) in the editor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbio.model import Notebook
    from tui.notebook.app import NotebookApp
    from tui.notebook.output_view import EditorDisplay
    from tui.recovery.settings import RecoverySettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The editor's options."""
    parser.add_argument("path", help="the notebook to open (created on first save if missing), "
                                     "or its URL on a Jupyter Server as the browser shows it")
    parser.add_argument("--kernel", default=None,
                        help="kernel to run the notebook on (default: the notebook's; "
                             "python3 for a new notebook)")
    parser.add_argument("--record-timing", action="store_true",
                        help="record cell execution timing in the metadata (as JupyterLab)")
    parser.add_argument("--recover", action="store_true",
                        help="open the unsaved changes of the notebook's newest recovery "
                             "journal without asking (see `jtui recover`)")
    parser.add_argument("--no-autosave", action="store_true",
                        help="do not autosave (default: every 120 s, [editor] autosave in "
                             "jupyter_tui.toml)")
    from tui.config import add_graphics_argument
    from tui.notebook.remote_open import add_remote_arguments

    add_graphics_argument(parser)
    add_remote_arguments(parser)


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
    app = prepare(args)
    if isinstance(app, int):
        return app
    from tui.hangup import install

    # SIGHUP (the terminal closed) and SIGTERM quit without asking (nobody is left to answer):
    # the screen's unmount shuts the kernel down, and its connection file goes with it.
    restore = install(lambda signum: app.exit(return_code=128 + signum))
    try:
        app.run()
    finally:
        restore()
    return app.return_code or 0


def prepare(args: argparse.Namespace) -> NotebookApp | int:
    """The editor app for these arguments (the notebook read, locally or from a server), or
    the exit status after telling why it cannot open."""
    import nbio
    from nbio.model import Notebook
    from tui.notebook.remote_open import RemoteOpenError, remote_target

    try:
        remote = remote_target(args)
    except RemoteOpenError as exc:
        print(f"jtui: {exc}", file=sys.stderr)
        return 2
    path = Path(args.path) if remote is None else remote.path
    contents = remote.contents if remote is not None else None
    try:  # a link loop or a locked folder: no new file; a server's file is never new
        is_new = contents is None and not nbio.notebook_exists(path)
    except nbio.NotebookError as exc:
        print(f"jtui: cannot open {path}: {exc.reason}", file=sys.stderr)
        return 1
    if contents is not None:
        try:
            nb = contents.read()
        except nbio.NotebookError as exc:
            print(f"jtui: {exc}", file=sys.stderr)
            return 1
    elif is_new:
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

    source = contents.journal_source if contents is not None else path
    settings, nb, recovery_notes = recovery_settings(args, path, nb, is_new, source=source)
    user_keymap, warnings = load_keymap()
    display, notes = output_display(getattr(args, "graphics", None))
    app = NotebookApp(nb, path, is_new=is_new, user_keymap=user_keymap,
                      warnings=[*warnings, *notes, *recovery_notes], freeze_gc=True,
                      output_display=display, recovery=settings, contents=contents)
    app.kernel_name = args.kernel  # type: ignore[attr-defined]  # read by kernel_actions
    app.autostart_kernel = True  # type: ignore[attr-defined]
    app.record_timing = args.record_timing  # type: ignore[attr-defined]
    app.kernel_starter = remote.starter if remote is not None else None  # type: ignore[attr-defined]
    return app


def recovery_settings(args: argparse.Namespace, path: Path, nb: Notebook, is_new: bool, *,
                      source: str | Path | None = None,
                      ) -> tuple[RecoverySettings, Notebook, list[str]]:
    """Journal, autosave and recovery for this open: the settings, the notebook to open (the
    journal's with ``--recover``) and lines to tell the user. ``source``: what the journals
    are named after (``path``, or a server notebook's URL without its token)."""
    from tui.config import load_editor
    from tui.recovery.offer import survey
    from tui.recovery.recover import recovered_notebook
    from tui.recovery.settings import RecoverySettings

    config = load_editor()
    notes = list(config.warnings)
    autosave = 0.0 if getattr(args, "no_autosave", False) else config.autosave
    found = survey(path if source is None else source, None if is_new else nb)
    for error in found.damaged:
        notes.append(f"A recovery journal of {path.name} is damaged ({error.reason}); the "
                     f"file opens as saved. Journal: {error.path}")
    for pid in found.running_elsewhere:
        notes.append(f"Another jtui (pid {pid}) is editing {path.name}.")
    settings = RecoverySettings(autosave_every=autosave, kept=found.kept)
    offer = found.offer
    if offer is None:
        if getattr(args, "recover", False):
            notes.append(f"No recovery journal with unsaved changes for {path.name}: "
                         "opened as saved.")
        return settings, nb, notes
    if getattr(args, "recover", False):
        if offer.running:
            notes.append(f"Recovered from a journal of jtui pid {offer.journal.header.writer.pid}"
                         ", which is still editing this notebook.")
        settings.recovered = True
        settings.saved = None if is_new else nb
        return settings, recovered_notebook(offer.journal, path, None if is_new else nb), notes
    settings.offer = offer
    return settings, nb, notes
