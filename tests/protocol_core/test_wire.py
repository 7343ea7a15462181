"""Unit tests for protocol.wire: framing, signing, replay protection, limits, the Receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime

import pytest

from protocol.errors import WIRE_REASONS, WireError
from protocol.events import Stream
from protocol.messages import Message
from protocol.wire import (
    DELIMITER,
    PROTOCOL_VERSION,
    DigestHistory,
    Receiver,
    Session,
    Signer,
    WireStats,
)

# The test vector of the protocol digest (computed with jupyter_client 8.10).
VECTOR_KEY = b"secret-key"
VECTOR_HEADER = (
    b'{"msg_id": "m1", "session": "s1", "username": "u", "date": '
    b'"2024-01-01T00:00:00.000000Z", "msg_type": "kernel_info_request", "version": "5.4"}'
)
VECTOR_SIG = b"5d38839ca43f017829c2b972cadadc20ba74c94d9c14dabc05bcb100657633e3"


def vector_frames() -> list[bytes]:
    return [DELIMITER, VECTOR_SIG, VECTOR_HEADER, b"{}", b"{}", b"{}"]


def test_signer_matches_reference_vector() -> None:
    signer = Signer(VECTOR_KEY, "hmac-sha256")
    assert signer.sign([VECTOR_HEADER, b"{}", b"{}", b"{}"]) == VECTOR_SIG
    assert signer.verify(VECTOR_SIG, [VECTOR_HEADER, b"{}", b"{}", b"{}"])


def test_reference_vector_deserializes() -> None:
    msg = Session(VECTOR_KEY).deserialize(vector_frames())
    assert msg.msg_id == "m1"
    assert msg.msg_type == "kernel_info_request"
    assert msg.header["date"] == "2024-01-01T00:00:00.000000Z"  # dates stay strings
    assert msg.parent_header == {} and msg.metadata == {} and msg.content == {}
    assert msg.parent_msg_id is None
    assert msg.identities == () and msg.buffers == ()


@pytest.mark.parametrize(
    "scheme", ["hmac-sha256", "hmac-sha1", "hmac-md5", "hmac-sha512", "hmac-sha3_256"]
)
def test_signer_schemes_match_stdlib_hmac(scheme: str) -> None:
    frames = [b'{"a":1}', b"{}", b"{}", b'{"b":"\xc3\xa9"}']
    expected = hmac.new(b"k", b"".join(frames), scheme[5:]).hexdigest().encode()
    assert Signer("k", scheme).sign(frames) == expected


def test_signer_rejects_unknown_scheme() -> None:
    with pytest.raises(ValueError):
        Signer(b"k", "hmac-nosuchhash")
    with pytest.raises(ValueError):
        Signer(b"k", "sha256")
    with pytest.raises(ValueError, match="shake_128"):
        Signer(b"k", "hmac-shake_128")  # a hashlib name HMAC cannot use
    with pytest.raises(ValueError):
        Session(b"", "hmac-nosuchhash")  # checked even when unsigned


def test_empty_key_means_unsigned_and_unchecked() -> None:
    s = Session(b"")
    frames = s.serialize(s.msg("status", {"execution_state": "idle"}))
    assert frames[1] == b""
    # Any signature, or none, is accepted when signing is off.
    frames[1] = b"whatever"
    assert Session(b"").deserialize(frames).content == {"execution_state": "idle"}


def test_string_key_is_utf8_encoded_not_hex_decoded() -> None:
    assert Signer("abcd").key == b"abcd"


def test_roundtrip_with_identities_and_buffers() -> None:
    s = Session(b"key", session_id="sess")
    msg = s.msg(
        "comm_msg",
        {"comm_id": "c", "data": {"x": [1, 2.5, None, True, "é"]}},
        metadata={"m": 1},
        buffers=[b"\x00\x01", b"", bytes(range(256))],
    )
    frames = s.serialize(msg, identities=[b"id1", b"id2"])
    assert frames[:3] == [b"id1", b"id2", DELIMITER]
    got = Session(b"key").deserialize(frames)
    assert got.identities == (b"id1", b"id2")
    assert got.buffers == (b"\x00\x01", b"", bytes(range(256)))
    assert got.header == msg.header and got.content == msg.content
    assert got.metadata == {"m": 1}


def test_buffers_are_not_signed() -> None:
    s = Session(b"key")
    frames = s.serialize(s.msg("comm_msg", {"comm_id": "c", "data": {}}, buffers=[b"abc"]))
    frames[-1] = b"xyz"  # tampering with a buffer does not break the signature (as the spec says)
    assert Session(b"key").deserialize(frames).buffers == (b"xyz",)


def test_memoryview_and_bytearray_frames() -> None:
    s = Session(b"key")
    frames = s.serialize(s.msg("stream", {"name": "stdout", "text": "x"}, buffers=[b"buf"]))
    views = [memoryview(f) if i % 2 else bytearray(f) for i, f in enumerate(frames)]
    got = Session(b"key").deserialize(views)
    assert got.content["text"] == "x"
    assert got.buffers == (b"buf",)
    assert all(type(b) is bytes for b in got.buffers)


def test_delimiter_found_after_topic_frames() -> None:
    s = Session(b"key")
    base = s.serialize(s.msg("status", {"execution_state": "busy"}))
    for prefix in ([], [b""], [b"kernel.abc.status"], [b"a", b"b", b"c"]):
        got = Session(b"key").deserialize([*prefix, *base])
        assert got.identities == tuple(prefix)


def test_header_fields() -> None:
    s = Session(b"key", session_id="s-1", username="alice")
    h = s.msg("kernel_info_request").header
    assert set(h) == {"msg_id", "msg_type", "username", "session", "date", "version"}
    assert h["session"] == "s-1" and h["username"] == "alice"
    assert h["version"] == PROTOCOL_VERSION == "5.4"
    assert h["date"].endswith("Z")
    parsed = datetime.fromisoformat(h["date"].replace("Z", "+00:00"))
    assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    ids = {s.msg("x").msg_id for _ in range(1000)}
    assert len(ids) == 1000


def test_null_parts_are_sent_as_empty_objects() -> None:
    s = Session(b"key")
    msg = Message(
        header=s.header("execute_request"),
        parent_header=None,  # type: ignore[arg-type]
        metadata=None,  # type: ignore[arg-type]
        content=None,  # type: ignore[arg-type]
    )
    frames = s.serialize(msg)
    assert frames[3:6] == [b"{}", b"{}", b"{}"]


def test_null_parent_and_metadata_are_read_as_empty() -> None:
    signer = Signer(b"key")
    header = json.dumps({"msg_id": "w", "msg_type": "iopub_welcome"}).encode()
    parts = [header, b"null", b"null", b'{"subscription":""}']
    frames = [b"", DELIMITER, signer.sign(parts), *parts]
    msg = Session(b"key").deserialize(frames)
    assert msg.parent_header == {} and msg.metadata == {}
    assert msg.parent_msg_id is None


def test_whitespace_and_unicode_json() -> None:
    signer = Signer(b"key")
    header = b' \n{"msg_id": "m", "msg_type": "stream"}\n '
    content = json.dumps({"name": "stdout", "text": "h\u00e9llo \U0001f600"}, indent=2).encode()
    parts = [header, b"{}", b"{ }", content]
    msg = Session(b"key").deserialize([DELIMITER, signer.sign(parts), *parts])
    assert msg.content["text"] == "h\u00e9llo \U0001f600"


def test_invalid_utf8_is_replaced_like_jupyter_client() -> None:
    signer = Signer(b"key")
    parts = [b'{"msg_id": "m", "msg_type": "stream"}', b"{}", b"{}", b'{"text": "a\xffb"}']
    msg = Session(b"key").deserialize([DELIMITER, signer.sign(parts), *parts])
    assert msg.content["text"] == "a\ufffdb"


def _reason(session: Session, frames: list[bytes]) -> str:
    with pytest.raises(WireError) as info:
        session.deserialize(frames)
    assert info.value.reason in WIRE_REASONS
    return info.value.reason


def _signed(parts: list[bytes], key: bytes = b"key") -> list[bytes]:
    return [DELIMITER, Signer(key).sign(parts), *parts]


GOOD_HEADER = b'{"msg_id": "m", "msg_type": "stream"}'


@pytest.mark.parametrize(
    ("frames", "reason"),
    [
        ([], "no_delimiter"),
        ([b"a", b"b", b"c", b"d", b"e", b"f"], "no_delimiter"),
        ([DELIMITER, b"", b"{}", b"{}", b"{}"], "too_few_frames"),
        ([DELIMITER, b"", GOOD_HEADER, b"{}", b"{}", b"{}"], "unsigned"),
        ([DELIMITER, b"00" * 32, GOOD_HEADER, b"{}", b"{}", b"{}"], "bad_signature"),
        (_signed([b"{", b"{}", b"{}", b"{}"]), "bad_json"),
        (_signed([GOOD_HEADER, b"{}", b"{}", b"{} {}"]), "bad_json"),
        (_signed([GOOD_HEADER, b"{}", b"{}", b"[" * 100_000]), "bad_json"),
        (_signed([GOOD_HEADER, b"{}", b"{}", b"NaN"]), "not_an_object"),
        (_signed([b"[]", b"{}", b"{}", b"{}"]), "not_an_object"),
        (_signed([b"null", b"{}", b"{}", b"{}"]), "not_an_object"),
        (_signed([GOOD_HEADER, b"[1]", b"{}", b"{}"]), "not_an_object"),
        (_signed([GOOD_HEADER, b"{}", b'"x"', b"{}"]), "not_an_object"),
        (_signed([GOOD_HEADER, b"{}", b"{}", b"3"]), "not_an_object"),
        (_signed([b'{"msg_id": "m"}', b"{}", b"{}", b"{}"]), "bad_header"),
        (_signed([b'{"msg_type": "stream"}', b"{}", b"{}", b"{}"]), "bad_header"),
        (_signed([b'{"msg_id": 1, "msg_type": "x"}', b"{}", b"{}", b"{}"]), "bad_header"),
    ],
)
def test_bad_frames_raise_wire_error(frames: list[bytes], reason: str) -> None:
    assert _reason(Session(b"key"), frames) == reason


def test_wrong_key_is_bad_signature() -> None:
    frames = _signed([GOOD_HEADER, b"{}", b"{}", b"{}"], key=b"other")
    assert _reason(Session(b"key"), frames) == "bad_signature"


def test_size_and_frame_limits() -> None:
    s = Session(b"key", max_message_size=1000, max_frames=10)
    big = s.serialize(s.msg("stream", {"text": "x" * 2000}))
    assert _reason(s, big) == "too_large"
    many = s.serialize(s.msg("comm_msg", {}, buffers=[b"b"] * 10))
    assert _reason(s, many) == "too_many_frames"
    ok = s.serialize(s.msg("stream", {"text": "x" * 10}))
    assert s.deserialize(ok).content["text"] == "x" * 10


def test_replay_is_rejected_and_failed_messages_do_not_poison_history() -> None:
    sender, receiver = Session(b"key"), Session(b"key")
    frames = sender.serialize(sender.msg("status", {"execution_state": "idle"}))
    forged = list(frames)
    forged[5] = b'{"execution_state": "busy"}'
    assert _reason(receiver, forged) == "bad_signature"
    receiver.deserialize(frames)
    assert _reason(receiver, frames) == "replayed"
    # A separate history (another socket) accepts the same frames once.
    other = receiver.new_history()
    assert receiver.deserialize(frames, other).msg_type == "status"


def test_replay_check_off_when_unsigned() -> None:
    s = Session(b"")
    frames = s.serialize(s.msg("status", {"execution_state": "idle"}))
    s.deserialize(frames)
    assert s.deserialize(frames).msg_type == "status"


def test_digest_history_is_bounded_fifo() -> None:
    h = DigestHistory(100)
    for i in range(100):
        assert h.add(b"%d" % i)
    assert len(h) == 100
    assert not h.add(b"5")
    assert h.add(b"100")  # evicts the oldest, "0"
    assert len(h) == 100
    assert b"0" not in h and b"1" in h
    assert h.add(b"0")  # forgotten, so accepted again


def test_zero_digest_history_disables_replay_check() -> None:
    h = DigestHistory(0)
    assert h.add(b"a") and h.add(b"a")
    assert len(h) == 0
    with pytest.raises(ValueError):
        DigestHistory(-1)


def test_digest_history_via_session_size() -> None:
    s = Session(b"key", digest_history_size=0)
    frames = s.serialize(s.msg("status", {"execution_state": "idle"}))
    s.deserialize(frames)
    s.deserialize(frames)


def test_receiver_drops_counts_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    s = Session(b"key")
    stats = WireStats()
    rx = Receiver(s, "iopub", stats)
    good = s.serialize(s.msg("stream", {"name": "stdout", "text": "hi"}))
    event = rx.feed(good)
    assert isinstance(event, Stream) and event.text == "hi"
    bad = list(good)
    bad[1] = b"0" * 64
    with caplog.at_level(logging.WARNING, logger="protocol.wire"):
        assert rx.feed(good) is None  # replay
        assert rx.feed(bad) is None
        assert rx.feed(bad) is None
        assert rx.feed([b"junk"]) is None
        assert rx.decode_or_drop([DELIMITER, b"", b"{}"]) is None
    assert stats.received == 1
    assert stats.dropped == {
        "replayed": 1,
        "bad_signature": 2,
        "no_delimiter": 1,
        "too_few_frames": 1,
    }
    assert stats.dropped_total == 5
    assert stats.dropped_bad_signature == 2
    assert stats.dropped_replayed == 1
    assert stats.dropped_malformed == 2
    warnings = [r for r in caplog.records if r.name == "protocol.wire"]
    assert len(warnings) == 4  # once per reason, not per message
    assert all("iopub" in r.getMessage() for r in warnings)


def test_receivers_have_separate_histories() -> None:
    s = Session(b"key")
    frames = s.serialize(s.msg("status", {"execution_state": "idle"}))
    stats = WireStats()
    a, b = Receiver(s, "iopub", stats), Receiver(s, "iopub", stats)
    assert a.decode_or_drop(frames) is not None
    assert b.decode_or_drop(frames) is not None
    assert a.decode_or_drop(frames) is None
    assert stats.received == 2 and stats.dropped == {"replayed": 1}


def test_sign_matches_hashlib_over_frames_as_received() -> None:
    # Verification must use the raw bytes: a differently formatted but equal JSON is signed as is.
    key = b"key"
    parts = [b'{"msg_type":"stream","msg_id":"x"}', b"{}", b"{}", b'{"b":1,  "a":2}']
    sig = hmac.new(key, b"".join(parts), hashlib.sha256).hexdigest().encode()
    msg = Session(key).deserialize([DELIMITER, sig, *parts])
    assert msg.content == {"b": 1, "a": 2}


def test_zmq_frame_objects_are_accepted() -> None:
    zmq = pytest.importorskip("zmq")
    s = Session(b"key")
    frames = s.serialize(s.msg("stream", {"name": "stdout", "text": "z"}, buffers=[b"b"]))
    got = Session(b"key").deserialize([zmq.Frame(b"topic"), *(zmq.Frame(f) for f in frames)])
    assert got.content["text"] == "z"
    assert got.identities == (b"topic",) and got.buffers == (b"b",)


@pytest.mark.parametrize(
    "frames",
    [
        [DELIMITER, b"", GOOD_HEADER, b"{}", b"{}", 5],
        ["<IDS|MSG>", "", "{}", "{}", "{}", "{}"],
        [None, DELIMITER],
    ],
)
def test_non_buffer_frames_are_bad_frames(frames: list[object]) -> None:
    with pytest.raises(WireError) as info:
        Session(b"").deserialize(frames)  # type: ignore[arg-type]
    assert info.value.reason == "bad_frame"
    stats = WireStats()
    assert Receiver(Session(b""), "shell", stats).feed(frames) is None  # type: ignore[arg-type]
    assert stats.dropped == {"bad_frame": 1}


def test_receiver_survives_decoder_bugs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import protocol.wire as wire

    s = Session(b"key")
    stats = WireStats()
    rx = Receiver(s, "iopub", stats)

    def broken(*args: object, **kwargs: object) -> Message:
        raise RuntimeError("boom")

    monkeypatch.setattr(s, "deserialize", broken)
    with caplog.at_level(logging.ERROR, logger="protocol.wire"):
        assert rx.feed([b"x"]) is None
        assert rx.feed([b"x"]) is None
    assert stats.dropped == {"internal_error": 2} and stats.received == 0
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None  # logged once, with traceback
    assert "boom" in str(errors[0].exc_info[1])
    monkeypatch.undo()

    def broken_event(channel: str, msg: Message) -> Stream:
        raise RuntimeError("bad event")

    monkeypatch.setattr(wire, "event_from_message", broken_event)
    good = s.serialize(s.msg("stream", {"name": "stdout", "text": "hi"}))
    assert rx.feed(good) is None
    assert stats.dropped == {"internal_error": 3} and stats.received == 0
