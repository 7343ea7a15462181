"""``jtui kernels``: list installed kernelspecs (like ``jupyter kernelspec list``), or with
``--server URL`` a Jupyter Server's kernelspecs, running kernels and sessions."""

from __future__ import annotations

import argparse
import json
import sys

from protocol.kernelspec import find_kernel_specs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jtui kernels``."""
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON (locally in the shape of `jupyter kernelspec list --json`; with "
        "--server: server, version, default, kernelspecs, kernels, sessions)",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="list a Jupyter Server's kernelspecs, running kernels and sessions (any URL the "
        "browser shows, e.g. http://host:8888/lab?token=...)",
    )
    parser.add_argument(
        "--token",
        help="the server's token (else from the URL, JUPYTER_TOKEN or JUPYTERHUB_API_TOKEN)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the kernelspecs; exit status 0 (1 when a server cannot be listed)."""
    if args.server:
        from tui.commands.remote_kernels import run_remote

        return run_remote(args.server, args.token, args.json)
    specs = find_kernel_specs()
    if args.json:
        data = {
            "kernelspecs": {
                name: {"resource_dir": str(spec.resource_dir), "spec": spec.to_dict()}
                for name, spec in specs.items()
            }
        }
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not specs:
        print("No kernels found. Install one, e.g. `python -m ipykernel install --user`.")
        return 0
    rows = [("NAME", "DISPLAY NAME", "LANGUAGE", "PATH")]
    rows += [
        (name, spec.display_name, spec.language, str(spec.resource_dir))
        for name, spec in sorted(specs.items())
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
    return 0
