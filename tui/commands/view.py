"""``jtui view PATH...``: a notebook rendered to the terminal, the nbviewer of the terminal.

Prompts, highlighted code, rendered markdown and every output (images, tables, math, JSON)
through the same renderers as the editor. To the pager when stdout is a terminal and the
notebook is longer than the screen; straight to stdout otherwise. Colour follows ``--color`` /
``--no-color``, then ``NO_COLOR``, then whether stdout is a terminal; an explicit ``--color``
is 24-bit, so ``--graphics halfblock --color`` gives the same pictures on any terminal or in a
file.
"""

from __future__ import annotations

import argparse
import io
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from tui.config import add_graphics_argument, chosen_graphics, load_display, mime_order

PIXEL_MODES = ("kitty", "sixel", "iterm")
"""Graphics whose escape sequences a pager would mangle: printed straight, not paged."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``jtui view``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebooks to show")
    parser.add_argument("--width", type=int, default=None, metavar="N",
                        help="columns to render to (default: the terminal's, else 80)")
    add_graphics_argument(parser)
    parser.add_argument("--color", action=argparse.BooleanOptionalAction, default=None,
                        help="colour (default: when stdout is a terminal and NO_COLOR is unset)")
    parser.add_argument("--pager", action=argparse.BooleanOptionalAction, default=None,
                        help="page long output with $PAGER (default: when stdout is a "
                             "terminal and the notebook is longer than the screen)")


def color_system(flag: bool | None, stream: IO[str], env: dict[str, str] | os._Environ[str]
                 ) -> str | None:
    """Rich's colour system for the output: ``None`` for no colour."""
    if flag is False:
        return None
    if flag is True:
        return "truecolor"
    if "NO_COLOR" in env or not _isatty(stream):
        return None
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256" if "256" in env.get("TERM", "") else "standard"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _width(flag: int | None, stream: IO[str]) -> int:
    if flag is not None:
        return max(20, flag)
    if _isatty(stream):
        return shutil.get_terminal_size((80, 24)).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 20 else 80


def render_to_string(paths: list[Path], *, width: int, graphics: str, colors: str | None,
                     order: tuple[str, ...] | None, errors: IO[str],
                     options: dict[str, Any] | None = None,
                     cell_size: tuple[int, int] = (10, 20)) -> tuple[str, int]:
    """The rendered notebooks as one string (with ANSI codes when ``colors``) and the exit
    status (1 when one could not be read; the others are still rendered)."""
    import nbio
    from rich.console import Console

    from tui.render.context import RenderContext
    from tui.render.document import notebook_options, render_notebook

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=colors is not None,
                      color_system=colors, no_color=colors is None,  # type: ignore[arg-type]
                      highlight=False, emoji=False, markup=False, legacy_windows=False,
                      soft_wrap=False)
    status = 0
    for path in paths:
        try:
            nb = nbio.read(path)
        except (OSError, nbio.NotebookError) as exc:
            print(f"jtui view: cannot open {path}: {exc}", file=errors)
            status = 1
            continue
        if len(paths) > 1:
            console.print(_title(str(path), width))
        ctx = RenderContext(width=width, graphics=graphics, color=colors is not None,
                            interactive=False, base_dir=path.resolve().parent,
                            cell_size=cell_size,
                            options={"wide_tables": "split", **(options or {})})
        for renderable in render_notebook(nb, ctx, notebook_options(nb, order)):
            console.print(renderable)
    text = buffer.getvalue()
    if colors is None:  # no colour: the grid's padding is only trailing spaces
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text, status


def _title(name: str, width: int) -> Any:
    from rich.text import Text

    head = f"── {name} "
    return Text(head + "─" * max(2, width - len(head)), style="bold", overflow="fold")


def _pager_command(env: dict[str, str] | os._Environ[str]) -> list[str]:
    return shlex.split(env.get("PAGER") or "less") or ["less"]


def page(text: str, env: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """Show ``text`` in ``$PAGER`` (``less`` with ``LESS=FRX`` unless set, as git does);
    False when no pager could be started."""
    env = os.environ if env is None else env
    pager_env = dict(env)
    pager_env.setdefault("LESS", "FRX")
    try:
        proc = subprocess.Popen(_pager_command(env), stdin=subprocess.PIPE, env=pager_env)
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8", "replace"))
        proc.stdin.close()
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the user quit the pager early
    while True:
        try:
            proc.wait()
            return True
        except KeyboardInterrupt:
            continue  # Ctrl+C belongs to the pager


def run(args: argparse.Namespace) -> int:
    """Render the notebooks; exit status 0, or 1 when one could not be read."""
    from tui.graphics.detect import resolve_graphics

    out = sys.stdout
    config = load_display()
    for warning in config.warnings:
        print(f"jtui view: {warning}", file=sys.stderr)
    tty = _isatty(out) and _isatty(sys.stdin)
    setup = resolve_graphics(chosen_graphics(args.graphics, config), interactive=tty)
    if setup.hint and _isatty(sys.stderr):
        print(setup.hint, file=sys.stderr)
    colors = color_system(args.color, out, os.environ)
    mode = setup.mode
    if colors is None and mode == "halfblock":
        mode = "none"  # half-block pictures are made of colours
    text, status = render_to_string(
        [Path(p) for p in args.paths], width=_width(args.width, out), graphics=mode,
        colors=colors, order=mime_order(config), errors=sys.stderr,
        cell_size=setup.cell_size)
    use_pager = args.pager
    if use_pager is None:
        rows = shutil.get_terminal_size((80, 24)).lines
        use_pager = (_isatty(out) and mode not in PIXEL_MODES
                     and text.count("\n") > rows)
    if use_pager and page(text):
        return status
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:  # `jtui view x.ipynb | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    return status
