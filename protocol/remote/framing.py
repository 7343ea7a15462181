"""Kernel messages on a Jupyter Server WebSocket, sans-IO: bytes or text in, messages out.

Two framings exist (see the protocol reference, section 7.3):

* ``v1.kernel.websocket.jupyter.org`` (:data:`V1_SUBPROTOCOL`), binary frames::

      [n: u64][offset_0 .. offset_{n-1}: u64][channel][header][parent][metadata][content][buf...]

  integers little-endian, ``offset_0 = 8 * (n + 1)``, the last offset is the frame's length.
  The server forwards the kernel's JSON byte for byte and signs what we send: there is no
  signature on the wire.
* legacy: a JSON text frame ``{"channel", "header", "parent_header", "metadata", "content",
  "buffers": []}``; with buffers, a binary frame ``[count: u32 BE][count offsets: u32 BE]
  [json][buf...]`` where ``count = 1 + len(buffers)``.

:class:`Framing` picks one by the subprotocol the server agreed to. Decoding raises
:class:`~protocol.errors.WireError`; nothing here does I/O.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from protocol.errors import WireError
from protocol.jsonutil import pack, unpack
from protocol.messages import CHANNELS, Message

__all__ = [
    "V1_SUBPROTOCOL",
    "Framing",
    "decode_legacy",
    "decode_v1",
    "encode_legacy",
    "encode_v1",
]

#: The subprotocol a client offers; a server that echoes it speaks v1, else legacy.
V1_SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"


def _dicts(header: Any, parent: Any, metadata: Any, content: Any,
           buffers: tuple[bytes, ...]) -> Message:
    """A Message from decoded JSON parts, checked the way :mod:`protocol.wire` checks them."""
    if type(header) is not dict:
        raise WireError("not_an_object", "header")
    parts = []
    for name, value in (("parent_header", parent), ("metadata", metadata), ("content", content)):
        if value is None:
            value = {}
        elif type(value) is not dict:
            raise WireError("not_an_object", name)
        parts.append(value)
    if type(header.get("msg_type")) is not str or type(header.get("msg_id")) is not str:
        raise WireError("bad_header")
    return Message(header, parts[0], parts[1], parts[2], buffers)


def _unpack(data: bytes | memoryview) -> Any:
    try:
        return unpack(bytes(data))
    except (ValueError, RecursionError) as exc:
        raise WireError("bad_json", str(exc)[:200]) from None


# -- v1 ------------------------------------------------------------------------------------------


def encode_v1(channel: str, msg: Message) -> bytes:
    """The v1 binary frame for ``msg`` on ``channel``."""
    parts: list[bytes] = [
        channel.encode("utf-8"),
        pack(msg.header),
        pack(msg.parent_header or {}),
        pack(msg.metadata or {}),
        pack(msg.content or {}),
        *msg.buffers,
    ]
    n = len(parts) + 1
    offsets = [8 * (n + 1)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join([struct.pack(f"<{n + 1}Q", n, *offsets), *parts])


def decode_v1(data: bytes | bytearray | memoryview) -> tuple[str, Message]:
    """(channel, Message) from a v1 binary frame; WireError if it is malformed."""
    view = memoryview(data)
    size = len(view)
    if size < 8:
        raise WireError("bad_frame", f"v1 frame of {size} bytes")
    (n,) = struct.unpack_from("<Q", view, 0)
    if n < 6 or 8 * (n + 1) > size:
        raise WireError("too_few_frames" if n < 6 else "bad_frame", f"v1 offset count {n}")
    offsets = struct.unpack_from(f"<{n}Q", view, 8)
    if offsets[0] != 8 * (n + 1) or offsets[-1] != size or any(
        a > b for a, b in pairwise(offsets)
    ):
        raise WireError("bad_frame", "v1 offsets out of order or out of the frame")
    chunks = [view[a:b] for a, b in pairwise(offsets)]
    try:
        channel = bytes(chunks[0]).decode("utf-8")
    except UnicodeDecodeError:
        raise WireError("bad_frame", "channel is not UTF-8") from None
    header, parent, metadata, content = (_unpack(c) for c in chunks[1:5])
    msg = _dicts(header, parent, metadata, content, tuple(bytes(c) for c in chunks[5:]))
    return channel, msg


# -- legacy --------------------------------------------------------------------------------------


def encode_legacy(channel: str, msg: Message) -> str | bytes:
    """The legacy frame for ``msg``: JSON text, or the binary form when it has buffers."""
    body = {
        "header": msg.header,
        "parent_header": msg.parent_header or {},
        "metadata": msg.metadata or {},
        "content": msg.content or {},
        "buffers": [],
        "channel": channel,
    }
    if not msg.buffers:
        return pack(body).decode("utf-8")
    del body["buffers"]
    parts: Sequence[bytes] = [pack(body), *msg.buffers]
    count = len(parts)
    offsets = [4 * (count + 1)]
    for part in parts[:-1]:
        offsets.append(offsets[-1] + len(part))
    return b"".join([struct.pack(f">{count + 1}I", count, *offsets), *parts])


def decode_legacy(data: str | bytes | bytearray | memoryview) -> tuple[str, Message]:
    """(channel, Message) from a legacy text or binary frame; WireError if malformed.

    A message without ``channel`` is taken as shell, as the server does.
    """
    buffers: tuple[bytes, ...] = ()
    if isinstance(data, str):
        body = _unpack(data.encode("utf-8"))
    else:
        view = memoryview(data)
        size = len(view)
        if size < 8:
            raise WireError("bad_frame", f"legacy binary frame of {size} bytes")
        (count,) = struct.unpack_from(">I", view, 0)
        if count < 1 or 4 * (count + 1) > size:
            raise WireError("bad_frame", f"legacy buffer count {count}")
        offsets = [*struct.unpack_from(f">{count}I", view, 4), size]
        if any(a > b for a, b in pairwise(offsets)) or offsets[0] < 4 * (count + 1):
            raise WireError("bad_frame", "legacy offsets out of order")
        body = _unpack(view[offsets[0]:offsets[1]])
        buffers = tuple(bytes(view[a:b]) for a, b in pairwise(offsets[1:]))
    if type(body) is not dict:
        raise WireError("not_an_object", "legacy message")
    channel = body.get("channel") or "shell"
    msg = _dicts(body.get("header"), body.get("parent_header"), body.get("metadata"),
                 body.get("content"), buffers)
    return str(channel), msg


class Framing:
    """The framing agreed for one socket: ``v1`` True for the subprotocol, else legacy."""

    __slots__ = ("v1",)

    def __init__(self, subprotocol: str | None) -> None:
        self.v1 = subprotocol == V1_SUBPROTOCOL

    @property
    def name(self) -> str:
        """``"v1"`` or ``"legacy"``."""
        return "v1" if self.v1 else "legacy"

    def encode(self, channel: str, msg: Message) -> str | bytes:
        """One WebSocket frame (text or binary) for ``msg`` on ``channel``."""
        if channel not in CHANNELS:
            raise ValueError(f"not a kernel channel: {channel!r}")
        return encode_v1(channel, msg) if self.v1 else encode_legacy(channel, msg)

    def decode(self, frame: str | bytes) -> tuple[str, Message]:
        """(channel, Message) from a received frame (either framing is accepted: a v1
        server sends only binary frames, a legacy one text or its binary form)."""
        if isinstance(frame, str):
            return decode_legacy(frame)
        return decode_v1(frame) if self.v1 else decode_legacy(frame)
