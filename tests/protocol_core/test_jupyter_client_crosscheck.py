"""Cross-checks against jupyter_client's Session (a test dependency, the reference implementation).

Frames we sign must verify in jupyter_client, and frames it signs must verify in ours, for several
signature schemes, with identities, buffers and null parent/metadata; replays are rejected by both.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from jupyter_client.session import Session as JCSession
from jupyter_client.session import json_packer as jc_json_packer

from protocol import messages as M
from protocol.errors import WireError
from protocol.jsonutil import pack
from protocol.wire import DELIMITER, Session

SCHEMES = ["hmac-sha256", "hmac-sha1", "hmac-md5", "hmac-sha512", "hmac-sha384"]


def _jc(key: bytes, scheme: str) -> JCSession:
    return JCSession(key=key, signature_scheme=scheme, username="jc")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_our_frames_verify_in_jupyter_client(scheme: str) -> None:
    ours = Session(b"a-key", scheme, username="us")
    jc = _jc(b"a-key", scheme)
    msg = ours.build(M.execute_request("print('h\u00e9')", user_expressions={"x": "1+1"}))
    frames = ours.serialize(msg, identities=[b"route"])
    idents, rest = jc.feed_identities(frames)
    assert idents == [b"route"]
    got = jc.deserialize(rest)
    assert got["content"] == msg.content
    assert got["header"]["msg_id"] == msg.msg_id
    assert got["header"]["session"] == ours.session_id
    # jupyter_client parses our date: it must be an aware datetime close to now.
    date = got["header"]["date"]
    assert isinstance(date, datetime) and date.tzinfo is not None
    assert abs((datetime.now(timezone.utc) - date).total_seconds()) < 60
    with pytest.raises(ValueError, match="Duplicate Signature"):
        jc.deserialize(rest)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_jupyter_client_frames_verify_in_ours(scheme: str) -> None:
    jc = _jc(b"a-key", scheme)
    ours = Session(b"a-key", scheme)
    parent = jc.msg_header("execute_request")
    jmsg = jc.msg("stream", content={"name": "stdout", "text": "\u00e9\n"}, parent=parent)
    frames = jc.serialize(jmsg, ident=[b"stream.stdout"])
    got = ours.deserialize(frames)
    assert got.identities == (b"stream.stdout",)
    assert got.msg_type == "stream" and got.content == {"name": "stdout", "text": "\u00e9\n"}
    assert got.parent_msg_id == parent["msg_id"]
    assert got.header["date"].endswith("Z")
    with pytest.raises(WireError) as info:
        ours.deserialize(frames)
    assert info.value.reason == "replayed"


@pytest.mark.parametrize("scheme", ["hmac-sha256", "hmac-sha512"])
def test_buffers_both_ways(scheme: str) -> None:
    jc = _jc(b"k", scheme)
    ours = Session(b"k", scheme)
    bufs = [b"\x00" * 10, bytes(range(256)), b""]
    # jupyter_client -> ours
    jmsg = jc.msg("comm_msg", content={"comm_id": "c1", "data": {"buffer_paths": [["a"]]}})
    jmsg["buffers"] = bufs
    frames = jc.serialize(jmsg)
    frames.extend(bufs)
    got = ours.deserialize(frames)
    assert got.buffers == tuple(bufs)
    assert got.content["data"]["buffer_paths"] == [["a"]]
    # ours -> jupyter_client
    out = ours.serialize(ours.build(M.comm_msg("c1", {"v": 1}, buffers=tuple(bufs))))
    _, rest = jc.feed_identities(out)
    jgot = jc.deserialize(rest)
    assert [bytes(b) for b in jgot["buffers"]] == bufs


def test_null_parent_and_metadata_from_jupyter_client_signer() -> None:
    # xeus sends null parent/metadata in its welcome; sign such frames with jupyter_client.
    jc = _jc(b"k", "hmac-sha256")
    header = jc_json_packer(jc.msg_header("iopub_welcome"))
    parts = [header, b"null", b"null", b'{"subscription": ""}']
    frames = [b"", DELIMITER, jc.sign(parts), *parts]
    got = Session(b"k").deserialize(frames)
    assert got.parent_header == {} and got.metadata == {}
    assert got.content == {"subscription": ""}
    assert got.identities == (b"",)


def test_our_empty_parts_are_objects_for_jupyter_client() -> None:
    ours = Session(b"k")
    frames = ours.serialize(ours.build(M.kernel_info_request()))
    jc = _jc(b"k", "hmac-sha256")
    got = jc.deserialize(jc.feed_identities(frames)[1])
    assert got["parent_header"] == {} and got["metadata"] == {} and got["content"] == {}


def test_unsigned_both_ways() -> None:
    jc = JCSession(key=b"")
    ours = Session(b"")
    frames = ours.serialize(ours.build(M.shutdown_request(restart=True)))
    assert frames[1] == b""
    assert jc.deserialize(jc.feed_identities(frames)[1])["content"] == {"restart": True}
    jframes = jc.serialize(jc.msg("status", content={"execution_state": "idle"}))
    assert ours.deserialize(jframes).content == {"execution_state": "idle"}


def test_tampered_jupyter_client_frames_are_rejected() -> None:
    jc = _jc(b"k", "hmac-sha256")
    frames = jc.serialize(jc.msg("status", content={"execution_state": "idle"}))
    frames[-1] = b'{"execution_state": "busy"}'
    with pytest.raises(WireError) as info:
        Session(b"k").deserialize(frames)
    assert info.value.reason == "bad_signature"


VALUES: list[Any] = [
    {"a": [1, 2.5, None, True, False, "x"], "b": {"c": "\u00e9\U0001f600"}},
    {"date": datetime(2025, 4, 8, 12, 30, 1, 123456, tzinfo=timezone.utc)},
    {"bytes": b"\xff\x00", "tuple": (1, 2), "nested": {"t": ("a",)}},
    {"nan": float("nan"), "inf": float("inf"), "ninf": -float("inf")},
    {"surrogate": "a\udcffb"},
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_packing_matches_jupyter_client_semantics(value: Any) -> None:
    import json

    ours = json.loads(pack(value).decode("utf-8", "surrogateescape"))
    theirs = json.loads(jc_json_packer(value).decode("utf-8", "surrogateescape"))
    assert ours == theirs
