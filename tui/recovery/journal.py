"""The journal file format.

One JSON object; the header keys first, the notebook (nbformat JSON, as ``nbio.writes`` makes
it) last::

    {"format": "jupyter-tui-journal", "version": 1, "path": "/abs/nb.ipynb",
     "sha256": "<the file's hash when it was opened, or null>", "pid": 4242,
     "host": "box", "started": 1733300000.12, "written": 1733300042.5,
     "notebook": {...}}

Because the header is written with ASCII escapes and ``"notebook"`` is the last key, the header
can be read from the file's first bytes (:func:`read_header`, for listings) without parsing a
50 MB notebook. Reading a whole journal (:func:`read_journal`) checks everything: JSON that
does not parse or ends early is :class:`DamagedJournal`, another format version is
:class:`OtherVersion`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbio.errors import NotebookError
from nbio.model import Notebook
from nbio.reader import to_v4_dict
from tui.recovery.process import Liveness, ProcessId, liveness

FORMAT = "jupyter-tui-journal"
VERSION = 1
NOTEBOOK_KEY = b', "notebook": '
"""What separates the header from the notebook (it cannot occur inside an escaped string)."""
HEADER_BYTES = 65536
"""How much of the file :func:`read_header` reads."""


class JournalError(Exception):
    """A journal that cannot be used; ``path`` is the journal file."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class DamagedJournal(JournalError):
    """Not a journal, truncated, or not valid JSON."""


class OtherVersion(JournalError):
    """A journal written by another version of the format."""

    def __init__(self, version: object, path: Path) -> None:
        super().__init__(f"journal format version {version!r}, this jtui reads version "
                         f"{VERSION}", path)
        self.version = version


@dataclass(frozen=True)
class JournalHeader:
    """What a journal says about itself."""

    source: Path
    """The notebook's absolute path."""
    source_sha256: str | None
    """The notebook file's sha256 when the writer opened it (None: a new notebook)."""
    writer: ProcessId
    written: float
    """When the journal was written (epoch seconds)."""
    file: Path
    """The journal file itself."""

    def liveness(self) -> Liveness:
        """Whether the process that wrote this journal still runs."""
        return liveness(self.writer)

    def to_json(self) -> dict[str, Any]:
        """The header's keys as they are written (without the notebook)."""
        return {"format": FORMAT, "version": VERSION, "path": str(self.source),
                "sha256": self.source_sha256, "pid": self.writer.pid,
                "host": self.writer.host, "started": self.writer.started,
                "written": self.written}


@dataclass
class Journal:
    """A journal read back: its header and the notebook it holds."""

    header: JournalHeader
    notebook: Notebook


def encode(header: JournalHeader, notebook_json: bytes | bytearray) -> list[bytes | memoryview]:
    """The journal file's bytes, in chunks (the notebook's bytes are not copied):
    ``notebook_json`` is the notebook as ``nbio`` serialises it."""
    head = json.dumps(header.to_json(), ensure_ascii=True)
    body = memoryview(notebook_json)
    while body and body[-1] in (0x0A, 0x20):  # the newline nbio ends with
        body = body[:-1]
    return [head[:-1].encode("ascii"), NOTEBOOK_KEY, body, b"}\n"]


def _header_from(d: Any, path: Path) -> JournalHeader:
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise DamagedJournal("not a jupyter-tui journal", path)
    if d.get("version") != VERSION:
        raise OtherVersion(d.get("version"), path)
    try:
        source = d["path"]
        sha = d["sha256"]
        pid = d["pid"]
        host = d["host"]
        started = d["started"]
        written = d["written"]
    except KeyError as e:
        raise DamagedJournal(f"the header has no {e.args[0]!r}", path) from None
    ok = (isinstance(source, str) and (sha is None or isinstance(sha, str))
          and isinstance(pid, int) and isinstance(host, str)
          and (started is None or isinstance(started, (int, float)))
          and isinstance(written, (int, float)))
    if not ok:
        raise DamagedJournal("the header has values of the wrong type", path)
    return JournalHeader(source=Path(source), source_sha256=sha,
                         writer=ProcessId(pid=pid, host=host,
                                          started=None if started is None else float(started)),
                         written=float(written), file=path)


def _read(path: Path, limit: int | None = None) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read() if limit is None else f.read(limit)
    except OSError as e:
        raise DamagedJournal(f"cannot be read: {e.strerror or e}", path) from None


def read_header(path: Path) -> JournalHeader:
    """The header of a journal, read from its first bytes; checks that the file is complete
    (ends as a journal ends) but does not parse the notebook."""
    head = _read(path, HEADER_BYTES)
    if not head:
        raise DamagedJournal("empty file", path)
    cut = head.find(NOTEBOOK_KEY)
    if cut < 0:
        try:  # a short file: perhaps another version's whole header
            d = json.loads(head)
        except ValueError:
            raise DamagedJournal("truncated or not a journal", path) from None
        _header_from(d, path)  # another version says so
        raise DamagedJournal("the journal holds no notebook", path)
    try:
        d = json.loads(head[:cut] + b"}")
    except ValueError:
        raise DamagedJournal("the header is not valid JSON", path) from None
    header = _header_from(d, path)
    try:
        with open(path, "rb") as f:
            f.seek(-2, 2)
            tail = f.read()
    except OSError as e:
        raise DamagedJournal(f"cannot be read: {e.strerror or e}", path) from None
    if not tail.rstrip(b"\n").endswith(b"}"):
        raise DamagedJournal("truncated (the file ends early)", path)
    return header


def decode(data: bytes, path: Path) -> Journal:
    """Parse a whole journal file's bytes."""
    if not data.strip():
        raise DamagedJournal("empty file", path)
    try:
        d = json.loads(data)
    except (ValueError, RecursionError):
        raise DamagedJournal("truncated or not valid JSON", path) from None
    header = _header_from(d, path)
    raw = d.get("notebook")
    if not isinstance(raw, dict):
        raise DamagedJournal("the journal holds no notebook", path)
    try:
        nb = Notebook.from_dict(to_v4_dict(raw, path=path))
    except NotebookError as e:
        raise DamagedJournal(f"the notebook in it cannot be read: {e}", path) from None
    return Journal(header=header, notebook=nb)


def read_journal(path: Path) -> Journal:
    """Read and check a whole journal (:class:`JournalError` when it cannot be used)."""
    return decode(_read(path), path)
