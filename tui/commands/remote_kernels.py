"""``jtui kernels --server URL``: a Jupyter Server's kernelspecs, running kernels and sessions.

The URL may be anything a browser shows for the server (``/lab/tree/...?token=...`` included);
the token comes from ``--token``, the URL, ``JUPYTER_TOKEN`` or ``JUPYTERHUB_API_TOKEN`` and
is sent only in the ``Authorization`` header, never printed (nor in ``--json``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from protocol.remote.errors import RemoteError
from protocol.remote.rest import ServerClient
from protocol.remote.urls import parse_server_url


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _collect(client: ServerClient) -> dict[str, Any]:
    default, specs = client.kernelspecs()
    kernels, sessions = client.kernels(), client.sessions()
    return {
        "server": client.server.shown(),
        "version": client.version(),
        "default": default,
        "kernelspecs": {name: spec.spec for name, spec in specs.items()},
        "kernels": [k.raw for k in kernels],
        "sessions": [s.raw for s in sessions],
        "_models": (specs, kernels, sessions),
    }


def _print_text(data: dict[str, Any]) -> None:
    specs, kernels, sessions = data["_models"]
    print(f"Jupyter Server {data['version']} at {data['server']}")
    print()
    print(f"Kernelspecs (default: {data['default'] or 'none'})")
    rows = [("NAME", "DISPLAY NAME", "LANGUAGE")]
    rows += [(s.name, s.display_name, s.language) for s in specs.values()]
    print("\n".join("  " + line for line in _table(rows)))
    print()
    if kernels:
        print("Running kernels")
        rows = [("ID", "NAME", "STATE", "CONNECTIONS", "LAST ACTIVITY")]
        rows += [(k.id, k.name, k.execution_state, str(k.connections), k.last_activity)
                 for k in kernels]
        print("\n".join("  " + line for line in _table(rows)))
    else:
        print("No running kernels.")
    print()
    if sessions:
        print("Sessions")
        rows = [("ID", "PATH", "TYPE", "KERNEL")]
        rows += [(s.id, s.path, s.type,
                  f"{s.kernel.id} ({s.kernel.name})" if s.kernel else "") for s in sessions]
        print("\n".join("  " + line for line in _table(rows)))
    else:
        print("No sessions.")


def run_remote(url: str, token: str | None, as_json: bool) -> int:
    """List what the server at ``url`` offers and runs; 0, or 1 with the error on stderr."""
    try:
        server = parse_server_url(url, token)
        data = _collect(ServerClient(server, timeout=30))
    except (RemoteError, ValueError) as exc:
        print(f"jtui kernels: {exc}", file=sys.stderr)
        return 1
    if as_json:
        data.pop("_models")
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(data)
    return 0
