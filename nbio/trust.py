"""Notebook trust: signatures compatible with ``nbformat.sign.NotebookNotary``.

``jupyter trust`` and jupyter-tui share one trust store: the same secret file
(``<data dir>/notebook_secret``), the same SQLite database (``<data dir>/nbsignatures.db``, table
``nbsignatures``), the same algorithm (HMAC-SHA256 over nbformat's ``yield_everything`` byte
stream) and the same culling rule. The data directory is resolved as jupyter_core does
(:func:`nbio.jupyter_paths.jupyter_data_dir`).

The signature covers the notebook as nbformat holds it in memory after reading (which is what
:func:`nbio.read` gives): every key of the v4 document except ``metadata.signature`` and the
``trusted`` flags of cell metadata (nbformat strips both when reading a file, so they never
count; here they are skipped while hashing, without changing the notebook).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from nbio.jupyter_paths import jupyter_data_dir
from nbio.lines import TRANSIENT_NB_KEYS
from nbio.model import Cell, JSONDict, Notebook

__all__ = [
    "ALGORITHMS",
    "MemorySignatureStore",
    "NotebookNotary",
    "SQLiteSignatureStore",
    "SignatureStore",
    "trust_on_open",
    "yield_everything",
]

log = logging.getLogger(__name__)

ALGORITHMS = tuple(sorted(a for a in hashlib.algorithms_guaranteed if not a.startswith("shake_")))
"""Digest algorithms nbformat accepts (``shake_*`` need a length, so HMAC cannot use them)."""

CACHE_SIZE = 65535
"""nbformat's default number of signatures kept before culling."""

_UNSAFE_OUTPUT_TYPES = ("execute_result", "display_data")
_SAFE_OUTPUT_KEYS = frozenset({"output_type", "execution_count", "metadata"})


def yield_everything(obj: Any) -> Iterator[bytes]:
    """nbformat's byte stream for hashing: dict keys sorted, each key then its value; list
    items in order; strings as UTF-8; anything else as ``str(value)`` in UTF-8."""
    if isinstance(obj, dict):
        for key in sorted(obj):
            yield key.encode()
            yield from yield_everything(obj[key])
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from yield_everything(item)
    elif isinstance(obj, str):
        yield obj.encode("utf8")
    else:
        yield str(obj).encode("utf8")


class SignatureStore(Protocol):
    """Where signatures are remembered (nbformat's ``SignatureStore`` interface)."""

    def store_signature(self, digest: str, algorithm: str) -> None: ...
    def check_signature(self, digest: str, algorithm: str) -> bool: ...
    def remove_signature(self, digest: str, algorithm: str) -> None: ...
    def close(self) -> None: ...


class MemorySignatureStore:
    """Signatures kept for this process only (an LRU, culled by a quarter when full)."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self.data: OrderedDict[tuple[str, str], None] = OrderedDict()

    def store_signature(self, digest: str, algorithm: str) -> None:
        key = (digest, algorithm)
        self.data.pop(key, None)
        self.data[key] = None
        if len(self.data) >= self.cache_size:
            for _ in range(len(self.data) // 4):
                self.data.popitem(last=False)

    def check_signature(self, digest: str, algorithm: str) -> bool:
        key = (digest, algorithm)
        if key in self.data:
            self.data.move_to_end(key)
            return True
        return False

    def remove_signature(self, digest: str, algorithm: str) -> None:
        self.data.pop((digest, algorithm), None)

    def close(self) -> None:
        """Nothing to release."""


def _now() -> str:
    # what nbformat stores: datetime.now(tz=timezone.utc) through its isoformat adapter
    return datetime.now(tz=timezone.utc).isoformat()


class SQLiteSignatureStore:
    """The ``nbsignatures`` table of nbformat's ``SQLiteSignatureStore``.

    A database that cannot be opened is renamed to ``<file>.bak`` and made anew (nbformat does
    the same, with a warning); if that fails too, signatures live in memory for this session.
    One store may be used from several threads (a save signs from its writing thread): every
    operation holds a lock.
    """

    def __init__(self, db_file: str | Path, cache_size: int = CACHE_SIZE) -> None:
        self.db_file = str(db_file)
        self.cache_size = cache_size
        self._lock = threading.RLock()
        self.db: sqlite3.Connection | None = self._connect(self.db_file)

    @staticmethod
    def _open(db_file: str) -> sqlite3.Connection:
        return sqlite3.connect(db_file, check_same_thread=False)

    def _connect(self, db_file: str) -> sqlite3.Connection:
        db: sqlite3.Connection | None = None
        try:
            db = self._open(db_file)
            self._init_db(db)
            return db
        except sqlite3.DatabaseError:
            if db is not None:
                db.close()
            if db_file == ":memory:":
                raise
        backup = db_file + ".bak"
        log.warning(
            "The signatures database %s cannot be opened (corrupt or encrypted?); it was renamed "
            "to %s and a new one was created. Notebooks trusted before are untrusted now.",
            db_file,
            backup,
        )
        db = None
        try:
            Path(db_file).replace(backup)
            db = self._open(db_file)
            self._init_db(db)
            return db
        except (sqlite3.DatabaseError, OSError):
            if db is not None:
                db.close()
            log.warning(
                "Could not create the signatures database %s; trust is kept in memory for "
                "this session only.",
                db_file,
            )
            self.db_file = ":memory:"
            db = self._open(":memory:")
            self._init_db(db)
            return db

    @staticmethod
    def _init_db(db: sqlite3.Connection) -> None:
        db.execute(
            """
            CREATE TABLE IF NOT EXISTS nbsignatures
            (
                id integer PRIMARY KEY AUTOINCREMENT,
                algorithm text,
                signature text,
                path text,
                last_seen timestamp
            )"""
        )
        db.execute("CREATE INDEX IF NOT EXISTS algosig ON nbsignatures(algorithm, signature)")
        db.commit()

    def _store_signature(self, digest: str, algorithm: str) -> None:
        """Insert the signature, or refresh its ``last_seen``; cull when over ``cache_size``."""
        if self.db is None:
            return
        if not self._check_signature(digest, algorithm):
            self.db.execute(
                "INSERT INTO nbsignatures (algorithm, signature, last_seen) VALUES (?, ?, ?)",
                (algorithm, digest, _now()),
            )
            self.db.commit()
        (count,) = self.db.execute("SELECT Count(*) FROM nbsignatures").fetchone()
        if count > self.cache_size:
            self._cull()

    def _check_signature(self, digest: str, algorithm: str) -> bool:
        """Whether the signature is stored; a hit refreshes ``last_seen`` (as nbformat)."""
        if self.db is None:
            return False
        row = self.db.execute(
            "SELECT id FROM nbsignatures WHERE algorithm = ? AND signature = ?",
            (algorithm, digest),
        ).fetchone()
        if row is None:
            return False
        self.db.execute(
            "UPDATE nbsignatures SET last_seen = ? WHERE algorithm = ? AND signature = ?",
            (_now(), algorithm, digest),
        )
        self.db.commit()
        return True

    def _remove_signature(self, digest: str, algorithm: str) -> None:
        if self.db is None:
            return
        self.db.execute(
            "DELETE FROM nbsignatures WHERE algorithm = ? AND signature = ?", (algorithm, digest)
        )
        self.db.commit()

    def _cull(self) -> None:
        """Keep the ``int(0.75 * cache_size)`` most recently seen signatures."""
        if self.db is None:
            return
        self.db.execute(
            "DELETE FROM nbsignatures WHERE id IN ("
            "SELECT id FROM nbsignatures ORDER BY last_seen DESC LIMIT -1 OFFSET ?)",
            (max(int(0.75 * self.cache_size), 1),),
        )
        self.db.commit()

    def store_signature(self, digest: str, algorithm: str) -> None:
        """Insert the signature, or refresh its ``last_seen``; cull when over ``cache_size``."""
        with self._lock:
            self._store_signature(digest, algorithm)

    def check_signature(self, digest: str, algorithm: str) -> bool:
        """Whether the signature is stored; a hit refreshes ``last_seen`` (as nbformat)."""
        with self._lock:
            return self._check_signature(digest, algorithm)

    def remove_signature(self, digest: str, algorithm: str) -> None:
        """Forget the signature."""
        with self._lock:
            self._remove_signature(digest, algorithm)

    def cull(self) -> None:
        """Keep the ``int(0.75 * cache_size)`` most recently seen signatures."""
        with self._lock:
            self._cull()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self.db is not None:
                self.db.close()
                self.db = None


def _signed_view(nb: Notebook | JSONDict, *, as_saved: bool = False) -> JSONDict:
    """The notebook dict without ``metadata.signature`` and cell ``trusted`` flags (shallow
    copies where something is left out; nothing is changed). ``as_saved``: without every
    transient key the writer drops (``orig_nbformat*`` too), i.e. as the saved file reads."""
    view = nb.to_dict() if isinstance(nb, Notebook) else dict(nb)
    metadata = view.get("metadata")
    dropped = TRANSIENT_NB_KEYS if as_saved else ("signature",)
    if isinstance(metadata, dict) and any(k in metadata for k in dropped):
        view["metadata"] = {k: v for k, v in metadata.items() if k not in dropped}
    cells = []
    for data in view.get("cells", []):
        meta = data.get("metadata") if isinstance(data, dict) else None
        if isinstance(meta, dict) and "trusted" in meta:
            data = dict(data)
            data["metadata"] = {k: v for k, v in meta.items() if k != "trusted"}
        cells.append(data)
    view["cells"] = cells
    return view


def _rich(cell_data: JSONDict) -> bool:
    outputs = cell_data.get("outputs")
    return isinstance(outputs, list) and any(
        isinstance(output, dict) and output.get("output_type") in _UNSAFE_OUTPUT_TYPES
        and set(output) - _SAFE_OUTPUT_KEYS
        for output in outputs
    )


class NotebookNotary:
    """Sign and check notebooks, sharing ``jupyter trust``'s secret and database.

    ``data_dir`` defaults to the Jupyter data directory (created, mode 0700, when the secret
    has to be written). ``secret`` overrides the secret file; ``db_file=":memory:"`` keeps
    signatures for this process only (the usual fix on network file systems); ``store``
    replaces the database altogether. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        secret: bytes | None = None,
        secret_file: Path | str | None = None,
        db_file: Path | str | None = None,
        algorithm: str = "sha256",
        store: SignatureStore | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r} (one of {', '.join(ALGORITHMS)})")
        self.data_dir = Path(data_dir) if data_dir is not None else jupyter_data_dir()
        self.algorithm = algorithm
        self.secret_file = (
            Path(secret_file) if secret_file is not None else self.data_dir / "notebook_secret"
        )
        self._secret = secret
        if store is None:
            if db_file is None:
                db_file = self.data_dir / "nbsignatures.db"
                try:
                    self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                except OSError as e:
                    log.warning("Cannot create %s (%s); trust is kept in memory for this "
                                "session only.", self.data_dir, e)
                    db_file = ":memory:"
            store = SQLiteSignatureStore(db_file, cache_size)
        self.store: SignatureStore = store

    # secret ----------------------------------------------------------------------------------
    @property
    def secret(self) -> bytes:
        """The HMAC key: the secret file's bytes as they are (created on first use the way
        nbformat does: base64 text of 1024 random bytes, mode 0600)."""
        if self._secret is None:
            try:
                self._secret = self.secret_file.read_bytes()
            except FileNotFoundError:
                self._secret = self._write_secret(base64.encodebytes(os.urandom(1024)))
        return self._secret

    def _write_secret(self, secret: bytes) -> bytes:
        self.secret_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        log.info("Wrote notebook-signing key to %s", self.secret_file)
        return secret

    # signatures ------------------------------------------------------------------------------
    def compute_signature(self, nb: Notebook) -> str:
        """The lowercase hex HMAC of the notebook (see the module docstring)."""
        return self._hmac(_signed_view(nb))

    def saved_signature(self, d: JSONDict) -> str:
        """The signature nbformat will compute for the file written from the notebook dict
        ``d`` (the writer's dict, ids already given): transient keys and ``trusted`` flags
        left out, as they are left out of the file."""
        return self._hmac(_signed_view(d, as_saved=True))

    def _hmac(self, view: JSONDict) -> str:
        mac = hmac.new(self.secret, digestmod=getattr(hashlib, self.algorithm))
        batch: list[bytes] = []
        for piece in yield_everything(view):
            batch.append(piece)
            if len(batch) >= 4096:
                mac.update(b"".join(batch))
                batch.clear()
        mac.update(b"".join(batch))
        return mac.hexdigest()

    def check_signature(self, nb: Notebook) -> bool:
        """Whether this exact notebook was signed on this machine (by us or by Jupyter)."""
        if nb.nbformat < 3:
            return False
        return self.store.check_signature(self.compute_signature(nb), self.algorithm)

    def sign(self, nb: Notebook) -> None:
        """Record the notebook as trusted."""
        if nb.nbformat < 3:
            return
        self.store.store_signature(self.compute_signature(nb), self.algorithm)

    def unsign(self, nb: Notebook) -> None:
        """Forget the notebook's signature (it becomes untrusted)."""
        self.store.remove_signature(self.compute_signature(nb), self.algorithm)

    # cells -----------------------------------------------------------------------------------
    def mark_cells(self, nb: Notebook, trusted: bool) -> None:
        """Set ``metadata.trusted`` on every code cell, as the Jupyter server does on load
        (the flags never reach disk: nbio's writer, like nbformat's, drops them)."""
        if nb.nbformat < 3:
            return
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.metadata["trusted"] = trusted

    @staticmethod
    def _check_cell(cell: Cell) -> bool:
        if cell.metadata.pop("trusted", False):
            return True
        return not any(
            output.get("output_type") in _UNSAFE_OUTPUT_TYPES and set(output) - _SAFE_OUTPUT_KEYS
            for output in cell.outputs
        )

    def check_cells(self, nb: Notebook) -> bool:
        """nbformat's ``check_cells``: True when every code cell is marked trusted or has no
        rich output (``display_data``/``execute_result`` with data). Like nbformat it removes
        the ``trusted`` flags it reads."""
        if nb.nbformat < 3:
            return False
        trusted = True
        for cell in nb.cells:
            if cell.cell_type == "code" and not self._check_cell(cell):
                trusted = False
        return trusted

    def cells_trusted(self, nb: Notebook | JSONDict) -> bool:
        """:meth:`check_cells` without its side effect (the ``trusted`` flags stay): what a save
        asks before signing. True when every code cell is marked trusted or has no rich
        output."""
        d = nb.to_dict() if isinstance(nb, Notebook) else nb
        if not isinstance(d.get("nbformat"), int) or d["nbformat"] < 3:
            return False
        for data in d.get("cells", []):
            if not isinstance(data, dict) or data.get("cell_type") != "code":
                continue
            meta = data.get("metadata")
            if isinstance(meta, dict) and meta.get("trusted"):
                continue
            if _rich(data):
                return False
        return True

    def check_and_sign(self, nb: Notebook) -> bool:
        """What the Jupyter server does on save: sign when :meth:`check_cells` passes.
        Returns whether the notebook was signed."""
        if self.check_cells(nb):
            self.sign(nb)
            return True
        return False

    # lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Release the signature store."""
        self.store.close()

    def __enter__(self) -> NotebookNotary:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def trust_on_open(nb: Notebook, notary: NotebookNotary) -> bool:
    """What the Jupyter server does when it opens a notebook: check its signature and mark
    every code cell ``metadata.trusted`` accordingly; return whether it is trusted.

    The flags never reach the file (the writer drops them) but they carry the trust to the
    save: ``nbio.write(nb, notary=notary)`` signs the saved notebook when every code cell is
    marked trusted or has no rich output (new cells the user ran should be marked trusted,
    as JupyterLab marks the cells it executes). A notebook that cannot be signed (a lone
    surrogate in its text) is untrusted.
    """
    try:
        trusted = notary.check_signature(nb)
    except UnicodeEncodeError:
        trusted = False
    notary.mark_cells(nb, trusted)
    return trusted
