"""A kernel on a Jupyter Server: REST for its lifecycle, a WebSocket for its messages.

:class:`RemoteKernel` starts (or attaches to) a server-side kernel, opens a
:class:`~protocol.remote.websocket.WebSocketKernelClient` to it and waits until it answers,
then interrupts, restarts and shuts it down through the REST API, as JupyterLab does.
:func:`kernel_env` is the ``env`` a gateway client sends when it starts a kernel.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from protocol.remote.errors import NotFoundError, RemoteError
from protocol.remote.framing import V1_SUBPROTOCOL
from protocol.remote.models import KernelModel
from protocol.remote.reconnect import ReconnectPolicy
from protocol.remote.rest import AsyncServerClient
from protocol.remote.urls import ServerURL
from protocol.remote.websocket import WebSocketKernelClient

__all__ = ["RemoteKernel", "kernel_env"]


async def _unknown_name(rest: AsyncServerClient, name: str | None,
                        exc: RemoteError) -> RemoteError:
    """A failed start explained: a server answers 500 for a kernel name it does not have."""
    if not name or exc.status is None or exc.status < 400 or exc.status in (401, 403):
        return exc
    try:
        _default, specs = await rest.kernelspecs()
    except RemoteError:
        return exc
    if name in specs:
        return exc
    have = ", ".join(sorted(specs)) or "none"
    return NotFoundError(f"The server has no kernel named {name!r} (it has: {have}).",
                         exc.url, exc.status)


def kernel_env(environ: Mapping[str, str] | None = None, *, allowed: tuple[str, ...] = (),
               cwd: str | None = None) -> dict[str, str]:
    """The ``env`` of a kernel start request, as jupyter_server's gateway client builds it.

    Every ``KERNEL_*`` variable of ``environ`` (the process environment by default: Enterprise
    Gateway reads ``KERNEL_USERNAME``, ``KERNEL_NAMESPACE``, ``KERNEL_LAUNCH_TIMEOUT``...), plus
    the names in ``allowed``; ``KERNEL_WORKING_DIR`` from ``cwd`` unless already set.
    """
    source = os.environ if environ is None else environ
    env = {k: v for k, v in source.items() if k.startswith("KERNEL_") or k in allowed}
    if cwd is not None and "KERNEL_WORKING_DIR" not in env:
        env["KERNEL_WORKING_DIR"] = cwd
    return env


class RemoteKernel:
    """One server-side kernel and our WebSocket client to it."""

    def __init__(self, rest: AsyncServerClient, model: KernelModel,
                 client: WebSocketKernelClient, kernel_info: dict[str, Any] | None = None,
                 ) -> None:
        self.rest = rest
        self.model = model
        self.client = client
        self.kernel_info: dict[str, Any] = kernel_info or {}
        """The kernel's last ``kernel_info_reply`` content (language_info, banner...)."""

    @property
    def kernel_id(self) -> str:
        """The server's id of the kernel."""
        return self.model.id

    @classmethod
    async def start(cls, server: ServerURL, name: str | None = None, *, path: str | None = None,
                    ready_timeout: float = 60, subprotocols: tuple[str, ...] = (V1_SUBPROTOCOL,),
                    env: Mapping[str, str] | None = None,
                    reconnect: ReconnectPolicy | None = None) -> RemoteKernel:
        """Start a kernel of spec ``name`` (the server's default when None) and connect.

        ``env`` goes in the start request (a gateway passes ``KERNEL_*`` on, see
        :func:`kernel_env`); ``reconnect`` is the socket's :class:`ReconnectPolicy`.
        """
        rest = AsyncServerClient(server)
        try:
            model = await rest.start_kernel(name, path, dict(env) if env else None)
        except RemoteError as exc:
            raise await _unknown_name(rest, name, exc) from None
        try:
            return await cls._open(rest, model, ready_timeout, subprotocols, reconnect)
        except BaseException:
            await rest.shutdown_kernel(model.id)
            raise

    @classmethod
    async def attach(cls, server: ServerURL, kernel_id: str, *, ready_timeout: float = 60,
                     subprotocols: tuple[str, ...] = (V1_SUBPROTOCOL,),
                     reconnect: ReconnectPolicy | None = None) -> RemoteKernel:
        """Connect to the running kernel ``kernel_id`` (shared with whoever else uses it)."""
        rest = AsyncServerClient(server)
        return await cls._open(rest, await rest.kernel(kernel_id), ready_timeout, subprotocols,
                               reconnect)

    @classmethod
    async def _open(cls, rest: AsyncServerClient, model: KernelModel, ready_timeout: float,
                    subprotocols: tuple[str, ...],
                    reconnect: ReconnectPolicy | None) -> RemoteKernel:
        client = await WebSocketKernelClient.connect(rest.server, model.id,
                                                     subprotocols=subprotocols,
                                                     reconnect=reconnect)
        try:
            info = await client.wait_for_ready(ready_timeout)
        except BaseException:
            await client.close()
            raise
        return cls(rest, model, client, info)

    async def interrupt(self) -> None:
        """Interrupt the running cell (the server uses the kernelspec's interrupt mode)."""
        await self.rest.interrupt_kernel(self.kernel_id)

    async def restart(self, ready_timeout: float = 60) -> None:
        """Restart the kernel (REST), fail what was pending and wait until it answers again.

        The server answers once the new process replied to kernel_info; the WebSocket is
        reopened so that its server-side streams point at the new process.
        """
        self.model = await self.rest.restart_kernel(self.kernel_id)
        old = self.client
        self.client = await WebSocketKernelClient.connect(
            self.rest.server, self.kernel_id, session_id=old.session.session_id,
            subprotocols=(V1_SUBPROTOCOL,) if old.framing.v1 else (),
            reconnect=old.reconnect)
        await old.close()
        self.kernel_info = await self.client.wait_for_ready(ready_timeout)

    async def shutdown(self) -> None:
        """Close the WebSocket and stop the kernel (``DELETE /api/kernels/ID``)."""
        await self.client.close()
        await self.rest.shutdown_kernel(self.kernel_id)

    async def close(self) -> None:
        """Close the WebSocket and leave the kernel running (for other clients)."""
        await self.client.close()
