"""Kernels on a Jupyter Server (or a kernel gateway) behind :class:`KernelSession`'s manager seam.

:class:`KernelSession` gets its kernel from a *starter* (``KernelManager.start`` by default).
:class:`ServerKernels` is a starter whose managers, :class:`RemoteKernelManager`, have the same
face (``spec``, ``kernel_info``, ``client``, ``interrupt``, ``restart``, ``shutdown``) over a
:class:`~protocol.remote.kernel.RemoteKernel`:

* with a notebook ``path`` (``jtui URL``, ``jtui --server URL PATH``) the kernel comes from the
  sessions API, as JupyterLab gets it: an existing session for that path is reused, so the same
  notebook open in JupyterLab shares the kernel; otherwise ``POST /api/sessions`` makes one;
* without one (``--gateway URL``: files local, kernels remote) ``POST /api/kernels`` starts a
  kernel, with the ``KERNEL_*`` environment variables passed on (Enterprise Gateway reads
  ``KERNEL_USERNAME`` and friends).

Shutting the kernel down (the palette's "Shut down kernel", changing kernels) deletes the session
as JupyterLab's "Shut Down Kernel" does. Quitting the editor (:meth:`RemoteKernelManager.leave`)
closes our WebSocket and deletes the session (or the gateway kernel) only when we created it and
nobody else is connected to the kernel; a session that was there before, or that a browser
joined, keeps running. (JupyterLab, closing a tab, keeps every session; a terminal client that
did so would leave a kernel behind on every quit.)
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from protocol.remote.errors import RemoteError
from protocol.remote.kernel import RemoteKernel
from protocol.remote.rest import AsyncServerClient
from protocol.remote.urls import ServerURL
from protocol.remote.websocket import WebSocketKernelClient
from tui.session.kernels import KernelChoice


@dataclass(frozen=True)
class RemoteSpec:
    """The server's kernelspec of a running kernel (what the session records in metadata)."""

    name: str
    display_name: str
    language: str


def gateway_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``KERNEL_*`` variables a gateway kernel gets (``KERNEL_USERNAME`` defaults to the
    local user name, as jupyter_server's gateway client sends it)."""
    env = os.environ if environ is None else environ
    found = {k: v for k, v in env.items() if k.startswith("KERNEL_")}
    if "KERNEL_USERNAME" not in found:
        with contextlib.suppress(Exception):
            found["KERNEL_USERNAME"] = getpass.getuser()
    return found


class RemoteKernelManager:
    """A server-side kernel with the interface :class:`KernelSession` drives."""

    def __init__(self, kernel: RemoteKernel, spec: RemoteSpec, kernel_info: dict[str, Any], *,
                 session_id: str | None, created: bool) -> None:
        self.kernel = kernel
        self.spec = spec
        self.kernel_info = kernel_info
        self.session_id = session_id
        """The server session the kernel belongs to (None for a gateway kernel)."""
        self.created = created
        """True when this client created the session (or started the gateway kernel)."""

    @property
    def client(self) -> WebSocketKernelClient:
        """The WebSocket client (a new one after each restart)."""
        return self.kernel.client

    @property
    def kernel_id(self) -> str:
        """The server's id of the kernel."""
        return self.kernel.kernel_id

    def is_alive(self) -> bool:
        """Whether the WebSocket is still up (the server owns the process)."""
        return not self.kernel.client.is_dead

    async def interrupt(self) -> None:
        """``POST /api/kernels/ID/interrupt``."""
        await self.kernel.interrupt()

    async def restart(self, ready_timeout: float = 60) -> None:
        """``POST /api/kernels/ID/restart``, a fresh WebSocket, then kernel_info again."""
        await self.kernel.restart(ready_timeout=ready_timeout)
        with contextlib.suppress(Exception):
            self.kernel_info = await self.kernel.client.kernel_info()

    async def shutdown(self, timeout: float = 5) -> None:
        """Stop the kernel: delete its session (as JupyterLab does), or the gateway kernel."""
        await self.kernel.client.close()
        if self.session_id is not None:
            try:
                await self.kernel.rest.delete_session(self.session_id)
                return
            except RemoteError:
                pass
        await self.kernel.rest.shutdown_kernel(self.kernel_id)

    async def leave(self) -> None:
        """The editor quits: close our WebSocket; stop the kernel only if we made it and
        nobody else is connected (see the module docstring)."""
        alone = False
        if self.created:
            with contextlib.suppress(RemoteError):
                alone = (await self.kernel.rest.kernel(self.kernel_id)).connections <= 1
        if alone:
            await self.shutdown()
        else:
            await self.kernel.close()


class ServerKernels:
    """A :class:`KernelSession` starter for kernels on ``server``.

    ``path``: the notebook's contents path (kernels through the sessions API); None for a
    gateway (kernels through ``/api/kernels``, files local).
    """

    def __init__(self, server: ServerURL, path: str | None, *,
                 env: Mapping[str, str] | None = None) -> None:
        self.server = server
        self.path = path
        self.env = dict(env) if env is not None else (gateway_env() if path is None else {})

    async def __call__(self, name: str | None, *, cwd: str | None = None,
                       extra_env: dict[str, str] | None = None,
                       ready_timeout: float = 60) -> RemoteKernelManager:
        """Start (or join) the kernel; raises RemoteError or the client's start errors."""
        rest = AsyncServerClient(self.server)
        session_id: str | None = None
        if self.path is not None:
            found = [s for s in await rest.sessions()
                     if s.path == self.path and s.kernel is not None and s.kernel.id]
            created = not found
            session = found[0] if found else await rest.create_session(
                self.path, kernel_name=name)
            if session.kernel is None:
                raise RemoteError(f"the server made a session for {self.path} without a kernel",
                                  self.server.shown())
            session_id, kernel_id = session.id, session.kernel.id
        else:
            env = {**self.env, **(extra_env or {})}
            kernel_id, created = (await rest.start_kernel(name, env=env or None)).id, True
        try:
            kernel = await RemoteKernel.attach(self.server, kernel_id,
                                               ready_timeout=ready_timeout)
            info = await kernel.client.kernel_info()
        except BaseException:
            if created:
                with contextlib.suppress(Exception):
                    if session_id is not None:
                        await rest.delete_session(session_id)
                    else:
                        await rest.shutdown_kernel(kernel_id)
            raise
        return RemoteKernelManager(kernel, await self._spec(rest, kernel.model.name or name),
                                   info, session_id=session_id, created=created)

    async def choices(self) -> list[KernelChoice]:
        """The server's kernelspecs as kernel picker rows (``GET /api/kernelspecs``)."""
        _default, specs = await AsyncServerClient(self.server).kernelspecs()
        where = f"on {self.server.shown()}"
        rows = [KernelChoice(s.name, s.display_name, s.language, where) for s in specs.values()]
        rows.sort(key=lambda r: (r.display_name.lower(), r.name))
        return rows

    async def _spec(self, rest: AsyncServerClient, name: str | None) -> RemoteSpec:
        name = name or ""
        with contextlib.suppress(RemoteError):
            _default, specs = await rest.kernelspecs()
            spec = specs.get(name)
            if spec is not None:
                return RemoteSpec(spec.name, spec.display_name, spec.language)
        return RemoteSpec(name, name, "")
