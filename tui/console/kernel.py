"""The kernel the console talks to: one it started, or one it attached to.

The console never cares which: interrupt, restart and shutdown work on both.

- **interrupt**: a kernel we started is interrupted the way its kernelspec asks (SIGINT to the
  process group, or ``interrupt_request`` when ``interrupt_mode`` is ``message``); a kernel we
  attached to gets ``interrupt_request`` on the control channel, since no signal can reach it.
- **restart**: a kernel we started is restarted by our manager (same ports, the client keeps
  working); an attached kernel is asked to restart with ``shutdown_request(restart=True)`` and
  we wait for it to come back (Jupyter Server and other owners restart it).
- **shutdown**: ``shutdown_request`` on control, then (for ours) SIGTERM/SIGKILL and reaping.

A kernel on a Jupyter Server (``--server``/``--gateway``) is a :class:`RemoteKernel`: interrupt,
restart and shutdown go through the server's REST API (as JupyterLab does), whether we started
it or attached to it with ``--existing KERNEL_ID``; only one we started is shut down on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from protocol.errors import ProtocolError

if TYPE_CHECKING:
    from protocol.client import KernelClient
    from protocol.manager import KernelManager
    from protocol.remote.kernel import RemoteKernel
    from protocol.remote.urls import ServerURL


@dataclass
class ConsoleKernel:
    """A connected, ready kernel with its ``kernel_info`` reply."""

    client: KernelClient
    kernel_info: dict[str, Any]
    manager: KernelManager | None = None
    connection_file: str | None = None
    interrupt_mode: str = "signal"
    extra: dict[str, Any] = field(default_factory=dict)
    remote: RemoteKernel | None = None
    """The server-side kernel, for ``--server``/``--gateway``."""
    remote_owned: bool = False
    """True for a server-side kernel we started (not one attached with ``--existing``)."""

    @property
    def owned(self) -> bool:
        """True for a kernel we started (and shut down on exit)."""
        return self.manager is not None or self.remote_owned

    @property
    def language_info(self) -> dict[str, Any]:
        """``kernel_info.language_info`` (``{}`` when the kernel sent none)."""
        info = self.kernel_info.get("language_info")
        return info if isinstance(info, dict) else {}

    @property
    def language(self) -> str:
        """The kernel's language name, lower case (``python``, ``bash``...)."""
        return str(self.language_info.get("name") or "unknown").lower()

    @property
    def implementation(self) -> str:
        """``kernel_info.implementation`` (``ipython`` for ipykernel)."""
        return str(self.kernel_info.get("implementation") or "")

    @property
    def session_id(self) -> str:
        """Our session id (``parent_header.session`` of replies to our requests)."""
        return str(self.client.session.session_id)

    async def interrupt(self) -> None:
        """Interrupt the running cell (signal or control message, see the module docstring)."""
        if self.remote is not None:
            await self.remote.interrupt()
        elif self.manager is not None:
            await self.manager.interrupt()
        else:
            await self.client.interrupt_request(timeout=3)

    async def restart(self, timeout: float = 30) -> None:
        """Restart the kernel; raises ``ProtocolError`` if it does not come back.

        A remote kernel gets a new WebSocket client: ``client`` changes."""
        if self.remote is not None:
            await self.remote.restart(ready_timeout=timeout)
            self.client = self.remote.client  # type: ignore[assignment]
            self.kernel_info = self.remote.kernel_info or self.kernel_info
            return
        if self.manager is not None:
            await self.manager.restart(ready_timeout=timeout)
            self.kernel_info = self.manager.kernel_info or self.kernel_info
            return
        with contextlib.suppress(ProtocolError):
            await self.client.shutdown_request(restart=True, timeout=5)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise ProtocolError(
                    "the attached kernel did not come back after the restart request "
                    "(its owner must restart it; start one with `jtui console --kernel NAME`)"
                )
            try:
                if self.client.is_dead:
                    self.client.revive()
                self.kernel_info = await self.client.kernel_info(timeout=min(2.0, remaining))
                return
            except ProtocolError:
                continue

    async def shutdown(self) -> None:
        """Shut the kernel down over the control channel (and reap it when it is ours)."""
        if self.remote is not None:
            await self.remote.shutdown()
        elif self.manager is not None:
            await self.manager.shutdown()
        else:
            with contextlib.suppress(ProtocolError):
                await self.client.shutdown_request(restart=False, timeout=3)

    async def close(self) -> None:
        """Close our sockets (the kernel keeps running unless shut down first), then the SSH
        tunnel when there is one."""
        with contextlib.suppress(Exception):
            await self.client.close()
        if self.remote is not None:
            with contextlib.suppress(Exception):
                await self.remote.close()
        tunnel = self.extra.get("tunnel")
        if tunnel is not None:
            await tunnel.close()


async def start_kernel(name: str | None) -> ConsoleKernel:
    """Start kernel ``name`` (the default kernelspec when None) and wait until it is ready."""
    from protocol.manager import KernelManager

    # ipykernel's debugpy prints a "frozen modules" warning on stderr at every start (with no
    # parent, so it would land above the first prompt); it is noise for a console user.
    quiet = {} if "PYDEVD_DISABLE_FILE_VALIDATION" in os.environ else {
        "PYDEVD_DISABLE_FILE_VALIDATION": "1"
    }
    manager = await KernelManager.start(name, extra_env=quiet)
    return ConsoleKernel(
        client=manager.client,
        kernel_info=manager.kernel_info,
        manager=manager,
        connection_file=str(manager.connection_file),
        interrupt_mode=manager.spec.interrupt_mode,
    )


async def attach_kernel(existing: str | None, *, ssh: str | None = None,
                        sshkey: str | None = None,
                        ssh_options: Sequence[str] = ()) -> ConsoleKernel:
    """Attach to a running kernel (``--existing`` semantics) and fetch its kernel_info;
    through an SSH tunnel to ``ssh`` (``[USER@]HOST[:PORT]``) when given."""
    extra: dict[str, Any] = {}
    if ssh is not None:
        from protocol.tunnel import SshTarget, attach_via_ssh

        client, info, tunnel = await attach_via_ssh(
            existing or None, SshTarget.parse(ssh), keyfile=sshkey, options=ssh_options)
        extra["tunnel"] = tunnel
    else:
        from protocol.attach import attach

        client, info = await attach(existing or None)
    try:
        kernel_info = await client.kernel_info(timeout=10)
    except BaseException:
        await client.close()
        if "tunnel" in extra:
            await extra["tunnel"].close()
        raise
    return ConsoleKernel(
        client=client, kernel_info=kernel_info, manager=None, interrupt_mode="message",
        extra={"connection": info, **extra},
    )


async def remote_kernel(server: ServerURL, name: str | None, existing: str | None, *,
                        gateway: bool = False) -> ConsoleKernel:
    """Start kernel ``name`` on a Jupyter Server (the server's default when None), or attach to
    its running kernel ``existing`` (an id); ``gateway``: pass ``KERNEL_*`` variables on."""
    from protocol.remote.kernel import RemoteKernel, kernel_env

    if existing:
        kernel = await RemoteKernel.attach(server, existing)
    else:
        env = kernel_env() if gateway else None
        kernel = await RemoteKernel.start(server, name, env=env)
    return ConsoleKernel(
        client=kernel.client,  # type: ignore[arg-type]
        kernel_info=kernel.kernel_info, interrupt_mode="rest", remote=kernel,
        remote_owned=not existing, extra={"server": server},
    )
