"""Cross-checks with jupyter_client: our connection files start its clients and vice versa."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.connect import find_connection_file as jc_find_connection_file
from jupyter_client.manager import AsyncKernelManager

from protocol.attach import attach
from protocol.connection import (
    ConnectionInfo,
    find_connection_file,
    new_connection_info,
    read_connection_file,
    write_connection_file,
)
from protocol.events import ExecuteResult, Stream
from protocol.manager import KernelManager
from tests.protocol.conftest import run

pytestmark = pytest.mark.kernel


def _run_with_jupyter_client(connection_file: Path, code: str) -> tuple[str, dict[str, Any]]:
    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=20)
        out: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = client.execute_interactive(code, timeout=20, output_hook=hook)
        return "".join(out), reply["content"]
    finally:
        client.stop_channels()


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
async def test_jupyter_client_talks_to_our_kernel(transport: str) -> None:
    km = await KernelManager.start("python3", transport=transport)
    try:
        await run(km.client, "from_ours = 'set by jtui'")
        text, reply = await asyncio.to_thread(
            _run_with_jupyter_client, km.connection_file, "print(from_ours)"
        )
        assert reply["status"] == "ok" and text == "set by jtui\n"
    finally:
        await km.shutdown()


async def test_we_attach_to_a_kernel_jupyter_client_started(tmp_path: Path) -> None:
    path = str(tmp_path / "kernel-jc.json")
    jkm = AsyncKernelManager(kernel_name="python3", connection_file=path)
    await jkm.start_kernel()
    try:
        client, info = await attach(str(tmp_path / "kernel-jc.json"))
        try:
            assert info.key == jkm.session.key.decode()
            events = await run(client, "import os\nprint(os.getpid())\n2**10")
            (result,) = [e for e in events if isinstance(e, ExecuteResult)]
            assert result.data["text/plain"] == "1024"
            pid = int("".join(e.text for e in events if isinstance(e, Stream)))
            assert pid == jkm.provisioner.pid  # type: ignore[union-attr]
        finally:
            await client.close()
    finally:
        await jkm.shutdown_kernel(now=False)


def test_connection_file_format_matches_jupyter_client(tmp_path: Path) -> None:
    info = new_connection_info(kernel_name="python3")
    path = write_connection_file(info, tmp_path / "kernel-x.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert len(data["key"]) == 64 and data["signature_scheme"] == "hmac-sha256"
    assert data["ip"] == "127.0.0.1" and data["transport"] == "tcp"
    ports = [data[f"{c}_port"] for c in ("shell", "iopub", "stdin", "control", "hb")]
    assert len(set(ports)) == 5
    client = BlockingKernelClient(connection_file=str(path))
    client.load_connection_file()
    assert client.get_connection_info()["shell_port"] == info.shell_port
    assert client.session.key == info.key.encode()
    assert read_connection_file(path) == info


def test_ports_never_repeat_within_a_process() -> None:
    seen: set[int] = set()
    for _ in range(20):
        info = new_connection_info()
        ports = {info.port(c) for c in ("shell", "iopub", "stdin", "control", "hb")}
        assert len(ports) == 5 and not ports & seen
        seen |= ports


def test_find_connection_file_like_jupyter_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    info = new_connection_info()
    for name in ("kernel-aaa.json", "kernel-bbb.json"):
        write_connection_file(info, tmp_path / name)
    for query in ("kernel-aaa.json", "kernel-aaa", "aaa", str(tmp_path / "kernel-bbb.json")):
        ours = find_connection_file(query)
        assert ours == Path(jc_find_connection_file(query, path=[str(tmp_path)])).resolve()
    with pytest.raises(FileNotFoundError):
        find_connection_file("zzz")


def test_bad_connection_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "kernel-bad.json"
    bad.write_text('{"ip": "127.0.0.1"}')
    with pytest.raises(ValueError, match=r"kernel-bad\.json: connection info lacks 'shell_port'"):
        read_connection_file(bad)
    bad.write_text("not json")
    with pytest.raises(ValueError, match="not JSON"):
        read_connection_file(bad)
    assert ConnectionInfo.from_dict({**new_connection_info().to_dict(), "x": 1}).extra == {"x": 1}


def test_ipc_prefix_too_long_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="AF_UNIX"):
        new_connection_info(transport="ipc", ipc_prefix=str(tmp_path / ("x" * 120)))
