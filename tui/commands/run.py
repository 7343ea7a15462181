"""``jtui run NOTEBOOK``: execute a notebook headless and save it (like nbconvert --execute).

By default the result goes next to the input as ``NAME.nbconvert.ipynb`` (nbconvert's name);
``--inplace`` overwrites the input, ``--output PATH`` writes elsewhere. A failing cell stops the
run with exit status 1 and its traceback on stderr; nothing is written unless ``--allow-errors``
(then the notebook is saved with the errors in it, and the exit status is still 0).
``--server URL`` / ``--gateway URL`` (or a notebook URL) run on a Jupyter Server's kernel, see
:mod:`tui.commands.remote_run`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.run import RunReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``jtui run``."""
    parser.add_argument("notebook", help="the .ipynb file to run (with --server: its path on "
                        "the server; or a notebook URL as the browser shows it)")
    parser.add_argument("--kernel", metavar="NAME", help="kernel to use (default: the notebook's)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--inplace", action="store_true", help="overwrite the input notebook")
    where.add_argument("-o", "--output", metavar="PATH",
                       help="where to write the executed notebook (a local file)")
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="per-cell timeout in seconds (default: none)")
    parser.add_argument("--startup-timeout", type=float, default=60.0, metavar="S",
                        help="seconds to wait for the kernel to be ready (default: 60)")
    parser.add_argument("--allow-errors", action="store_true",
                        help="keep running after a failing cell and save the result")
    parser.add_argument("--no-timing", action="store_true",
                        help="do not record metadata.execution timings")
    parser.add_argument("--store-widget-state", action="store_true",
                        help="save the widgets the run made in the notebook's metadata, "
                             "as nbclient's store_widget_state does")
    parser.add_argument("--server", metavar="URL",
                        help="read, run and save the notebook on this Jupyter Server")
    parser.add_argument("--gateway", metavar="URL",
                        help="run on a kernel gateway's (or any Jupyter Server's) kernel; the "
                             "notebook stays local")
    parser.add_argument("--token", help="with --server/--gateway: the token (else from the "
                        "URL, JUPYTER_TOKEN or JUPYTERHUB_API_TOKEN)")


def _output_path(args: argparse.Namespace, source: Path) -> Path:
    if args.inplace:
        return source
    if args.output:
        out = Path(args.output)
        return out if out.suffix else out.with_suffix(".ipynb")
    return source.with_name(source.stem + ".nbconvert.ipynb")


def run(args: argparse.Namespace) -> int:
    """Run the notebook; 0 on success, 1 on a failing cell, 2 on bad input or no kernel."""
    import nbio
    from tui.run import execute_notebook

    if args.server or args.gateway or args.notebook.startswith(("http://", "https://")):
        from tui.commands.remote_run import run_remote

        return run_remote(args)
    source = Path(args.notebook)
    try:
        nb = nbio.read(source)
    except (OSError, nbio.NotebookError) as exc:
        print(f"jtui run: cannot read {source}: {exc}", file=sys.stderr)
        return 2
    target = _output_path(args, source)
    if nbio.is_read_only(target):  # refused before the run, not after it
        print(f"jtui run: {nbio.ReadOnlyError(target)}", file=sys.stderr)
        return 2
    ended = execute_and_report(execute_notebook(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        allow_errors=args.allow_errors,
        record_timing=not args.no_timing,
        startup_timeout=args.startup_timeout,
        cwd=str(source.resolve().parent),
        store_widget_state=args.store_widget_state,
    ), str(source))
    if isinstance(ended, int):
        return ended
    if target != source:
        nb.path = None
        nb.disk_stamp = None
    try:
        nbio.write(nb, target, force=True)
    except (OSError, nbio.NotebookError) as exc:
        print(f"jtui run: cannot write {target}: {exc}", file=sys.stderr)
        return 2
    report_written(str(source), str(target), ended)
    return 0


def execute_and_report(run: Coroutine[Any, Any, RunReport], source: str) -> RunReport | int:
    """Await ``run`` (an :func:`~tui.run.execute_notebook`); SIGHUP / SIGTERM stop it as Ctrl-C
    does (the kernel is shut down, nothing saved). The report of a run that succeeded, or the
    exit status of one that did not, the user told why on stderr."""
    from tui.hangup import HangUp, run_until_hangup
    from tui.run import RunError

    try:
        report = asyncio.run(run_until_hangup(run))
    except RunError as exc:
        print(f"jtui run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jtui run: interrupted; nothing written", file=sys.stderr)
        return 130
    except HangUp as exc:
        with contextlib.suppress(OSError):  # the terminal may be gone
            print(f"jtui run: {exc}; nothing written", file=sys.stderr)
        return exc.exit_status
    if not report.ok:
        where = f"cell {report.failed_index}" if report.failed_index is not None else "run"
        print(f"jtui run: {source}: {where} failed:\n{report.error}", file=sys.stderr)
        return 1
    return report


def report_written(source: str, target: str, report: RunReport) -> None:
    """The one line saying what ran and where the result went."""
    print(f"jtui run: {source} -> {target}: {report.cells_run} cells on {report.kernel_name} "
          f"in {report.elapsed:.1f} s"
          + (f", {len(report.errors)} with errors" if report.errors else ""), file=sys.stderr)
