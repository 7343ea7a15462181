"""``jtui validate FILE...``: check notebooks against the nbformat schema of their version.

Each file is checked as it is stored (as ``nbformat.validator.isvalid`` does on the raw JSON),
so problems that Jupyter silently repairs when opening a file, such as duplicate cell ids, are
reported too. Every problem is printed as ``FILE: JSON-PATH: message``.

Exit status: 0 when every file is valid, 1 when any is invalid, 2 when any cannot be read
(missing, not UTF-8, not JSON, or too broken to open at all).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

VALID, INVALID, UNREADABLE = 0, 1, 2
_DEPTH_LIMIT = sys.getrecursionlimit() // 2  # roughly where the json module gives up


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jtui validate``."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="notebook files to check")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print problems only, not the valid files"
    )


def _unreadable(path: str, reason: str) -> int:
    print(f"{path}: cannot be read: {reason}", file=sys.stderr)
    return UNREADABLE


def check_file(path: str, *, quiet: bool = False) -> int:
    """Check one file, print what is wrong; return its exit status."""
    import nbio

    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        return _unreadable(path, "is a directory")
    except OSError as e:
        return _unreadable(path, nbio.os_error_reason(e, path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return _unreadable(path, f"not UTF-8 text (byte {e.start})")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        return _unreadable(path, f"not JSON: line {e.lineno} column {e.colno}: {e.msg}")
    except RecursionError:
        return _unreadable(path, f"JSON nested too deeply (more than {_DEPTH_LIMIT} levels of "
                                 "arrays and objects: no notebook is shaped like that)")
    except ValueError as e:  # an integer literal longer than Python's digit limit, say
        return _unreadable(path, f"not JSON: {e}")
    problems = nbio.validate(raw)
    if not problems:
        if not quiet:
            version = f"{raw.get('nbformat')}.{raw.get('nbformat_minor', '?')}"
            print(f"{path}: valid (nbformat {version})")
        return VALID
    for problem in problems:
        print(f"{path}: {problem.path or '/'}: {problem.message}")
    count = len(problems)
    summary = f"{path}: invalid ({count} problem{'s' if count != 1 else ''})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbio.reads(text, path=path)
    except nbio.NotebookError as e:
        print(f"{summary}; jtui cannot open it: {e.reason}", file=sys.stderr)
        return UNREADABLE
    print(summary, file=sys.stderr)
    return INVALID


def run(args: argparse.Namespace) -> int:
    """Check every file; the exit status is the worst one."""
    status = VALID
    for path in args.files:
        status = max(status, check_file(path, quiet=args.quiet))
    return status
