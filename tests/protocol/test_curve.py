"""CurveZMQ transport encryption: on by default where the kernelspec supports it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import replace
from typing import TypeVar

import pytest

from protocol.client import KernelClient
from protocol.curve import should_encrypt
from protocol.errors import EncryptionUnavailable, RequestTimeout
from protocol.kernelspec import get_kernel_spec
from protocol.manager import KernelManager
from tests.protocol.conftest import run

T = TypeVar("T")

pytestmark = pytest.mark.kernel


async def _step(label: str, awaitable: Awaitable[T], timeout: float = 90) -> T:
    """Await one step of a test; a hang fails naming the step (a once-seen CI hang)."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError as exc:  # ours after ``timeout``, or the step's own
        pytest.fail(f"{label} timed out: {exc!r}")


async def test_required_encryption_on_ipykernel_is_enforced() -> None:
    km = await _step("start", KernelManager.start("python3", encryption="require"))
    try:
        data = json.loads(km.connection_file.read_text())
        assert len(data["curve_publickey"]) == 40 and len(data["curve_secretkey"]) == 40
        events = await _step("run", run(km.client, "print('secret stuff')"))
        assert any(getattr(e, "text", "") == "secret stuff\n" for e in events)
        # A client without the keys (same HMAC key) gets nowhere: the handshake fails.
        plain = replace(km.info, curve_publickey=None, curve_secretkey=None)
        client = await _step("connect", KernelClient.connect(plain, heartbeat=False))
        try:
            with pytest.raises(RequestTimeout):
                await client.kernel_info(timeout=1)
        finally:
            await _step("close", client.close())
    finally:
        await _step("shutdown", km.shutdown())


async def test_encryption_off() -> None:
    km = await KernelManager.start("python3", encryption="off")
    try:
        assert "curve_publickey" not in json.loads(km.connection_file.read_text())
        assert (await km.client.kernel_info())["status"] == "ok"
    finally:
        await km.shutdown()


def test_policy_per_kernelspec() -> None:
    python3, bash = get_kernel_spec("python3"), get_kernel_spec("bash")
    assert should_encrypt(python3, "auto") and should_encrypt(python3, "require")
    assert not should_encrypt(bash, "auto") and not should_encrypt(python3, "off")
    with pytest.raises(EncryptionUnavailable, match="kernel 'bash' does not support it"):
        should_encrypt(bash, "require")
    with pytest.raises(ValueError, match="encryption must be one of"):
        should_encrypt(bash, "maybe")


async def test_require_with_unsupported_kernel_fails_before_launch() -> None:
    with pytest.raises(EncryptionUnavailable, match="supported_encryption"):
        await KernelManager.start("xpython", encryption="require")
