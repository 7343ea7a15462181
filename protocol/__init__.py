"""protocol: jupyter-tui's implementation of the Jupyter messaging protocol (on pyzmq).

A sans-IO core (wire frames, signing, message construction, request tracking) and thin asyncio
adapters around it (transport, heartbeat, kernel launcher, kernelspecs, connection files).

The names most programs need are importable from here; they are loaded lazily so that
``import protocol`` stays cheap (``protocol.wire`` alone does not pull in zmq).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real types for type checkers; imported lazily at run time
    from protocol.attach import attach
    from protocol.client import KernelClient
    from protocol.connection import ConnectionInfo
    from protocol.kernelspec import KernelSpec, find_kernel_specs, get_kernel_spec
    from protocol.manager import KernelManager

_EXPORTS = {
    "KernelManager": "protocol.manager",
    "KernelClient": "protocol.client",
    "attach": "protocol.attach",
    "ConnectionInfo": "protocol.connection",
    "KernelSpec": "protocol.kernelspec",
    "find_kernel_specs": "protocol.kernelspec",
    "get_kernel_spec": "protocol.kernelspec",
}

__all__ = [
    "ConnectionInfo",
    "KernelClient",
    "KernelManager",
    "KernelSpec",
    "attach",
    "find_kernel_specs",
    "get_kernel_spec",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'protocol' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
