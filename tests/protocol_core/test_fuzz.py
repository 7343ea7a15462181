"""Property and fuzz tests: random and mutated frames give a Message or a WireError, never a crash.

Also: whatever decodes, event_from_message turns into an event without raising, and any
JSON-able content survives a round trip through the wire.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol.errors import WIRE_REASONS, WireError
from protocol.events import KernelEvent, event_from_message
from protocol.messages import CHANNELS, Message
from protocol.tracking import RequestTracker
from protocol.wire import DELIMITER, Receiver, Session, Signer, WireStats

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=5)
frames_strategy = st.lists(
    st.one_of(
        st.binary(max_size=64),
        st.just(DELIMITER),
        st.sampled_from([b"{}", b"null", b"[]", b'{"msg_id":"a","msg_type":"status"}', b""]),
    ),
    max_size=12,
)


def decode(session: Session, frames: list[bytes]) -> Message | None:
    try:
        msg = session.deserialize(frames)
    except WireError as exc:
        assert exc.reason in WIRE_REASONS
        return None
    assert isinstance(msg.header, dict) and isinstance(msg.content, dict)
    assert isinstance(msg.parent_header, dict) and isinstance(msg.metadata, dict)
    assert isinstance(msg.msg_type, str) and isinstance(msg.msg_id, str)
    return msg


@SETTINGS
@given(frames=frames_strategy, key=st.sampled_from([b"", b"key"]))
def test_random_frames_only_wire_errors(frames: list[bytes], key: bytes) -> None:
    msg = decode(Session(key), frames)
    if msg is not None:
        for channel in (*CHANNELS, "client"):
            assert isinstance(event_from_message(channel, msg), KernelEvent)


@SETTINGS
@given(
    header_extra=json_objects,
    parts=st.lists(st.binary(max_size=40) | json_values.map(lambda v: json.dumps(v).encode())),
)
def test_unsigned_random_json_parts(header_extra: dict[str, Any], parts: list[bytes]) -> None:
    header = {**header_extra, "msg_id": "m", "msg_type": "stream"}
    dict_parts = ([json.dumps(header).encode(), *parts] + [b"{}"] * 3)[:4]
    frames = [DELIMITER, b"", *dict_parts]
    msg = decode(Session(b""), frames)
    if msg is not None:
        for channel in CHANNELS:
            event_from_message(channel, msg)


def _valid_frames(content: dict[str, Any], msg_type: str = "stream") -> list[bytes]:
    s = Session(b"key", session_id="fuzz")
    return s.serialize(
        s.msg(msg_type, content, parent={"msg_id": "p"}, buffers=[b"buf"]), identities=[b"t"]
    )


mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "truncate", "drop", "dup", "insert", "swap"]),
        st.integers(min_value=0, max_value=1000),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=4,
)


def mutate(frames: list[bytes], ops: list[tuple[str, int, int]]) -> list[bytes]:
    frames = list(frames)
    for op, pos, byte in ops:
        if not frames:
            frames.append(bytes([byte]))
            continue
        i = pos % len(frames)
        f = frames[i]
        if op == "flip" and f:
            j = pos % len(f)
            frames[i] = f[:j] + bytes([f[j] ^ (byte or 1)]) + f[j + 1 :]
        elif op == "truncate":
            frames[i] = f[: pos % (len(f) + 1)]
        elif op == "drop":
            del frames[i]
        elif op == "dup":
            frames.insert(i, f)
        elif op == "insert":
            frames.insert(i, bytes([byte]) * (pos % 5))
        elif op == "swap":
            j = byte % len(frames)
            frames[i], frames[j] = frames[j], frames[i]
    return frames


@SETTINGS
@given(content=json_objects, ops=mutations)
def test_mutated_signed_frames(content: dict[str, Any], ops: list[tuple[str, int, int]]) -> None:
    good = _valid_frames(content)
    bad = mutate(good, ops)
    msg = decode(Session(b"key"), bad)
    if msg is not None:
        # Only harmless mutations may pass: the signed parts must be intact.
        idx = bad.index(DELIMITER)
        assert bad[idx + 1 : idx + 6] == good[2:7]
        assert msg.content == json.loads(good[6])


@SETTINGS
@given(content=json_objects, ops=mutations)
def test_receiver_never_raises(content: dict[str, Any], ops: list[tuple[str, int, int]]) -> None:
    stats = WireStats()
    rx = Receiver(Session(b"key"), "iopub", stats)
    frames = mutate(_valid_frames(content), ops)
    rx.feed(frames)
    rx.feed(frames)
    assert stats.received + stats.dropped_total == 2
    assert stats.received <= 1  # the second copy is always a replay or also bad


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=json_objects,
    metadata=json_objects,
    parent=json_objects,
    buffers=st.lists(st.binary(max_size=32), max_size=3),
    scheme=st.sampled_from(["hmac-sha256", "hmac-sha1", "hmac-md5", "hmac-sha512"]),
)
def test_roundtrip(
    content: dict[str, Any],
    metadata: dict[str, Any],
    parent: dict[str, Any],
    buffers: list[bytes],
    scheme: str,
) -> None:
    s = Session(b"k", scheme)
    msg = s.msg("comm_msg", content, parent=parent, metadata=metadata, buffers=buffers)
    got = Session(b"k", scheme).deserialize(s.serialize(msg))
    assert got.content == content and got.metadata == metadata
    assert got.parent_header == parent and got.buffers == tuple(buffers)
    assert got.header == msg.header


@SETTINGS
@given(
    content=st.dictionaries(st.sampled_from(["name", "text", "data", "wait", "x"]), json_values),
    msg_type=st.sampled_from(
        ["status", "stream", "execute_input", "execute_result", "display_data", "error",
         "clear_output", "input_request", "comm_msg", "execute_reply", "update_display_data"]
    ),
)
def test_events_and_tracking_accept_any_content(content: dict[str, Any], msg_type: str) -> None:
    signer = Signer(b"")
    header = json.dumps({"msg_id": "m", "msg_type": msg_type}).encode()
    parts = [header, b'{"msg_id": "p"}', b"{}", json.dumps(content).encode()]
    msg = Session(b"").deserialize([DELIMITER, signer.sign(parts), *parts])
    tracker = RequestTracker()
    tracker.register("p", "execute_request", "shell", deadline=1.0)
    for channel in CHANNELS:
        ev = event_from_message(channel, msg)
        assert ev.parent_msg_id == "p"
        tracker.feed(ev)
