"""``--ssh``: a kernel's five ports through one ``ssh -N`` to a real SSH server (asyncssh's, on
loopback), the system OpenSSH client, a real ipykernel; failures said in words."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from protocol.connection import new_connection_info, write_connection_file
from protocol.events import ExecuteResult
from protocol.manager import KernelManager
from protocol.tunnel import SshTarget, TunnelError, attach_via_ssh, ssh_command
from tests.protocol.conftest import run
from tests.support.sshd import SshServer, ssh_server


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    with ssh_server(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def kernel() -> AsyncIterator[KernelManager]:
    km = await KernelManager.start("python3", ready_timeout=60)
    try:
        yield km
    finally:
        await km.shutdown()


@pytest.mark.parametrize(("spec", "expected"), [
    ("host", SshTarget("host")),
    ("me@host", SshTarget("host", user="me")),
    ("me@host:2222", SshTarget("host", user="me", port=2222)),
    ("[::1]:22", SshTarget("::1", port=22)),
    ("gpu-box.example.org", SshTarget("gpu-box.example.org")),
])
def test_ssh_destinations_parse(spec: str, expected: SshTarget) -> None:
    assert SshTarget.parse(spec) == expected


@pytest.mark.parametrize("spec", ["", "me@", "host:0", "host:99999", "a b", "host:x"])
def test_malformed_destinations_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="ssh destination"):
        SshTarget.parse(spec)


def test_one_ssh_forwards_every_port_from_loopback_only() -> None:
    argv = ssh_command(SshTarget("h", user="u", port=2200), [(5001, "127.0.0.1", 6001),
                                                            (5002, "::1", 6002)],
                       keyfile="/k", options=["A=b"])
    assert argv[:2] == ["ssh", "-N"]
    assert "BatchMode=yes" in argv and "ExitOnForwardFailure=yes" in argv
    assert argv[argv.index("-p") + 1] == "2200" and argv[argv.index("-i") + 1] == "/k"
    forwards = [argv[i + 1] for i, a in enumerate(argv) if a == "-L"]
    assert forwards == ["127.0.0.1:5001:127.0.0.1:6001", "127.0.0.1:5002:[::1]:6002"]
    assert argv[-1] == "u@h" and argv[argv.index("A=b") - 1] == "-o"


@pytest.mark.kernel
@pytest.mark.asyncio(loop_scope="module")
async def test_a_kernel_runs_code_through_the_tunnel(sshd: SshServer,
                                                     kernel: KernelManager) -> None:
    before = sshd.counts.get("forwards", 0)
    client, local, tunnel = await attach_via_ssh(
        str(kernel.connection_file), SshTarget.parse(sshd.target),
        keyfile=str(sshd.keyfile), options=sshd.options)
    try:
        assert local.ip == "127.0.0.1" and local.key == kernel.info.key
        assert local.shell_port != kernel.info.shell_port  # the tunnel's ports, not the kernel's
        events = await run(client, "6 * 7", timeout=30)
        assert [e.data["text/plain"] for e in events if isinstance(e, ExecuteResult)] == ["42"]
        assert sshd.counts["forwards"] > before  # the traffic went through the SSH server
    finally:
        await client.close()
        await tunnel.close()
    assert not tunnel.alive


@pytest.mark.asyncio(loop_scope="module")
async def test_a_key_the_server_refuses_is_said_in_ssh_s_words(sshd: SshServer,
                                                               tmp_path: Path) -> None:
    import asyncssh

    other = tmp_path / "other_key"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(str(other))
    other.chmod(0o600)
    path = write_connection_file(new_connection_info(), tmp_path / "kernel-x.json")
    with pytest.raises(TunnelError, match="Permission denied") as caught:
        await attach_via_ssh(str(path), SshTarget.parse(sshd.target), keyfile=str(other),
                             options=sshd.options)
    assert sshd.target.split(":")[0] in str(caught.value)


@pytest.mark.asyncio(loop_scope="module")
async def test_an_unknown_host_key_is_an_error_not_a_prompt(sshd: SshServer,
                                                            tmp_path: Path) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    options = [o for o in sshd.options if not o.startswith("UserKnownHostsFile")]
    path = write_connection_file(new_connection_info(), tmp_path / "kernel-y.json")
    with pytest.raises(TunnelError, match=r"[Hh]ost key verification failed"):
        await attach_via_ssh(str(path), SshTarget.parse(sshd.target), keyfile=str(sshd.keyfile),
                             options=[f"UserKnownHostsFile={empty}", *options])


@pytest.mark.asyncio(loop_scope="module")
async def test_no_kernel_behind_the_tunnel_names_the_heartbeat(sshd: SshServer,
                                                               tmp_path: Path) -> None:
    path = write_connection_file(new_connection_info(), tmp_path / "kernel-gone.json")
    with pytest.raises(TunnelError, match="heartbeat channel"):
        await attach_via_ssh(str(path), SshTarget.parse(sshd.target), keyfile=str(sshd.keyfile),
                             options=sshd.options, ready_timeout=2)


@pytest.mark.kernel
def test_jtui_console_existing_with_ssh(sshd: SshServer, tmp_path: Path) -> None:
    """The real CLI, piped: ``jtui console --existing FILE --ssh HOST`` runs code there."""
    import subprocess
    import sys

    async def start() -> tuple[KernelManager, dict[str, object]]:
        km = await KernelManager.start("python3", ready_timeout=60)
        return km, json.loads(Path(km.connection_file).read_text())

    loop = asyncio.new_event_loop()
    km, _ = loop.run_until_complete(start())
    try:
        argv = [sys.executable, "-m", "tui", "console", "--existing", str(km.connection_file),
                "--ssh", sshd.target, "--sshkey", str(sshd.keyfile)]
        for option in sshd.options:
            argv += ["--ssh-option", option]
        done = subprocess.run(argv, input="print(6 * 7)\n", capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "42"
    finally:
        loop.run_until_complete(km.shutdown())
        loop.close()


def test_ssh_without_existing_is_a_clear_error() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "tui", "console", "--ssh", "somehost"],
                          input="", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--ssh needs --existing" in done.stderr and "Traceback" not in done.stderr
