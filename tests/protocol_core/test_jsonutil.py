"""protocol.jsonutil: packing like jupyter_client (its test vectors) and strict unpacking."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jupyter_client import jsonutil as jc

from protocol.jsonutil import json_clean, json_default, pack, unpack


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"\xff", "/w=="),
        (date(2025, 4, 8), "2025-04-08"),
        ((1, 2), [1, 2]),
        ({3}, [3]),
        (Fraction(1, 2), 0.5),
        (datetime(2025, 4, 8, 1, 2, 3, 456, tzinfo=timezone.utc), "2025-04-08T01:02:03.000456Z"),
        (
            datetime(2025, 4, 8, tzinfo=timezone(timedelta(hours=-8))),
            "2025-04-08T00:00:00-08:00",
        ),
    ],
)
def test_json_default_vectors(value: Any, expected: Any) -> None:
    assert json_default(value) == expected


def test_json_default_generator_and_errors() -> None:
    assert json_default(x for x in range(3)) == [0, 1, 2]
    with pytest.raises(TypeError):
        json_default(object())


def test_naive_datetime_is_local_time_like_jupyter_client() -> None:
    naive = datetime(2025, 4, 8, 12, 0, 0)
    ours = json_default(naive)
    with pytest.warns(DeprecationWarning):
        theirs = jc.json_default(naive)
    assert ours == theirs


def test_pack_is_compact_utf8_and_never_nan() -> None:
    assert pack({"a": "é", "b": [1, 2]}) == '{"a":"é","b":[1,2]}'.encode()
    assert json.loads(pack({"x": float("nan"), "y": float("-inf")})) == {"x": "nan", "y": "-inf"}
    assert json.loads(pack({1: "int key"})) == {"1": "int key"}
    # Colliding keys pack as json.dumps packs them (jupyter_client's first attempt succeeds too).
    assert pack({1: "a", "1": "b"}) == jc_pack({1: "a", "1": "b"}).replace(b": ", b":").replace(
        b", ", b","
    )
    with pytest.raises(ValueError):
        pack({"o": object()})


def test_pack_surrogates_like_jupyter_client() -> None:
    assert pack({"s": "\udcff"}) == jc_pack({"s": "\udcff"}).replace(b": ", b":")


def jc_pack(obj: Any) -> bytes:
    from jupyter_client.session import json_packer

    return json_packer(obj)


def test_json_clean_matches_jupyter_client() -> None:
    value = {
        "t": (1, 2.5, float("inf")),
        "s": {"a"},
        "b": b"\x00\x01",
        "n": None,
        "bool": True,
        "nested": [{"x": float("nan")}],
        "d": date(2020, 1, 2),
    }
    ours = json_clean(value)
    theirs = jc.json_clean(value)
    assert ours.keys() == theirs.keys()
    for key in ("t", "s", "b", "n", "bool"):
        assert ours[key] == theirs[key]
    assert ours["nested"] == theirs["nested"] == [{"x": "nan"}]


@pytest.mark.parametrize(
    "data", [b"{}", b'  {"a": 1}  ', b"null", b"[1, 2]", b'"s"', b"1.5", b"\n{}\n", b"NaN"]
)
def test_unpack_matches_json_loads(data: bytes) -> None:
    got, want = unpack(data), json.loads(data)
    if isinstance(want, float) and math.isnan(want):
        assert math.isnan(got)
    else:
        assert got == want


@pytest.mark.parametrize(
    "data",
    [b"", b"{", b"{} {}", b"{}x", b'{"a": "\x01"}', b"[" * 50_000, b"1" * 5000, b"\x00{}"],
)
def test_unpack_rejects(data: bytes) -> None:
    with pytest.raises((ValueError, RecursionError)):
        unpack(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64))
def test_unpack_agrees_with_json_loads_on_random_bytes(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        want: Any = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            unpack(data)
        return
    got = unpack(data)
    assert json.dumps(got) == json.dumps(want)


@pytest.mark.parametrize(
    "text",
    [
        "2013-07-03T16:34:52.249482Z",
        "2013-07-03T16:34:52.249482-0800",
        "2013-07-03T16:34:52.249482+08:00",
        "2013-07-03T16:34:52.2494Z",  # fewer digits
        "2013-07-03T16:34:52.2Z",
        "2026-11-25T16:53:27.33984Z",  # xeus: 5 digits
        "2013-07-03T16:34:52Z",  # no fraction
        "2013-07-03T16:34:52.249482",  # no offset: local time
        "2013-07-03T16:34:52.2494821Z",  # 7 digits: not a date for jupyter_client
        "2013-07-03T16:34:52.Z",
        "2013-07-03 16:34:52Z",
        "2013-13-03T16:34:52Z",  # matches the pattern, invalid month
        "not a date",
        "",
    ],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_parse_date_matches_jupyter_client(text: str) -> None:
    from protocol.jsonutil import parse_date

    ours = parse_date(text)
    try:
        theirs: Any = jc.parse_date(text)
    except ValueError:  # jupyter_client's dateutil rejects what its regex let through
        theirs = text
    if isinstance(theirs, str):
        assert ours is None
    else:
        assert ours == theirs
        assert ours is not None and ours.tzinfo is not None


def test_parse_date_non_strings() -> None:
    from protocol.jsonutil import parse_date

    assert parse_date(None) is None and parse_date(5) is None
    assert parse_date("2024-01-01T00:00:00.000000Z") == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert parse_date("2024-01-01T00:00:00+99:99") is None


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.just(timezone.utc)))
def test_parse_date_roundtrips_our_dates(value: datetime) -> None:
    from protocol.jsonutil import parse_date

    assert parse_date(json_default(value)) == value
