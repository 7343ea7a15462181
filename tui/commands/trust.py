"""``jtui trust FILE...``: sign notebooks as trusted, like ``jupyter trust``.

The signature goes into the same store ``jupyter trust`` and the Jupyter server use (the
``nbsignatures.db`` database and ``notebook_secret`` key in the Jupyter data directory), so a
notebook trusted here is trusted in JupyterLab, and the other way round. ``--check`` only
reports.

Files in nbformat 3 or older, and 4.5 files with missing or duplicate cell ids, are not signed:
Jupyter gives such cells fresh random ids every time it opens the file, so no signature could
ever match (save them from the editor first).

Exit status: 0 when every file was signed (or, with ``--check``, is trusted), 1 when some file
is not trusted (``--check``) or cannot be signed, 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
import warnings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jtui trust``."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="notebook files")
    parser.add_argument(
        "--check", action="store_true", help="only report whether each file is trusted"
    )


def run(args: argparse.Namespace) -> int:
    """Sign (or check) every file; the exit status is the worst one."""
    import nbio
    from nbio.reader import CellIdRepairWarning
    from nbio.trust import NotebookNotary

    status = 0
    with NotebookNotary() as notary:
        for path in args.files:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    nb = nbio.read(path)
            except nbio.NotebookError as e:
                print(f"{path}: cannot be read: {e.reason}", file=sys.stderr)
                status = max(status, 2)
                continue
            if any(issubclass(w.category, CellIdRepairWarning) for w in caught):
                print(
                    f"{path}: not signed: some cells have no id or a duplicate one, and Jupyter "
                    "gives them new random ids each time it opens the file; save it first",
                    file=sys.stderr,
                )
                status = max(status, 1)
                continue
            original = nb.metadata.get("orig_nbformat")
            if isinstance(original, int) and original < 4:
                print(
                    f"{path}: nbformat {original} notebook not signed: Jupyter opens it upgraded "
                    "to v4 with new cell ids, so it could never match; save it as v4 first",
                    file=sys.stderr,
                )
                status = max(status, 1)
                continue
            try:
                trusted = notary.check_signature(nb)
            except UnicodeEncodeError:  # a lone surrogate (an escaped "\ud800"): no UTF-8
                print(f"{path}: cannot be signed: it holds text that is not valid Unicode "
                      "(a lone surrogate), which has no UTF-8 form to sign", file=sys.stderr)
                status = max(status, 1)
                continue
            if args.check:
                print(f"{path}: {'trusted' if trusted else 'not trusted'}")
                if not trusted:
                    status = max(status, 1)
            elif trusted:
                print(f"Notebook already signed: {path}")
            else:
                print(f"Signing notebook: {path}")
                notary.sign(nb)
    return status
