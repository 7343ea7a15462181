"""The in-memory notebook model.

A :class:`Notebook` holds the v4 document exactly as nbformat holds it in memory after
``nbformat.reads(..., as_version=4)``: plain dicts and lists, multiline strings joined into one
``str``. :class:`Cell` is a thin typed view over one cell dict; every key it was given (unknown
ones included) stays in that dict, so writing it back loses nothing.

Outputs are plain nbformat output dicts (``{"output_type": "stream", "name": ..., "text": ...}``
and so on); :mod:`nbio.outputs` builds them from kernel messages.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSONDict = dict[str, Any]
"""A JSON object as the json module returns it."""

Output = JSONDict
"""One nbformat output dict (stream, display_data, execute_result, error, or unknown)."""

CELL_TYPES = ("code", "markdown", "raw")


def default_id_factory() -> str:
    """Return a new cell id the way nbformat makes them: ``uuid4().hex[:8]``."""
    import uuid

    return uuid.uuid4().hex[:8]


IdFactory = Callable[[], str]
"""A callable returning a fresh cell id; tests inject one to reproduce nbformat's ids."""


class Cell:
    """A typed view over one cell dict.

    ``Cell(d).data is d``: edits through the properties change the dict in place, and keys this
    class does not know about are kept untouched.
    """

    __slots__ = ("data",)

    def __init__(self, data: JSONDict) -> None:
        self.data = data

    # construction -------------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        cell_type: str = "code",
        source: str = "",
        *,
        cell_id: str | None = None,
        metadata: JSONDict | None = None,
    ) -> Cell:
        """Make a fresh cell of ``cell_type`` as ``nbformat.v4.new_*_cell`` would."""
        data: JSONDict = {
            "cell_type": cell_type,
            "id": cell_id if cell_id is not None else default_id_factory(),
            "metadata": metadata if metadata is not None else {},
            "source": source,
        }
        if cell_type == "code":
            data["execution_count"] = None
            data["outputs"] = []
        return cls(data)

    # typed access -------------------------------------------------------------------------
    @property
    def cell_type(self) -> str:
        """``"code"``, ``"markdown"``, ``"raw"``, or whatever an unknown-type cell says."""
        return str(self.data.get("cell_type", ""))

    @cell_type.setter
    def cell_type(self, value: str) -> None:
        self.data["cell_type"] = value

    @property
    def id(self) -> str | None:
        """The cell id (absent before format 4.5)."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @id.setter
    def id(self, value: str | None) -> None:
        if value is None:
            self.data.pop("id", None)
        else:
            self.data["id"] = value

    @property
    def source(self) -> str:
        """The cell's text, always one string in memory."""
        value = self.data.get("source", "")
        if isinstance(value, list):
            return "".join(value)
        return str(value)

    @source.setter
    def source(self, value: str) -> None:
        self.data["source"] = value

    @property
    def metadata(self) -> JSONDict:
        """The cell metadata dict (created empty if missing)."""
        value = self.data.get("metadata")
        if not isinstance(value, dict):
            value = {}
            self.data["metadata"] = value
        return value

    @property
    def outputs(self) -> list[Output]:
        """The outputs list of a code cell (``[]`` for other types, not stored)."""
        value = self.data.get("outputs")
        if isinstance(value, list):
            return value
        if self.cell_type == "code":
            value = []
            self.data["outputs"] = value
            return value
        return []

    @outputs.setter
    def outputs(self, value: list[Output]) -> None:
        self.data["outputs"] = value

    @property
    def execution_count(self) -> int | None:
        """The execution count of a code cell, or ``None``."""
        value = self.data.get("execution_count")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @execution_count.setter
    def execution_count(self, value: int | None) -> None:
        self.data["execution_count"] = value

    @property
    def attachments(self) -> JSONDict | None:
        """Attachments of a markdown or raw cell, or ``None`` when the key is absent."""
        value = self.data.get("attachments")
        return value if isinstance(value, dict) else None

    def __repr__(self) -> str:
        src = self.source
        short = src if len(src) < 30 else src[:27] + "..."
        return f"Cell({self.cell_type!r}, id={self.id!r}, source={short!r})"


RACY_NS = 2_000_000_000
"""A file whose status changed less than this long before it was stamped is *racy*: another
write in the same file-system clock tick would leave its timestamps as they were, so only its
hash can tell (git's "racy clean" problem)."""


@dataclass
class DiskStamp:
    """What a file looked like when we read (or wrote) it, to notice later changes on disk.

    ``sha256`` is the hex SHA-256 of the file's bytes: the ``hash`` a Jupyter Server's contents
    API reports (``hash_algorithm`` ``"sha256"``), and what decides whether the file changed.
    ``mtime_ns``, ``size``, ``ino`` and ``ctime_ns`` are the fast path: while all four are as
    recorded the bytes are taken as unchanged without reading them. ``ctime_ns`` cannot be set
    by other programs (putting the mtime back with ``touch -d`` or ``os.utime`` moves it), and
    ``racy`` (see :data:`RACY_NS`) makes :func:`nbio.disk_state` hash the file until its
    timestamps are old enough to trust. ``ino``/``ctime_ns`` are ``None`` in stamps made
    without them (then only mtime and size are compared before hashing).
    """

    mtime_ns: int
    size: int
    sha256: str
    ino: int | None = None
    ctime_ns: int | None = None
    racy: bool = False

    @classmethod
    def of(cls, st: os.stat_result, sha256: str) -> DiskStamp:
        """The stamp of a file with status ``st`` and bytes hashing to ``sha256``."""
        return cls(mtime_ns=st.st_mtime_ns, size=st.st_size, sha256=sha256, ino=st.st_ino,
                   ctime_ns=st.st_ctime_ns, racy=is_racy(st))

    def same_status(self, st: os.stat_result) -> bool:
        """Whether ``st`` shows the file as stamped (size, mtime, and inode and ctime when
        recorded); says nothing about racy stamps, whose bytes must be compared anyway."""
        return (st.st_size == self.size and st.st_mtime_ns == self.mtime_ns
                and self.ino in (None, st.st_ino) and self.ctime_ns in (None, st.st_ctime_ns))

    def refresh(self, st: os.stat_result) -> None:
        """Take ``st``'s timestamps and inode (the bytes were found unchanged)."""
        self.mtime_ns, self.size = st.st_mtime_ns, st.st_size
        self.ino, self.ctime_ns, self.racy = st.st_ino, st.st_ctime_ns, is_racy(st)


def is_racy(st: os.stat_result) -> bool:
    """Whether the file's status changed too recently (:data:`RACY_NS`) for its timestamps to
    tell a later write apart."""
    latest = max(st.st_mtime_ns, st.st_ctime_ns)
    return abs(time.time_ns() - latest) < RACY_NS


def _plain(value: Any) -> Any:
    """``value`` with every dict and list subclass (e.g. ``NotebookNode``) made plain."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass
class Notebook:
    """A v4 notebook in memory.

    ``cells`` are :class:`Cell` views; ``extra`` holds unknown top-level keys (future minors);
    ``nbformat_minor`` is ``None`` when the file did not declare one. ``path`` and
    ``disk_stamp`` are set by :func:`nbio.read` and used by :func:`nbio.write`.
    """

    cells: list[Cell] = field(default_factory=list)
    metadata: JSONDict = field(default_factory=dict)
    nbformat: int = 4
    nbformat_minor: int | None = 5
    extra: JSONDict = field(default_factory=dict)
    path: Path | None = None
    disk_stamp: DiskStamp | None = None

    @classmethod
    def from_dict(cls, data: JSONDict) -> Notebook:
        """Wrap a v4 in-memory dict (strings already joined). The cell dicts are shared.

        A notebook made of dict subclasses (nbformat's ``NotebookNode``) is copied into plain
        dicts and lists first: nbio's writers treat only plain ones as notebook structure.
        """
        cells_value = data.get("cells", [])
        if type(data) is not dict or (type(cells_value) is list and not all(
                type(c) is dict for c in cells_value)):
            data = _plain(data)
        extra = {
            k: v
            for k, v in data.items()
            if k not in ("cells", "metadata", "nbformat", "nbformat_minor")
        }
        cells_value = data.get("cells", [])
        cells = [Cell(c) for c in cells_value] if isinstance(cells_value, list) else []
        minor = data.get("nbformat_minor")
        metadata = data.get("metadata")
        return cls(
            cells=cells,
            metadata=metadata if isinstance(metadata, dict) else {},
            nbformat=data.get("nbformat", 4),
            nbformat_minor=minor if "nbformat_minor" in data else None,
            extra=extra,
        )

    def to_dict(self) -> JSONDict:
        """The nbformat-style dict of this notebook (cells' dicts shared, not copied)."""
        out: JSONDict = dict(self.extra)
        out["cells"] = [c.data for c in self.cells]
        out["metadata"] = self.metadata
        out["nbformat"] = self.nbformat
        if self.nbformat_minor is not None:
            out["nbformat_minor"] = self.nbformat_minor
        return out

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def cell_by_id(self, cell_id: str) -> Cell | None:
        """The cell with this id, or ``None``."""
        for cell in self.cells:
            if cell.id == cell_id:
                return cell
        return None

    def index_of(self, cell: Cell) -> int:
        """Position of ``cell`` (by identity) in the notebook."""
        for i, c in enumerate(self.cells):
            if c is cell:
                return i
        raise ValueError("cell not in notebook")

    @property
    def language(self) -> str | None:
        """The notebook's language from language_info or the kernelspec, if known."""
        info = self.metadata.get("language_info")
        if isinstance(info, dict) and isinstance(info.get("name"), str):
            return str(info["name"])
        spec = self.metadata.get("kernelspec")
        if isinstance(spec, dict) and isinstance(spec.get("language"), str):
            return str(spec["language"])
        return None

    @property
    def kernel_name(self) -> str | None:
        """``metadata.kernelspec.name`` if present."""
        spec = self.metadata.get("kernelspec")
        if isinstance(spec, dict) and isinstance(spec.get("name"), str):
            return str(spec["name"])
        return None

    @classmethod
    def new(cls, kernel_name: str | None = None, *, display_name: str | None = None,
            language: str | None = None) -> Notebook:
        """A new empty 4.5 notebook with one empty code cell."""
        metadata: JSONDict = {}
        if kernel_name:
            metadata["kernelspec"] = {
                "name": kernel_name,
                "display_name": display_name or kernel_name,
            }
            if language:
                metadata["kernelspec"]["language"] = language
                metadata["language_info"] = {"name": language}
        return cls(cells=[Cell.new("code")], metadata=metadata)
