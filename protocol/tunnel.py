"""SSH tunnels to a kernel's five ports (``jtui console --existing FILE --ssh HOST``).

jupyter_client opens one ``ssh -f ... sleep 60`` per port; we start a single ``ssh -N`` with all
five ``-L`` forwards (the equivalent its documentation suggests), bound to loopback on fresh local
ports, and stop it when the client is done. Authentication is the user's own ssh setup (agent,
keys, ``~/.ssh/config``); ``BatchMode`` makes a password or host-key prompt an error instead of
a hang. The tunnel is up when every local port accepts a connection; :func:`attach_via_ssh` then
checks the channels that matter (a heartbeat echo, a kernel_info answered on shell with a status
on IOPub) and says which one failed, in words.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import socket
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from protocol.client import KernelClient
from protocol.connection import (
    CHANNELS,
    ConnectionInfo,
    find_connection_file,
    read_connection_file,
)
from protocol.errors import KernelDeadError, ProtocolError, RequestTimeout

__all__ = ["SshTarget", "SshTunnel", "TunnelError", "attach_via_ssh", "ssh_command"]

_TARGET = re.compile(r"^(?:(?P<user>[^@\s]+)@)?(?P<host>\[[^\]]+\]|[^:@\s]+)(?::(?P<port>\d+))?$")


class TunnelError(ProtocolError):
    """The SSH tunnel could not be set up, or a channel through it does not answer."""


@dataclass(frozen=True)
class SshTarget:
    """Where to ssh to: ``[USER@]HOST[:PORT]``."""

    host: str
    user: str | None = None
    port: int | None = None

    @classmethod
    def parse(cls, spec: str) -> SshTarget:
        """Parse ``[USER@]HOST[:PORT]`` (an IPv6 host in brackets); ValueError when malformed."""
        match = _TARGET.match(spec.strip())
        if not match or (match["port"] is not None and not 0 < int(match["port"]) < 65536):
            raise ValueError(f"not an ssh destination ([USER@]HOST[:PORT]): {spec!r}")
        port = match["port"]
        return cls(host=match["host"].strip("[]"), user=match["user"],
                   port=int(port) if port else None)

    @property
    def destination(self) -> str:
        """What ssh takes as its destination argument."""
        return f"{self.user}@{self.host}" if self.user else self.host


def ssh_command(target: SshTarget, forwards: Sequence[tuple[int, str, int]], *,
                keyfile: str | None = None, options: Sequence[str] = (),
                ssh: str = "ssh") -> list[str]:
    """The ``ssh -N`` command line forwarding each ``(local_port, remote_host, remote_port)``
    from 127.0.0.1 on this machine. ``options`` are ``-o`` options (``Key=value``)."""
    argv = [ssh, "-N", "-T", "-S", "none",
            "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes",
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3"]
    for option in options:
        argv += ["-o", option]
    if target.port is not None:
        argv += ["-p", str(target.port)]
    if keyfile:
        argv += ["-i", keyfile]
    for local, host, remote in forwards:
        remote_host = f"[{host}]" if ":" in host else host
        argv += ["-L", f"127.0.0.1:{local}:{remote_host}:{remote}"]
    argv.append(target.destination)
    return argv


def free_local_ports(count: int) -> list[int]:
    """``count`` distinct free tcp ports on 127.0.0.1 (bound together, then released)."""
    held: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            held.append(sock)
        return [int(s.getsockname()[1]) for s in held]
    finally:
        for sock in held:
            sock.close()


async def _accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


class SshTunnel:
    """A running ``ssh -N`` process holding some forwards; :meth:`close` stops it."""

    def __init__(self, process: asyncio.subprocess.Process, target: SshTarget,
                 local_ports: list[int]) -> None:
        self.process = process
        self.target = target
        self.local_ports = local_ports

    @classmethod
    async def open(cls, target: SshTarget, forwards: Sequence[tuple[int, str, int]], *,
                   keyfile: str | None = None, options: Sequence[str] = (),
                   timeout: float = 30.0) -> SshTunnel:
        """Start ssh and wait until every forward's local port accepts connections.

        Raises TunnelError with ssh's own words when it exits (bad host, refused key,
        unknown host key, a forward it could not set up) or ``timeout`` passes."""
        ssh = shutil.which("ssh")
        if ssh is None:
            raise TunnelError("--ssh needs the OpenSSH client (ssh) on PATH")
        argv = ssh_command(target, forwards, keyfile=keyfile, options=options, ssh=ssh)
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, start_new_session=True)
        tunnel = cls(process, target, [f[0] for f in forwards])
        try:
            await tunnel._wait_up(timeout)
        except BaseException:
            await tunnel.close()
            raise
        return tunnel

    async def _wait_up(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        waiting = list(self.local_ports)
        exited = asyncio.ensure_future(self.process.wait())
        try:
            while waiting:
                if exited.done():
                    raise TunnelError(f"ssh to {self.target.destination} failed: "
                                      f"{await self._stderr_tail()}")
                if loop.time() > deadline:
                    raise TunnelError(f"ssh to {self.target.destination}: the tunnel was not "
                                      f"up within {timeout:g} s")
                if await _accepts(waiting[0]):
                    waiting.pop(0)
                    continue
                # ssh binds its listeners once it has logged in: wait for that, or its exit
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(exited), 0.05)
        finally:
            if not exited.done():
                exited.cancel()

    async def _stderr_tail(self) -> str:
        assert self.process.stderr is not None
        try:
            data = await asyncio.wait_for(self.process.stderr.read(), 5)
        except asyncio.TimeoutError:
            data = b""
        lines = [ln.strip() for ln in data.decode("utf-8", "replace").splitlines() if ln.strip()]
        return "; ".join(lines[-3:]) or f"ssh exited with status {self.process.returncode}"

    @property
    def alive(self) -> bool:
        """True while the ssh process runs."""
        return self.process.returncode is None

    async def close(self) -> None:
        """Stop ssh (SIGTERM, then SIGKILL after 5 s) and reap it."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except asyncio.TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()


def _remote_ip(info: ConnectionInfo) -> str:
    """The kernel's address as the ssh server sees it (all interfaces: its loopback)."""
    return "127.0.0.1" if info.ip in ("", "0.0.0.0", "*") else info.ip


async def tunnel_connection(info: ConnectionInfo, target: SshTarget, *,
                            keyfile: str | None = None, options: Sequence[str] = (),
                            timeout: float = 30.0) -> tuple[ConnectionInfo, SshTunnel]:
    """Forward the kernel's five ports through ``target``; return the connection info to use
    locally (loopback, the local ports, the same key) and the tunnel."""
    if info.transport != "tcp":
        raise TunnelError(f"--ssh needs a tcp kernel; this one uses {info.transport}")
    local = free_local_ports(len(CHANNELS))
    remote_ip = _remote_ip(info)
    forwards = [(port, remote_ip, info.port(ch)) for port, ch in zip(local, CHANNELS)]
    tunnel = await SshTunnel.open(target, forwards, keyfile=keyfile, options=options,
                                  timeout=timeout)
    shell, iopub, stdin, control, hb = local  # CHANNELS' order
    return replace(info, ip="127.0.0.1", shell_port=shell, iopub_port=iopub, stdin_port=stdin,
                   control_port=control, hb_port=hb), tunnel


async def attach_via_ssh(existing: str | None, target: SshTarget, *,
                         keyfile: str | None = None, options: Sequence[str] = (),
                         session_id: str | None = None, ready_timeout: float = 15,
                         tunnel_timeout: float = 30.0,
                         ) -> tuple[KernelClient, ConnectionInfo, SshTunnel]:
    """Attach to the kernel of connection file ``existing`` (found as ``--existing`` finds it)
    through an SSH tunnel to ``target``; check the heartbeat, shell and IOPub through it.

    Returns the ready client, the local connection info and the tunnel (close it after the
    client). Raises TunnelError naming the channel that does not answer."""
    path: Path = find_connection_file(existing)
    info = read_connection_file(path)
    local, tunnel = await tunnel_connection(info, target, keyfile=keyfile, options=options,
                                            timeout=tunnel_timeout)
    client: KernelClient | None = None
    try:
        client = await KernelClient.connect(local, session_id=session_id, heartbeat=False)
        where = f"through ssh to {target.destination}"
        try:
            await client.wait_for_heartbeat(ready_timeout)
        except RequestTimeout:
            raise TunnelError(f"the kernel's heartbeat channel (port {info.hb_port}) does not "
                              f"echo {where}: is the kernel running, at {info.ip} as seen "
                              f"from {target.host}?") from None
        try:
            await client.wait_for_ready(ready_timeout)
        except (RequestTimeout, KernelDeadError) as exc:
            raise TunnelError(f"{exc} ({where})") from None
        client.start_heartbeat()
        return client, local, tunnel
    except BaseException:
        if client is not None:
            await client.close()
        await tunnel.close()
        raise
