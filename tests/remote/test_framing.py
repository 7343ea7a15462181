"""The WebSocket framings, byte for byte, and against jupyter_server's own (de)serializers."""

from __future__ import annotations

import json
import struct

import pytest
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)

from protocol.errors import WireError
from protocol.messages import Message
from protocol.remote.framing import (
    V1_SUBPROTOCOL,
    Framing,
    decode_legacy,
    decode_v1,
    encode_legacy,
    encode_v1,
)

# The reference's test vector (protocol.md 7.3, from jupyter_server's serialize_msg_to_ws_v1).
VECTOR = bytes.fromhex(
    "0700000000000000" "4000000000000000" "4500000000000000" "5500000000000000"
    "5700000000000000" "5900000000000000" "6000000000000000" "6200000000000000"
    "7368656c6c" "7b226d73675f74797065223a2278227d" "7b7d" "7b7d" "7b2261223a317d" "0001"
)


def _msg(buffers: tuple[bytes, ...] = (b"\x00\x01",)) -> Message:
    return Message({"msg_type": "x"}, {}, {}, {"a": 1}, buffers)


def _full(**extra: object) -> Message:
    header = {"msg_id": "m1", "msg_type": "execute_request", "session": "s", "username": "u",
              "date": "2026-01-01T00:00:00.000000Z", "version": "5.4"}
    return Message(header, {"msg_id": "p"}, {"k": "v"}, {"code": "1+1", "é": "ü", **extra})


def test_v1_encoder_matches_the_reference_vector_byte_for_byte() -> None:
    data = encode_v1("shell", _msg())
    assert data == VECTOR
    assert len(data) == 98
    n, *offsets = struct.unpack_from("<8Q", data)
    assert n == 7 and offsets == [64, 69, 85, 87, 89, 96, 98]


def test_v1_encoder_matches_jupyter_server() -> None:
    msg = _full()
    theirs = serialize_msg_to_ws_v1(
        [json.dumps(p, separators=(",", ":"), ensure_ascii=False).encode()
         for p in (msg.header, msg.parent_header, msg.metadata, msg.content)] + [b"buf"],
        "shell",
    )
    ours = encode_v1("shell", Message(msg.header, msg.parent_header, msg.metadata,
                                      msg.content, (b"buf",)))
    assert ours == theirs


def test_v1_decoder_reads_the_vector_and_jupyter_servers_frames() -> None:
    with pytest.raises(WireError) as info:  # the vector's header has no msg_id
        decode_v1(VECTOR)
    assert info.value.reason == "bad_header"
    msg = _full()
    theirs = serialize_msg_to_ws_v1(
        [json.dumps(p).encode() for p in (msg.header, msg.parent_header, msg.metadata,
                                          msg.content)] + [b"\x00\x01"], "iopub")
    assert decode_v1(theirs) == ("iopub", Message(msg.header, msg.parent_header, msg.metadata,
                                                  msg.content, (b"\x00\x01",)))


def test_v1_roundtrip_and_jupyter_server_decodes_ours() -> None:
    msg = Message(_full().header, {"msg_id": "p"}, {}, {"x": [1, 2]}, (b"a", b"", b"\xff" * 10))
    data = encode_v1("iopub", msg)
    assert decode_v1(data) == ("iopub", msg)
    channel, parts = deserialize_msg_from_ws_v1(data)
    assert channel == "iopub"
    assert json.loads(parts[0]) == msg.header and parts[4:] == [b"a", b"", b"\xff" * 10]


def test_legacy_text_and_binary_forms() -> None:
    msg = _full()
    text = encode_legacy("shell", msg)
    assert isinstance(text, str)
    body = json.loads(text)
    assert body["channel"] == "shell" and body["buffers"] == [] and body["header"] == msg.header
    assert decode_legacy(text) == ("shell", msg)

    with_buffers = Message(msg.header, msg.parent_header, msg.metadata, msg.content,
                           (b"\x00\x01", b"xyz"))
    data = encode_legacy("shell", with_buffers)
    assert isinstance(data, bytes)
    count, *offsets = struct.unpack_from(">4I", data)
    json_len = offsets[1] - offsets[0]
    assert count == 3 and offsets[0] == 16 and offsets[2] == 16 + json_len + 2
    assert data[-5:] == b"\x00\x01xyz"
    assert decode_legacy(data) == ("shell", with_buffers)
    theirs = deserialize_binary_message(data)
    assert theirs["channel"] == "shell" and theirs["buffers"] == [b"\x00\x01", b"xyz"]


def test_legacy_decoder_reads_jupyter_servers_binary_form() -> None:
    """The reference's 121-byte legacy form of the test vector (nbufs 2, offsets [12, 119])."""
    data = serialize_binary_message({
        "header": {"msg_type": "x", "msg_id": "i"}, "parent_header": {}, "metadata": {},
        "content": {"a": 1}, "channel": "shell", "buffers": [b"\x00\x01"],
    })
    count, first, second = struct.unpack_from(">3I", data)
    assert (count, first) == (2, 12) and second == len(data) - 2
    channel, msg = decode_legacy(data)
    assert channel == "shell" and msg.content == {"a": 1} and msg.buffers == (b"\x00\x01",)


def test_legacy_message_without_channel_is_shell() -> None:
    text = json.dumps({"header": {"msg_id": "a", "msg_type": "t"}, "content": {}})
    channel, msg = decode_legacy(text)
    assert channel == "shell" and msg.parent_header == {} and msg.metadata == {}


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (b"\x01", "bad_frame"),
        (struct.pack("<QQ", 1, 16), "too_few_frames"),
        (struct.pack("<7Q", 6, 56, 60, 50, 70, 80, 90), "bad_frame"),
        (encode_v1("shell", _msg())[:-1], "bad_frame"),
        (encode_v1("shell", Message({"msg_type": 1, "msg_id": "a"}, {}, {}, {})), "bad_header"),
        (encode_v1("shell", _msg()).replace(b'{"a":1}', b'[1,2,3]'), "not_an_object"),
        (encode_v1("shell", _msg()).replace(b'{"a":1}', b'{"a":[}'), "bad_json"),
    ],
)
def test_v1_decoder_rejects_malformed_frames(frame: bytes, reason: str) -> None:
    with pytest.raises(WireError) as info:
        decode_v1(frame)
    assert info.value.reason == reason


@pytest.mark.parametrize(
    ("frame", "reason"),
    [("[1]", "not_an_object"), ("{", "bad_json"), ('{"header": 3}', "not_an_object"),
     (struct.pack(">II", 5, 8), "bad_frame"), (b"\x00\x00", "bad_frame")],
)
def test_legacy_decoder_rejects_malformed_frames(frame: str | bytes, reason: str) -> None:
    with pytest.raises(WireError) as info:
        decode_legacy(frame)
    assert info.value.reason == reason


def test_framing_follows_the_agreed_subprotocol() -> None:
    msg = _full()
    v1, legacy = Framing(V1_SUBPROTOCOL), Framing(None)
    assert (v1.name, legacy.name) == ("v1", "legacy")
    assert isinstance(v1.encode("control", msg), bytes)
    assert isinstance(legacy.encode("control", msg), str)
    assert v1.decode(v1.encode("stdin", msg)) == ("stdin", msg)
    assert v1.decode(encode_legacy("iopub", msg)) == ("iopub", msg)  # text is always legacy
    with pytest.raises(ValueError, match="not a kernel channel"):
        v1.encode("hb", msg)
