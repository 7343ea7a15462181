"""``jtui convert NOTEBOOK --to FORMAT [-o OUT]``: a notebook in another format.

Formats (``--to``): ``py:percent`` (jupytext's percent script), ``percent`` (the same in the
notebook language's script: ``.R``, ``.jl``...), ``script`` (the plain script nbconvert
writes), ``markdown`` (outputs as text, pictures in ``NAME_files/`` beside it),
``md:jupytext`` (jupytext's markdown notebook), ``html``
(through nbconvert, an optional extra) and ``ipynb`` (a text notebook back to a notebook).
NOTEBOOK is a ``.ipynb`` file, a percent script (``.py``, ``.R``...) or a jupytext markdown
notebook (``.md``).

The output goes beside the notebook with the format's suffix (``analysis.ipynb`` ->
``analysis.md``; a name taken by the notebook itself gets ``.nbconvert`` before the suffix, as
nbconvert does), to ``-o OUT``, or to standard output with ``-o -``. Files are written
atomically. An existing notebook or script is replaced only when named with ``-o`` (markdown
and HTML, made from the notebook, are replaced as nbconvert replaces them).

Exit status: 0 when written, 1 when the output cannot be made or written (a missing folder,
no nbconvert for HTML), 2 when the notebook cannot be read or the format is unknown.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

OK, NOT_WRITTEN, UNREADABLE = 0, 1, 2

_KEEP = ("ipynb", "py:percent", "percent", "script", "md:jupytext")
"""Formats whose default output is never replaced without ``-o``: a notebook with outputs
or a hand-written module of the same name would be lost."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jtui convert``."""
    from tui.export import FORMATS

    names = ", ".join(FORMATS)
    parser.add_argument("notebook", metavar="NOTEBOOK",
                        help="the notebook to convert (.ipynb, or a percent script .py/.R/...)")
    parser.add_argument("--to", required=True, metavar="FORMAT", help=f"one of: {names}")
    parser.add_argument("-o", "--output", default=None, metavar="OUT",
                        help="the file to write ('-' for standard output; default: beside "
                             "the notebook, with the format's suffix)")


def _fail(message: str, status: int) -> int:
    print(f"jtui convert: {message}", file=sys.stderr)
    return status


def _default_output(source: Path, suffix: str) -> Path:
    target = source.with_suffix(suffix)
    if target.name == source.name:  # the notebook's own name: nbconvert adds .nbconvert
        target = source.with_suffix(".nbconvert" + suffix)
    return target


def _write(target: Path, data: bytes) -> None:
    from nbio.atomic import atomic_write_bytes

    atomic_write_bytes(target, data)


def run(args: argparse.Namespace) -> int:
    """Convert one notebook; returns the exit status."""
    import nbio
    from nbio.fsinfo import os_error_reason
    from tui.export import FORMATS, ExportError, find_format, output_suffix

    fmt = find_format(args.to)
    if fmt is None:
        return _fail(f"unknown format {args.to!r}; choose one of: {', '.join(FORMATS)}",
                     UNREADABLE)
    source = Path(args.notebook)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # repaired ids and newer minors: fine to convert
            nb = nbio.read(source)
    except nbio.NotebookError as e:
        return _fail(f"{source}: cannot be read: {e.reason}", UNREADABLE)
    try:
        suffix = output_suffix(fmt, nb)
    except ExportError as e:
        return _fail(f"{source}: {e}", NOT_WRITTEN)
    to_stdout = args.output == "-"
    target = None if to_stdout else (Path(args.output) if args.output
                                      else _default_output(source, suffix))
    if target is not None and args.output is None and fmt.name in _KEEP and target.exists():
        return _fail(f"{target} exists (it may hold work: outputs, or code written by hand); "
                     f"give -o {target} to replace it", NOT_WRITTEN)
    if target is not None:
        folder = target.parent
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            return _fail(f"cannot write {target}: the folder {folder} {what}", NOT_WRITTEN)
        if target.is_dir():
            return _fail(f"cannot write {target}: it is a folder", NOT_WRITTEN)
    name = (target or source).stem
    try:
        result = fmt.export(nb, name)
    except ExportError as e:
        return _fail(str(e), NOT_WRITTEN)
    try:
        data = result.text.encode("utf-8")
    except UnicodeEncodeError:
        return _fail(f"{source}: the notebook holds text that is not valid Unicode (a lone "
                     "surrogate); it cannot be written as UTF-8", NOT_WRITTEN)
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        if result.resources:
            count = len(result.resources)
            print(f"jtui convert: {count} picture{'s' if count != 1 else ''} not written "
                  f"(the output is standard output); the links point to {name}_files/",
                  file=sys.stderr)
        return OK
    try:
        for rel, blob in result.resources.items():
            path = target.parent / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, blob)
        _write(target, data)
    except OSError as e:
        return _fail(f"cannot write {target}: {os_error_reason(e, target, writing=True)}",
                     NOT_WRITTEN)
    extra = (f" and {len(result.resources)} file(s) in {target.stem}_files/"
             if result.resources else "")
    print(f"{source} -> {target}{extra}", file=sys.stderr)
    return OK
