"""A real SSH server on loopback for the tunnel tests: asyncssh's server, in a thread.

The machine has the OpenSSH client but no sshd; asyncssh implements the server side of the
protocol (key exchange, public-key authentication, ``direct-tcpip`` forwarding), so the system
``ssh`` client talks to it exactly as to a remote host. The server accepts one generated client
key; :attr:`SshServer.options` are the ``-o`` options that make ``ssh`` trust its host key
without touching the user's ``~/.ssh``.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh


class _ForwardingServer(asyncssh.SSHServer):
    """Public-key logins (keys given to create_server) and local port forwarding."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str,
                             orig_port: int) -> bool:
        self.counts["forwards"] = self.counts.get("forwards", 0) + 1
        return True


@dataclass
class SshServer:
    """A running server: its port, the client key that logs in and the ssh options to use."""

    port: int
    keyfile: Path
    known_hosts: Path
    counts: dict[str, int]

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def options(self) -> list[str]:
        return [f"UserKnownHostsFile={self.known_hosts}", "StrictHostKeyChecking=yes",
                "GlobalKnownHostsFile=/dev/null", "IdentitiesOnly=yes",
                "PasswordAuthentication=no", "ConnectTimeout=20"]


@contextmanager
def ssh_server(folder: Path) -> Iterator[SshServer]:
    """Run an SSH server on 127.0.0.1 (a free port) until the block ends."""
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    keyfile = folder / "id_ed25519"
    client_key.write_private_key(str(keyfile))
    os.chmod(keyfile, 0o600)
    authorized = asyncssh.import_authorized_keys(
        client_key.export_public_key().decode())
    counts: dict[str, int] = {}
    loop = asyncio.new_event_loop()
    started: dict[str, Any] = {}
    ready = threading.Event()

    async def start() -> None:
        server = await asyncssh.create_server(
            lambda: _ForwardingServer(counts), "127.0.0.1", 0,
            server_host_keys=[host_key], authorized_client_keys=authorized)
        started["server"] = server
        started["port"] = server.sockets[0].getsockname()[1]

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:  # reported to the waiting test
            started["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="test-sshd", daemon=True)
    thread.start()
    assert ready.wait(30), "the SSH server did not start"
    if "error" in started:
        raise started["error"]
    port = started["port"]
    known_hosts = folder / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} "
                           f"{host_key.export_public_key().decode().strip()}\n")
    try:
        yield SshServer(port=port, keyfile=keyfile, known_hosts=known_hosts, counts=counts)
    finally:
        def stop() -> None:
            started["server"].close()
            loop.stop()

        loop.call_soon_threadsafe(stop)
        thread.join(10)
