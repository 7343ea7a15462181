"""Attaching to a running kernel by its connection file (``--existing``).

``existing`` is resolved like ``jupyter console --existing``: a path (absolute or relative), a
file name in the runtime dir (``.json`` optional), a fragment matched as ``*fragment*`` there
(several matches: the newest), or ``None`` for the newest ``kernel-*.json``. We did not start the
process, so liveness comes from the heartbeat only: we wait for one echo, then for a kernel_info
reply with IOPub proof, and the heartbeat task reports death as a ``KernelDied`` event within
about 3 s.
"""

from __future__ import annotations

from protocol.client import KernelClient
from protocol.connection import ConnectionInfo, find_connection_file, read_connection_file
from protocol.errors import KernelDeadError, ProtocolError, RequestTimeout


async def attach(
    existing: str | None = None,
    *,
    session_id: str | None = None,
    ready_timeout: float = 10,
) -> tuple[KernelClient, ConnectionInfo]:
    """Connect to an existing kernel; return the ready client and its connection info.

    Raises FileNotFoundError (no such connection file), ValueError (not a connection file) or
    ProtocolError (the kernel does not answer within ``ready_timeout`` seconds).
    """
    path = find_connection_file(existing)
    info = read_connection_file(path)
    client = await KernelClient.connect(info, session_id=session_id, heartbeat=False)
    try:
        await client.wait_for_heartbeat(ready_timeout)
        await client.wait_for_ready(ready_timeout)
    except (RequestTimeout, KernelDeadError) as exc:
        await client.close()
        raise ProtocolError(f"kernel of {path} does not answer: {exc}") from None
    except BaseException:
        await client.close()
        raise
    client.start_heartbeat()
    return client, info
