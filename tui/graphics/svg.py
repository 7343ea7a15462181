"""SVG to PNG, safely: the source is checked and rebuilt by our own streaming parse before
resvg sees it, and resvg runs in a separate worker process with a time and memory bound.

Guards, each a :class:`SvgError` with the reason (shown as the output's placeholder):

- size: at most :data:`MAX_SVG_BYTES` of source and :data:`MAX_ELEMENTS` elements;
- nesting: at most :data:`MAX_DEPTH` levels (resvg overflows its stack and crashes the
  process near 400);
- entities: any ``<!ENTITY`` declaration is refused (no billion laughs); external entities
  and DTDs are never loaded;
- external references: ``href`` values other than ``#id`` and ``data:`` URIs are removed,
  ``url(...)`` to anything but ``#id`` or ``data:`` becomes ``none``, ``@import`` rules are
  dropped, so nothing is ever fetched or read from disk;
- size on screen: the root's ``width``/``height`` are set to the pixel size wanted (the
  ``viewBox`` keeps the drawing), within ``max_height_px``, so a huge viewBox or a
  1×100000 aspect ratio cannot allocate a huge canvas;
- time: resvg holds the GIL (measured: a 1.3 s render blocks every Python thread), so it
  cannot run on a thread of the UI's process; the worker is killed after ``timeout``
  seconds and restarted for the next SVG. It also survives a resvg crash.
"""

from __future__ import annotations

import atexit
import math
import os
import re
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

MAX_SVG_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100
MAX_ELEMENTS = 200_000
MAX_SIDE_PX = 8192
DEFAULT_TIMEOUT = 5.0
WORKER_IDLE = 3.0
"""Seconds an idle worker process waits for the next SVG before it exits."""
WORKER_MEMORY = 1024 * 1024 * 1024
"""Address space of the worker process (RLIMIT_AS)."""


class SvgError(Exception):
    """An SVG that cannot be drawn; the message is the reason."""


_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0, "em": 16.0, "ex": 8.0}
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-z]*)\s*$")
_URL = re.compile(r"url\(\s*(['\"]?)([^)'\"]*)\1\s*\)", re.IGNORECASE)
_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)


def _length(value: str | None) -> float | None:
    if not value:
        return None
    match = _LENGTH.match(value)
    if not match or match.group(2) not in _UNITS:
        return None
    number = float(match.group(1)) * _UNITS[match.group(2)]
    return number if math.isfinite(number) and number > 0 else None


def _view_box(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        numbers = [float(v) for v in value.replace(",", " ").split()]
    except ValueError:
        return None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        return None
    if numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def _root_size(attrs: dict[str, str]) -> tuple[float, float]:
    """The root's intrinsic size in px (resvg's rules: width/height, the viewBox's aspect
    for a missing one, 100×100 when nothing says)."""
    width, height = _length(attrs.get("width")), _length(attrs.get("height"))
    box = _view_box(attrs.get("viewBox"))
    if width and height:
        return (width, height)
    if box:
        if width:
            return (width, width * box[3] / box[2])
        if height:
            return (height * box[2] / box[3], height)
        return (box[2], box[3])
    return (width or 100.0, height or 100.0)


def _safe_url(target: str) -> bool:
    target = target.strip()
    return target.startswith("#") or target.lower().startswith("data:")


def _neutralise_urls(text: str) -> str:
    return _URL.sub(lambda m: m.group(0) if _safe_url(m.group(2)) else "none", text)


class _Stop(Exception):
    pass


@dataclass
class _Scan:
    """One streaming pass over the source, rebuilding it without what is not allowed."""

    target: tuple[int, int] | None
    out: list[str]
    depth: int = 0
    elements: int = 0
    root: dict[str, str] | None = None
    in_style: int = 0
    removed: int = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            raise SvgError(f"SVG nested deeper than {MAX_DEPTH} levels")
        if self.elements > MAX_ELEMENTS:
            raise SvgError(f"SVG has more than {MAX_ELEMENTS:,} elements")
        if self.root is None:
            self.root = dict(attrs)
            if name.rpartition(":")[2] != "svg":
                raise SvgError(f"not an SVG document: root element <{name}>")
            if self.target is None:
                raise _Stop
            attrs = self._sized_root(attrs, self.target)
        clean = {}
        for key, value in attrs.items():
            if key == "href" or key.endswith(":href"):
                if not _safe_url(value):
                    self.removed += 1
                    continue
            elif "url(" in value.lower():
                value = _neutralise_urls(value)
            clean[key] = value
        if name == "style" or name.endswith(":style"):
            self.in_style += 1
        rendered = "".join(f" {k}={quoteattr(v)}" for k, v in clean.items())
        self.out.append(f"<{name}{rendered}>")

    def end(self, name: str) -> None:
        self.depth -= 1
        if name == "style" or name.endswith(":style"):
            self.in_style -= 1
        self.out.append(f"</{name}>")

    def text(self, data: str) -> None:
        if self.in_style:
            data = _neutralise_urls(_IMPORT.sub("", data))
        self.out.append(escape(data))

    @staticmethod
    def _sized_root(attrs: dict[str, str], target: tuple[int, int]) -> dict[str, str]:
        attrs = dict(attrs)
        if _view_box(attrs.get("viewBox")) is None:
            width, height = _root_size(attrs)
            attrs["viewBox"] = f"0 0 {width:g} {height:g}"
        attrs["width"], attrs["height"] = str(target[0]), str(target[1])
        return attrs


def _refuse_entity(*args: object) -> None:
    raise SvgError("SVG declares entities (refused: entity expansion)")


def _scan(svg: str, target: tuple[int, int] | None) -> _Scan:
    size = len(svg.encode("utf-8", "replace")) if len(svg) * 4 > MAX_SVG_BYTES else len(svg)
    if size > MAX_SVG_BYTES:
        raise SvgError(f"SVG too large: {size:,} bytes (at most {MAX_SVG_BYTES:,})")
    scan = _Scan(target=target, out=[])
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.buffer_text = True
    parser.ordered_attributes = False
    try:
        parser.Parse(svg.lstrip("\ufeff"), True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        raise SvgError(f"not valid SVG: {expat.errors.messages.get(exc.code, exc)}") from None
    if scan.root is None:
        raise SvgError("not an SVG document: no root element")
    return scan


def svg_size(svg: str) -> tuple[float, float]:
    """The SVG's intrinsic size in pixels, from its root element only (cheap)."""
    scan = _scan(svg, None)
    assert scan.root is not None
    return _root_size(scan.root)


def target_size(size: tuple[float, float], width_px: int,
                max_height_px: int | None = None) -> tuple[int, int]:
    """The raster size for an SVG of ``size`` drawn ``width_px`` wide, within
    ``max_height_px`` (aspect ratio kept, at most :data:`MAX_SIDE_PX` a side)."""
    width, height = size
    out_w = max(1, min(MAX_SIDE_PX, int(width_px)))
    out_h = max(1, round(out_w * height / width))
    limit = min(MAX_SIDE_PX, max_height_px or MAX_SIDE_PX)
    if out_h > limit:
        out_h = limit
        out_w = max(1, min(out_w, round(limit * width / height)))
    return (out_w, out_h)


def sanitize_svg(svg: str, width_px: int, max_height_px: int | None = None
                 ) -> tuple[str, tuple[int, int]]:
    """The SVG rebuilt without entities, comments or external references and sized to its
    raster size; returns it with that size (width, height) in pixels."""
    root = _scan(svg, None).root
    assert root is not None
    target = target_size(_root_size(root), width_px, max_height_px)
    return "".join(_scan(svg, target).out), target


_WORKER_CODE = r"""
import os, resource, select, struct, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import resvg_py

def read_exact(n):
    chunks = []
    while n:
        chunk = os.read(0, min(n, 1 << 20))
        if not chunk:
            sys.exit(0)
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)

def write_all(data):
    while data:
        data = data[os.write(1, data):]

while select.select([0], [], [], float(sys.argv[2]))[0]:
    size, width, height = struct.unpack(">III", read_exact(12))
    svg = read_exact(size).decode("utf-8", "replace")
    try:
        png = resvg_py.svg_to_bytes(svg_string=svg, width=width, height=height, dpi=96.0)
        write_all(b"K" + struct.pack(">I", len(png)) + png)
    except BaseException as exc:
        message = (type(exc).__name__ + ": " + str(exc)).encode("utf-8", "replace")[:500]
        write_all(b"E" + struct.pack(">I", len(message)) + message)
"""


class _Worker:
    """The resvg process: one SVG at a time, restarted after a timeout, a crash or idling."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._last_use = 0.0

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE, str(WORKER_MEMORY), str(WORKER_IDLE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True)

    def stop(self) -> None:
        """End the worker process, if any."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()

    def render(self, svg: str, size: tuple[int, int], timeout: float) -> bytes:
        """PNG bytes of the (already sanitised) ``svg`` at ``size``."""
        payload = svg.encode("utf-8")
        request = struct.pack(">III", len(payload), size[0], size[1]) + payload
        with self._lock:
            deadline = time.monotonic() + timeout
            stale = time.monotonic() - self._last_use > WORKER_IDLE - 0.5
            if self._proc is None or self._proc.poll() is not None or stale:
                self._stop()
                self._proc = self._start()
            proc = self._proc
            try:
                status, body = self._exchange(proc, request, deadline)
            except SvgError:
                self._stop()
                raise
            finally:
                self._last_use = time.monotonic()
        if status != b"K":
            raise SvgError(f"cannot draw SVG: {body.decode('utf-8', 'replace')}")
        return body

    def _exchange(self, proc: subprocess.Popen[bytes], request: bytes,
                  deadline: float) -> tuple[bytes, bytes]:
        assert proc.stdin is not None and proc.stdout is not None
        out_fd, in_fd = proc.stdin.fileno(), proc.stdout.fileno()
        view = memoryview(request)
        while view:
            if time.monotonic() > deadline:
                raise SvgError("SVG took too long to draw")
            _, ready, _ = select.select([], [out_fd], [], max(0.0, deadline - time.monotonic()))
            if ready:
                try:
                    view = view[os.write(out_fd, view[:65536]):]
                except BrokenPipeError:
                    raise SvgError("SVG renderer crashed") from None
        head = self._read(in_fd, 5, deadline)
        status, length = head[:1], struct.unpack(">I", head[1:])[0]
        return status, self._read(in_fd, length, deadline)

    @staticmethod
    def _read(fd: int, n: int, deadline: float) -> bytes:
        chunks = []
        while n:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise SvgError("SVG took too long to draw")
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise SvgError("SVG renderer crashed")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)


_WORKER = _Worker()
atexit.register(_WORKER.stop)


def stop_worker() -> None:
    """End the resvg worker process (it also ends by itself when idle)."""
    _WORKER.stop()


def svg_to_png(svg: str, width_px: int, *, max_height_px: int | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """``svg`` drawn ``width_px`` wide (within ``max_height_px``) as PNG bytes. Raises
    :class:`SvgError` with the reason for an unsafe, broken or too slow SVG."""
    clean, size = sanitize_svg(svg, width_px, max_height_px)
    return _WORKER.render(clean, size, timeout)
