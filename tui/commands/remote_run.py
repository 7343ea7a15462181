"""``jtui run --server URL PATH`` (or a notebook URL) and ``jtui run --gateway URL PATH``.

* ``--server``: the notebook is read from the server's contents API (its text, parsed as a local
  file is), every cell runs on a fresh kernel started on the server in the notebook's folder, and
  the result is written as ``jtui run`` writes locally: ``NAME.nbconvert.ipynb`` beside the input
  (on the server, ``PUT /api/contents``), ``--inplace`` over the input (refused when the file
  changed on the server during the run), ``--output FILE`` to a local file.
* ``--gateway``: the notebook is a local file, only the kernel is remote (a Kernel Gateway,
  Enterprise Gateway or any Jupyter Server's kernels API); ``KERNEL_*`` variables are passed on.

Exit statuses are those of the local ``jtui run``: 0, 1 for a failing cell, 2 for bad input, no
kernel or a server error, 130 when interrupted. The token is never printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import posixpath
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from protocol.remote.errors import RemoteError
from protocol.remote.kernel import RemoteKernel, kernel_env
from protocol.remote.rest import ServerClient
from protocol.remote.urls import ServerURL, parse_server_url
from tui.session.remote_manager import RemoteKernelManager, RemoteSpec


def server_starter(server: ServerURL, *, path: str | None = None,
                   env: Mapping[str, str] | None = None) -> Any:
    """A KernelSession starter: kernels started on ``server`` (working directory ``path``)."""

    async def start(name: str | None, *, cwd: str | None = None,
                    extra_env: dict[str, str] | None = None,
                    ready_timeout: float = 60) -> RemoteKernelManager:
        kernel = await RemoteKernel.start(server, name, path=path, env=env,
                                          ready_timeout=ready_timeout)
        spec = RemoteSpec(kernel.model.name or name or "", kernel.model.name or name or "", "")
        with contextlib.suppress(RemoteError):
            _default, specs = await kernel.rest.kernelspecs()
            found = specs.get(spec.name)
            if found is not None:
                spec = RemoteSpec(found.name, found.display_name, found.language)
        # a kernel of its own (no server session): stopped with DELETE /api/kernels/ID
        return RemoteKernelManager(kernel, spec, kernel.kernel_info, session_id=None,
                                   created=True)

    return start


def _contents(client: ServerClient, path: str, query: dict[str, str]) -> dict[str, Any]:
    data = client.request("GET", client.server.api("contents", path, query=query))[1]
    return data if isinstance(data, dict) else {}


def _read(client: ServerClient, path: str) -> tuple[str, str]:
    """The notebook's text and its hash (or last_modified) on the server."""
    model = _contents(client, path, {"type": "file", "format": "text", "content": "1",
                                     "hash": "1"})
    text = model.get("content")
    if not isinstance(text, str):
        raise ValueError(f"{path} on the server is not a text file")
    return text, str(model.get("hash") or model.get("last_modified") or "")


def _stamp(client: ServerClient, path: str) -> str:
    model = _contents(client, path, {"content": "0", "hash": "1"})
    return str(model.get("hash") or model.get("last_modified") or "")


def _put(client: ServerClient, path: str, nb: Any) -> None:
    import nbio

    body = {"type": "notebook", "format": "json", "content": json.loads(nbio.writes(nb))}
    client.request("PUT", client.server.api("contents", path), body)


def _where(args: argparse.Namespace) -> tuple[ServerURL, str | None, bool]:
    """(server, path, gateway) from the arguments; ValueError when they do not fit."""
    if args.server and args.gateway:
        raise ValueError("use --server or --gateway, not both")
    if args.gateway:
        return parse_server_url(args.gateway, args.token), None, True
    if args.server:
        server = parse_server_url(args.server, args.token)
        return server, args.notebook.strip("/"), False
    server = parse_server_url(args.notebook, args.token)
    if not server.path:
        raise ValueError("the URL names no notebook (paste the notebook's URL, or give "
                         "--server URL PATH)")
    return server, server.path, False


def run_remote(args: argparse.Namespace) -> int:
    """Run a notebook on a server's kernel (see the module docstring); the exit status."""
    import nbio
    from tui.commands.run import execute_and_report, report_written
    from tui.run import execute_notebook

    try:
        server, path, gateway = _where(args)
    except ValueError as exc:
        print(f"jtui run: {exc}", file=sys.stderr)
        return 2
    client = ServerClient(server, timeout=60)
    stamp = ""
    if gateway:
        source_name = args.notebook
        try:
            nb = nbio.read(args.notebook)
        except (OSError, nbio.NotebookError) as exc:
            print(f"jtui run: cannot read {args.notebook}: {exc}", file=sys.stderr)
            return 2
        starter = server_starter(server, env=kernel_env())
    else:
        assert path is not None
        source_name = f"{path} on {server.shown()}"
        try:
            text, stamp = _read(client, path)
            nb = nbio.reads(text)
        except RemoteError as exc:
            print(f"jtui run: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        except (ValueError, nbio.NotebookError) as exc:
            print(f"jtui run: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        starter = server_starter(server, path=posixpath.dirname(path))
    ended = execute_and_report(execute_notebook(
        nb, kernel_name=args.kernel, timeout=args.timeout, allow_errors=args.allow_errors,
        record_timing=not args.no_timing, startup_timeout=args.startup_timeout,
        cwd=str(Path(args.notebook).resolve().parent) if gateway else None,
        starter=starter, store_widget_state=args.store_widget_state,
    ), source_name)
    if isinstance(ended, int):
        return ended
    try:
        target = _write(args, client, nb, path, stamp, gateway)
    except (RemoteError, OSError, nbio.NotebookError, ValueError) as exc:
        print(f"jtui run: cannot write the result: {exc}", file=sys.stderr)
        return 2
    report_written(source_name, target, ended)
    return 0


def _write(args: argparse.Namespace, client: ServerClient, nb: Any, path: str | None,
           stamp: str, gateway: bool) -> str:
    """Write the executed notebook where the options say; what was written (for the user)."""
    import nbio

    if gateway or args.output:
        from tui.commands.run import _output_path

        target = _output_path(args, Path(args.notebook))
        nb.path = None
        nb.disk_stamp = None
        nbio.write(nb, target, force=True)
        return str(target)
    assert path is not None
    if args.inplace:
        if stamp and _stamp(client, path) != stamp:
            raise ValueError(f"{path} changed on the server during the run; nothing written "
                             "(use --output FILE to keep this result)")
        target = path
    else:
        stem, _ext = posixpath.splitext(path)
        target = f"{stem}.nbconvert.ipynb"
    _put(client, target, nb)
    return f"{target} on {client.server.shown()}"
