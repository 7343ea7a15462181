"""``jtui URL``, ``jtui --server URL PATH``, ``jtui PATH --gateway URL``: where the editor's
notebook and kernel live when they are not (both) on this machine.

* A notebook URL as the browser shows it (``http://host:8888/lab/tree/a.ipynb?token=T``, every
  form :func:`protocol.remote.urls.parse_server_url` knows, below a base URL or not), or
  ``--server URL PATH``: the notebook is read from and saved to the server's contents API
  (:class:`tui.contents.remote.ServerFile`) and runs on the server's kernel for that path
  through the sessions API (:class:`tui.session.remote_manager.ServerKernels`).
* ``--gateway URL``: the file is local; kernels are started on the gateway (or any server).

The token comes from ``--token``, the URL, ``JUPYTER_TOKEN`` or ``JUPYTERHUB_API_TOKEN``; it is
sent in the Authorization header only and never shown (errors name URLs without it).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from protocol.remote.urls import parse_server_url, redact

if TYPE_CHECKING:
    from tui.contents.remote import ServerFile
    from tui.session.remote_manager import ServerKernels

_URL = re.compile(r"^https?://", re.IGNORECASE)


def add_remote_arguments(parser: argparse.ArgumentParser) -> None:
    """``--server``, ``--gateway`` and ``--token``."""
    parser.add_argument("--server", metavar="URL", default=None,
                        help="a Jupyter Server: PATH is then the notebook's path on it (read, "
                             "saved and run there; the kernel is shared with JupyterLab)")
    parser.add_argument("--gateway", metavar="URL", default=None,
                        help="run the kernel on this kernel gateway (or Jupyter Server); the "
                             "file stays local")
    parser.add_argument("--token", default=None,
                        help="the server's token (default: from the URL, JUPYTER_TOKEN or "
                             "JUPYTERHUB_API_TOKEN); never shown")


@dataclass
class RemoteTarget:
    """What the editor opens: the notebook's server file (None: a local file), the kernel
    starter, and the path the screen shows (the contents path, never the URL)."""

    contents: ServerFile | None
    starter: ServerKernels
    path: Path


class RemoteOpenError(ValueError):
    """The command line names no notebook the editor can open (a sentence, no token)."""


def is_url(text: str) -> bool:
    """Whether a PATH argument is a server URL."""
    return bool(_URL.match(text.strip()))


def remote_target(args: argparse.Namespace) -> RemoteTarget | None:
    """The remote side of this command line, or None for a plain local notebook."""
    server_arg = getattr(args, "server", None)
    gateway_arg = getattr(args, "gateway", None)
    token = getattr(args, "token", None)
    path_arg: str = args.path
    if server_arg and gateway_arg:
        raise RemoteOpenError("--server and --gateway exclude each other: --server opens a "
                              "notebook on a server, --gateway runs a local one's kernel there")
    if not (server_arg or gateway_arg or is_url(path_arg)):
        return None
    from tui.contents.remote import ServerFile
    from tui.session.remote_manager import ServerKernels

    try:
        if gateway_arg:
            if is_url(path_arg):
                raise RemoteOpenError("with --gateway the notebook is a local file, not a URL")
            gateway = parse_server_url(gateway_arg, token)
            return RemoteTarget(None, ServerKernels(gateway, None), Path(path_arg))
        if server_arg:
            server = parse_server_url(server_arg, token)
            where = path_arg.strip().strip("/")
        else:
            server = parse_server_url(path_arg, token)
            where = (server.path or "").strip("/")
    except ValueError as exc:
        raise RemoteOpenError(str(exc)) from None
    if not where or not where.endswith(".ipynb"):
        shown = redact(path_arg) if is_url(path_arg) else where or "(none)"
        raise RemoteOpenError(
            f"{shown} names no notebook on the server: give its path "
            "(…/lab/tree/PATH.ipynb, or --server URL PATH.ipynb)")
    return RemoteTarget(ServerFile(server, where), ServerKernels(server, where), Path(where))
