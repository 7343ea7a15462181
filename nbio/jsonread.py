"""Parsing notebook files into JSON values, with errors that name the place and the reason.

``parse_text`` takes what ``nbformat.reads`` takes (text, or bytes in any JSON encoding);
``parse_utf8`` takes file contents, decoded strictly as UTF-8 as ``nbformat.read`` decodes them.
:class:`Hasher` hashes file contents on a thread while they are parsed.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nbio import accel
from nbio.errors import NotebookError


def _json_error(e: json.JSONDecodeError, text: str, path: str | Path | None) -> NotebookError:
    where = f"line {e.lineno} column {e.colno}"
    if not text.strip():
        reason = "the file is empty" if not text else "the file holds only whitespace"
        return NotebookError(reason, path=path, where=where)
    reason = f"not valid JSON: {e.msg}"
    if e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string"):
        reason += " (the file ends too early: truncated?)"
    elif e.pos == 0 and text.startswith(("\ufeff", "\xef\xbb\xbf")):
        reason = "not valid JSON: the file starts with a byte-order mark (BOM)"
    return NotebookError(reason, path=path, where=where)


def _loads(text: str, path: str | Path | None, fast: bool = True) -> Any:
    if fast and accel.worth_it(len(text)):
        value = accel.loads(text)
        if value is not accel.MISS:
            return value
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise _json_error(e, text, path) from None
    except RecursionError:
        raise NotebookError("not readable: JSON nested too deeply", path=path) from None
    except ValueError as e:  # e.g. an integer literal longer than Python's digit limit
        raise NotebookError(f"not valid JSON: {e}", path=path) from None


def _utf8_error(data: bytes, e: UnicodeDecodeError, path: str | Path | None) -> NotebookError:
    return NotebookError(
        f"not UTF-8 text (byte {data[e.start]:#04x} cannot be decoded)",
        path=path,
        where=f"byte {e.start}",
    )


def parse_text(text: str | bytes, path: str | Path | None) -> Any:
    fast = True
    if isinstance(text, (bytes, bytearray)):
        data = bytes(text)
        encoding = json.detect_encoding(data)
        if accel.worth_it(len(data)) and encoding == "utf-8":
            value = accel.loads(data)
            if value is not accel.MISS:
                return value
            fast = False
        try:
            text = data.decode(encoding, "surrogatepass")
        except UnicodeDecodeError as e:
            raise _utf8_error(data, e, path) from None
    return _loads(text, path, fast)


# A \u escape for a character above U+007F (or a false alarm such as an escaped backslash).
_HIGH_ESCAPE = re.compile(rb"\\u(?!00[0-7])")
_LATIN1_MIN_SIZE = 16 << 20
_HASH_THREAD_MIN_SIZE = 1 << 20


def _from_latin1(o: Any) -> Any:
    """Re-decode, in place, every string parsed from Latin-1 text as the UTF-8 it was."""
    t = type(o)
    if t is dict:
        rekey = False
        for k, v in o.items():
            tv = type(v)
            if tv is str:
                if not v.isascii():
                    o[k] = v.encode("latin-1").decode("utf-8")
            elif tv is dict or tv is list:
                _from_latin1(v)
            if not k.isascii():
                rekey = True
        if rekey:
            items = [(k if k.isascii() else k.encode("latin-1").decode("utf-8"), v)
                     for k, v in o.items()]
            o.clear()
            o.update(items)
    elif t is list:
        for i, v in enumerate(o):
            tv = type(v)
            if tv is str:
                if not v.isascii():
                    o[i] = v.encode("latin-1").decode("utf-8")
            elif tv is dict or tv is list:
                _from_latin1(v)
    elif t is str and not o.isascii():
        return o.encode("latin-1").decode("utf-8")
    return o


def parse_utf8(data: bytes, path: str | Path | None) -> Any:
    """Parse UTF-8 file contents (strictly, like ``open(path, encoding="utf8")``).

    Large non-ASCII files are parsed as Latin-1 text and their non-ASCII strings re-decoded
    afterwards: one byte per character instead of four for a file with a single emoji, the
    same result. Non-ASCII bytes can only sit inside JSON strings, where Latin-1 keeps them
    byte for byte; files with ``\\u`` escapes above U+007F take the plain path. This is the
    standard library's path: the accelerated one (:mod:`nbio.accel`) is tried by the reader first.
    """
    if data.isascii():
        return _loads(data.decode("ascii"), path, fast=False)
    if len(data) >= _LATIN1_MIN_SIZE and not data.startswith(codecs.BOM_UTF8) \
            and not _HIGH_ESCAPE.search(data):
        parsed = _loads(data.decode("latin-1"), path, fast=False)
        try:
            return _from_latin1(parsed)
        except UnicodeError:
            pass  # invalid UTF-8 inside a string: find where, below
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _utf8_error(data, e, path) from None
    return _loads(text, path, fast=False)


class Hasher:
    """SHA-256 of a buffer, computed in a thread for large buffers (hashlib drops the GIL)."""

    def __init__(self, data: bytes | memoryview) -> None:
        self._digest = ""
        self._thread: threading.Thread | None = None
        if len(data) < _HASH_THREAD_MIN_SIZE:
            self._digest = hashlib.sha256(data).hexdigest()
        else:
            self._thread = threading.Thread(target=self._run, args=(data,), daemon=True)
            self._thread.start()

    def _run(self, data: bytes | memoryview) -> None:
        self._digest = hashlib.sha256(data).hexdigest()

    def result(self) -> str:
        if self._thread is not None:
            self._thread.join()
        return self._digest


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building a large tree (a JSON tree has no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
