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
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tui.config import add_graphics_argument, chosen_graphics, load_display, mime_order
from tui.render.context import GraphicsMode

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
    parser.add_argument("--wide-tables", choices=("split", "truncate"), default=None,
                        help="tables wider than the page: in bands of columns, each with "
                             "the index (split, the default), or cut with a mark (truncate)")
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


def render_chunks(paths: list[Path], *, width: int, graphics: GraphicsMode, colors: str | None,
                  order: tuple[str, ...] | None, errors: IO[str],
                  options: dict[str, Any] | None = None,
                  cell_size: tuple[int, int] = (10, 20),
                  max_image_rows: int | None = None) -> Iterator[str | None]:
    """The rendered notebooks, one string per cell (with ANSI codes when ``colors``), made as
    they are consumed. A notebook that cannot be read is reported on ``errors`` and skipped;
    :data:`FAILED` (``None``) is then yielded in its place."""
    from rich.console import Console

    import nbio
    from tui.render.context import RenderContext
    from tui.render.document import notebook_options, render_notebook

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=colors is not None,
                      color_system=colors, no_color=colors is None,  # type: ignore[arg-type]
                      highlight=False, emoji=False, markup=False, legacy_windows=False,
                      soft_wrap=False)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if colors is None:  # no colour: the grid's padding is only trailing spaces
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text

    for path in paths:
        try:
            nb = nbio.read(path)
        except (OSError, nbio.NotebookError) as exc:
            print(f"jtui view: cannot open {path}: {exc}", file=errors)
            yield FAILED
            continue
        if len(paths) > 1:
            console.print(_title(str(path), width))
        ctx = RenderContext(width=width, graphics=graphics, color=colors is not None,
                            interactive=False, base_dir=path.resolve().parent,
                            cell_size=cell_size, widgets=saved_widgets(nb, path, errors),
                            **({"max_image_rows": max_image_rows} if max_image_rows else {}),
                            options={"wide_tables": "split", **(options or {})})
        for renderable in render_notebook(nb, ctx, notebook_options(nb, order)):
            console.print(renderable)
            yield take()


FAILED = None
"""What :func:`render_chunks` yields for a notebook it could not read."""


def saved_widgets(nb: Any, path: Path, errors: IO[str]) -> Any:
    """The lookup of the widget models saved in ``nb``'s metadata (None when there are
    none); what could not be restored is reported on ``errors`` (those widgets show their
    text/plain)."""
    widgets = nb.metadata.get("widgets")
    if not isinstance(widgets, dict) or not widgets:
        return None
    from tui.widgets.state import restore_models

    models, problems = restore_models(nb.metadata)
    for problem in problems[:5]:
        print(f"jtui view: {path}: saved widget state: {problem}", file=errors)
    if len(problems) > 5:
        print(f"jtui view: {path}: saved widget state: {len(problems) - 5} more problems",
              file=errors)
    return models.get if models else None


def render_to_string(paths: list[Path], **kwargs: Any) -> tuple[str, int]:
    """All of :func:`render_chunks` as one string, and the exit status (1 when a notebook
    could not be read)."""
    parts: list[str] = []
    status = 0
    for chunk in render_chunks(paths, **kwargs):
        if chunk is FAILED:
            status = 1
        else:
            parts.append(chunk)
    return "".join(parts), status


def _title(name: str, width: int) -> Any:
    from rich.text import Text

    head = f"── {name} "
    return Text(head + "─" * max(2, width - len(head)), style="bold", overflow="fold")


def _pager_command(env: dict[str, str] | os._Environ[str]) -> list[str]:
    return shlex.split(env.get("PAGER") or "less") or ["less"]


def start_pager(env: dict[str, str] | os._Environ[str] | None = None
                ) -> subprocess.Popen[bytes] | None:
    """``$PAGER`` (``less`` with ``LESS=FRX`` unless set, as git does) reading from a pipe;
    ``None`` when no pager could be started."""
    env = os.environ if env is None else env
    pager_env = dict(env)
    pager_env.setdefault("LESS", "FRX")
    try:
        return subprocess.Popen(_pager_command(env), stdin=subprocess.PIPE, env=pager_env)
    except OSError:
        return None


def _finish_pager(proc: subprocess.Popen[bytes]) -> None:
    try:
        if proc.stdin is not None:
            proc.stdin.close()
    except BrokenPipeError:
        pass
    while True:
        try:
            proc.wait()
            return
        except KeyboardInterrupt:
            continue  # Ctrl+C belongs to the pager


def write_out(chunks: Iterator[str | None], out: IO[str], *, pager: bool | None, rows: int,
              env: dict[str, str] | os._Environ[str] | None = None) -> int:
    """Write ``chunks`` to ``out``, or to the pager: ``pager`` True always, None once the
    output is longer than ``rows`` lines (what came before goes to the pager too). Returns
    the exit status (1 when a notebook could not be read)."""
    status = 0
    held: list[str] = []
    lines = 0
    proc: subprocess.Popen[bytes] | None = None
    sink: IO[bytes] | None = None
    try:
        for chunk in chunks:
            if chunk is FAILED:
                status = 1
                continue
            if sink is not None:
                sink.write(chunk.encode("utf-8", "replace"))
                continue
            if pager is False:
                out.write(chunk)
                continue
            held.append(chunk)
            lines += chunk.count("\n")
            if pager or lines > rows:
                proc = start_pager(env)
                if proc is None or proc.stdin is None:
                    pager = False
                    out.write("".join(held))
                else:
                    sink = proc.stdin
                    sink.write("".join(held).encode("utf-8", "replace"))
                held = []
        if held:
            out.write("".join(held))
        out.flush()
    except BrokenPipeError:  # `jtui view x.ipynb | head`, or the pager quit early
        if sink is None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
    finally:
        if proc is not None:
            _finish_pager(proc)
    return status


def view_options(configured: dict[str, Any], wide_tables: str | None) -> dict[str, Any]:
    """Renderer options for a page: the config file's, ``--wide-tables`` over them; a page
    cannot scroll sideways, so ``scroll`` becomes ``split``."""
    options = dict(configured)
    if wide_tables:
        options["wide_tables"] = wide_tables
    if options.get("wide_tables") == "scroll":  # a page cannot scroll sideways
        options["wide_tables"] = "split"
    return options


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
    chunks = render_chunks(
        [Path(p) for p in args.paths], width=_width(args.width, out), graphics=mode,
        colors=colors, order=mime_order(config), errors=sys.stderr,
        cell_size=setup.cell_size, max_image_rows=config.max_image_rows,
        options=view_options(config.options, args.wide_tables))
    pager = args.pager
    if pager is None and (not _isatty(out) or mode in PIXEL_MODES):
        pager = False
    return write_out(chunks, out, pager=pager, rows=shutil.get_terminal_size((80, 24)).lines)
