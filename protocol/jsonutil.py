"""JSON packing and unpacking the way kernels expect it.

Packing follows jupyter_client's ``json_packer``: UTF-8 JSON with ``ensure_ascii=False`` and
``allow_nan=False``; datetimes become ISO 8601 strings (UTC as ``Z``, naive ones taken as local
time), dates ISO strings, bytes base64, other iterables lists, number-likes numbers. A value that
still does not pack (NaN, infinity, non-string keys...) is cleaned first (NaN and infinity become
the strings ``"nan"``/``"inf"``, keys become strings), as jupyter_client's fallback does. We emit
compact separators; signatures are over the bytes we send, so any valid JSON is fine for kernels.

Unpacking is strict JSON with a fast path through the C scanner (one call per frame, no
encoding detection). Dates are left as strings; :func:`parse_date` reads one on demand.
"""

from __future__ import annotations

import json
import json.scanner
import math
import numbers
import re
import types
from binascii import b2a_base64
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

__all__ = ["ISO8601_PATTERN", "json_clean", "json_default", "pack", "parse_date", "unpack"]

#: What jupyter_client accepts as a header date: 1-6 fractional digits, ``Z`` or ``±hh[:]mm``.
ISO8601_PATTERN = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_date(value: object) -> datetime | None:
    """Parse a header ``date`` leniently, as jupyter_client does; ``None`` if it is not one.

    Accepts 1-6 fractional digits (ipykernel sends 6, xeus 5), ``Z`` or ``±hh:mm``/``±hhmm``.
    A date without an offset is taken as local time. The result is always timezone-aware.
    """
    if not isinstance(value, str):
        return None
    m = ISO8601_PATTERN.match(value)
    if m is None:
        return None
    year, month, day, hour, minute, second, frac, offset = m.groups()
    tz: tzinfo | None = None
    if offset == "Z":
        tz = timezone.utc
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        try:
            tz = timezone(sign * delta)
        except ValueError:
            return None
    try:
        dt = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((frac or "0").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return dt if tz is not None else dt.astimezone()


def json_default(obj: Any) -> Any:
    """``default=`` hook for :func:`json.dumps`: the types jupyter_client knows how to pack."""
    if isinstance(obj, datetime):
        if obj.tzinfo is None:
            obj = obj.astimezone()  # naive means local time, as in jupyter_client
        return obj.isoformat().replace("+00:00", "Z")
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return b2a_base64(bytes(obj), newline=False).decode("ascii")
    if isinstance(obj, Iterable):
        return list(obj)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    raise TypeError(f"{obj!r} is not JSON serializable")


def json_clean(obj: Any) -> Any:
    """Return a JSON-safe copy of ``obj`` (jupyter_client's fallback cleaning).

    NaN and infinities become their ``repr`` strings, tuples/sets/generators lists, keys strings.
    Raises ValueError when two keys collide once stringified.
    """
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        value = float(obj)
        return repr(value) if math.isnan(value) or math.isinf(value) else value
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return b2a_base64(bytes(obj), newline=False).decode("ascii")
    if isinstance(obj, dict):
        if len({str(k) for k in obj}) != len(obj):
            raise ValueError("dict cannot be converted to JSON: keys collide once stringified")
        return {str(k): json_clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset, types.GeneratorType)):
        return [json_clean(x) for x in obj]
    if isinstance(obj, (datetime, date)):
        return json_default(obj)
    if isinstance(obj, Iterable):
        return [json_clean(x) for x in obj]
    raise ValueError(f"Can't clean for JSON: {obj!r}")


_encoder = json.JSONEncoder(
    default=json_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
)


def pack(obj: Any) -> bytes:
    """Serialize ``obj`` to UTF-8 JSON bytes (never ``NaN``; see the module docstring)."""
    if not obj and type(obj) is dict:
        return b"{}"
    try:
        text = _encoder.encode(obj)
    except (TypeError, ValueError):
        text = _encoder.encode(json_clean(obj))
    return text.encode("utf-8", "surrogateescape")


_decoder = json.JSONDecoder()
_scan_once: Any = json.scanner.make_scanner(_decoder)  # type: ignore[arg-type]


def unpack(data: bytes) -> Any:
    """Parse one JSON frame. Invalid UTF-8 is replaced (as jupyter_client does).

    Raises ValueError (``json.JSONDecodeError``) on anything that is not exactly one JSON value.
    """
    text = data.decode("utf-8", "replace")
    try:
        value, end = _scan_once(text, 0)
    except StopIteration:
        value, end = None, -1
    if end != len(text):
        # Slow path: surrounding whitespace is legal; json.loads reports real errors.
        value = _decoder.decode(text)
    return value
