"""Writing notebooks byte for byte as nbformat does, atomically.

``writes(nb)`` returns exactly ``nbformat.writes(nb)``: multiline strings split as nbformat
splits them, transient keys (``metadata.orig_nbformat*``, ``metadata.signature``, cell
``metadata.trusted``) dropped, then ``json.dumps(indent=1, sort_keys=True, ensure_ascii=False)``
layout. Like nbformat's writer, a 4.5+ notebook first gets ids for cells without one and fresh
ids for duplicates (in place). ``write(nb, path)`` saves that string plus ``"\\n"`` atomically;
it is :func:`prepare_write` (serialise: the snapshot, on the caller's thread) then
:func:`commit_write` (check the file on disk, write atomically: safe in a worker thread).

With orjson installed (:mod:`nbio.accel`) the bytes come from :mod:`nbio.fastwrite`; anything
it cannot write exactly falls back to :mod:`nbio.jsonwrite`, the standard-library reference.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from nbio import accel
from nbio.atomic import atomic_write_bytes
from nbio.diskstate import DiskState, disk_state
from nbio.errors import FileChangedError, NotebookError, ReadOnlyError
from nbio.fsinfo import os_error_reason
from nbio.jsonread import Hasher
from nbio.jsonwrite import dumps_notebook, dumps_notebook_utf8
from nbio.model import DiskStamp, IdFactory, Notebook, default_id_factory
from nbio.reader import CURRENT_MINOR, repair_ids
from nbio.schema import short
from nbio.text.extensions import TEXT_SUFFIXES

if TYPE_CHECKING:
    from nbio.trust import NotebookNotary


def _prepared(nb: Notebook, id_factory: IdFactory | None) -> dict[str, Any]:
    d = nb.to_dict()
    minor = nb.nbformat_minor
    if nb.nbformat == 4 and isinstance(minor, int) and minor >= CURRENT_MINOR:
        repair_ids(d["cells"], id_factory or default_id_factory, nb.path)
    return d


def _fast_bytes(d: dict[str, Any]) -> bytearray | None:
    """The notebook's bytes from :mod:`nbio.fastwrite`, or None to use the reference path."""
    if not accel.ENABLED:
        return None
    from nbio import fastwrite

    try:
        return fastwrite.dumps_notebook(d)
    except fastwrite.FALLBACK_ERRORS:
        return None


def writes(nb: Notebook, *, id_factory: IdFactory | None = None) -> str:
    """The exact string ``nbformat.writes`` returns for this notebook (no trailing newline)."""
    d = _prepared(nb, id_factory)
    data = _fast_bytes(d)
    return dumps_notebook(d) if data is None else data.decode("utf-8")


def _utf8(d: dict[str, Any], path: Path) -> bytes:
    data = _fast_bytes(d)
    if data is not None:
        data += b"\n"
        return cast(bytes, data)  # a bytearray: hashed and written as it is, never copied
    try:
        return dumps_notebook_utf8(d) + b"\n"
    except UnicodeEncodeError as e:
        char = e.object[e.start]
        raise NotebookError(
            f"cannot be saved as UTF-8: it contains the lone surrogate U+{ord(char):04X} "
            f"(in {short(e.object[max(0, e.start - 20):e.start + 1])})",
            path=path,
        ) from None


@dataclass(frozen=True)
class PreparedWrite:
    """A notebook serialised for saving: the snapshot :func:`commit_write` puts on disk.

    ``data`` is the file's bytes (``writes(nb) + "\\n"`` as UTF-8), taken when
    :func:`prepare_write` ran: later edits to the notebook do not change it. ``expected`` is the
    :class:`DiskStamp` the target must still have (None when the notebook was not read from
    ``target`` or has no stamp: nothing to check). ``signature`` is what the saved file will
    be signed with once written (``None``: not signed), by ``notary``.
    """

    target: Path
    data: bytes
    expected: DiskStamp | None
    signature: str | None = None
    notary: NotebookNotary | None = None


def _expected_stamp(nb: Notebook, target: Path) -> DiskStamp | None:
    stamp = nb.disk_stamp
    if stamp is None or nb.path is None:
        return None
    try:
        if os.path.realpath(nb.path) != os.path.realpath(target):
            return None
    except OSError:
        return None
    return stamp


def _changed_on_disk(expected: DiskStamp | None, target: Path) -> bool:
    """Other bytes than ``expected`` are at ``target`` (a deleted file is no conflict)."""
    if expected is None:
        return False
    return disk_state(target, expected) is DiskState.CHANGED


def _signature(d: dict[str, Any], notary: NotebookNotary | None) -> str | None:
    if notary is None or not notary.cells_trusted(d):
        return None
    try:
        return notary.saved_signature(d)
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 form to sign (nor to save)
        return None


def prepare_write(nb: Notebook, path: str | Path | None = None, *,
                  id_factory: IdFactory | None = None,
                  notary: NotebookNotary | None = None) -> PreparedWrite:
    """Serialise ``nb`` now (on the caller's thread): the snapshot a save writes.

    ``path`` defaults to ``nb.path``. Like :func:`write`, a 4.5+ notebook first gets ids for
    cells without one (in place). With a ``notary`` the saved file is signed as the Jupyter
    server signs what it saves: when every code cell is marked trusted or has no rich output
    (see :func:`nbio.trust.trust_on_open`); :func:`commit_write` stores the signature once
    the file is written. Raises :class:`~nbio.errors.NotebookError` when the notebook cannot
    be saved as UTF-8, ``ValueError`` when there is no path. A target whose suffix is in
    :data:`nbio.text.PERCENT_SUFFIXES` (``foo.py``) is written as a percent script, a ``.md``
    one as jupytext markdown, without outputs (:func:`nbio.text.writes_percent`).
    """
    if path is None:
        if nb.path is None:
            raise ValueError("write() needs a path for a notebook that was not read from a file")
        path = nb.path
    target = Path(path)
    if target.suffix in TEXT_SUFFIXES:  # a text notebook: no outputs, nothing to sign
        from nbio.text import percent_bytes

        return PreparedWrite(target=target, data=percent_bytes(nb, target),
                             expected=_expected_stamp(nb, target))
    d = _prepared(nb, id_factory)
    data = _utf8(d, target)  # may be a fresh bytearray: not copied
    signature = _signature(d, notary)
    return PreparedWrite(target=target, data=data, expected=_expected_stamp(nb, target),
                         signature=signature, notary=notary if signature else None)


def commit_write(prepared: PreparedWrite, *, force: bool = False) -> DiskStamp:
    """Put a prepared snapshot on disk atomically and return the new file's stamp.

    Thread-safe: touches no notebook, only the file system (and the notary's signature store,
    which locks), so it can run in a worker thread. Refuses with
    :class:`~nbio.errors.FileChangedError` when the target changed on disk since it was read
    (other bytes than ``prepared.expected``, by hash) unless ``force``, and with
    :class:`~nbio.errors.ReadOnlyError` when the target is read-only (``force`` or not). A
    file with several hard links is written in place, so the links stay (see
    :mod:`nbio.atomic`); stale temp files of earlier saves of it are removed. Any failure
    (disk full, permission denied, a crash mid-write) leaves the old file as it was and
    raises :class:`~nbio.errors.NotebookError`.
    """
    target = prepared.target
    try:
        changed = not force and _changed_on_disk(prepared.expected, target)
    except OSError as e:
        raise NotebookError(f"could not save: {os_error_reason(e, target)}", path=target) from e
    if changed:
        raise FileChangedError(
            "the file changed on disk since it was read; reload it or save with force=True",
            path=target,
        )
    data = prepared.data
    hasher = Hasher(data)  # overlaps the write and fsync for large files
    try:
        written = atomic_write_bytes(target, data)
        st = os.stat(written)
    except ReadOnlyError:
        hasher.result()
        raise
    except OSError as e:
        hasher.result()
        reason = os_error_reason(e, target, writing=True)
        raise NotebookError(f"could not save: {reason}", path=target) from e
    if prepared.signature is not None and prepared.notary is not None:
        prepared.notary.store.store_signature(prepared.signature, prepared.notary.algorithm)
    return DiskStamp.of(st, hasher.result())


def write(nb: Notebook, path: str | Path | None = None, *, force: bool = False,
          id_factory: IdFactory | None = None,
          notary: NotebookNotary | None = None) -> None:
    """Write ``writes(nb) + "\\n"`` atomically; refuse if the file changed since read.

    ``path`` defaults to ``nb.path``. When the target is the file ``nb`` was read from and that
    file changed on disk since (other bytes than :attr:`Notebook.disk_stamp` recorded),
    :class:`~nbio.errors.FileChangedError` is raised unless ``force``. Any failure (disk full,
    permission denied, a crash mid-write) leaves the old file as it was and raises
    :class:`~nbio.errors.NotebookError`. On success ``nb.path`` and ``nb.disk_stamp`` describe
    the new file. A read-only target is refused (:class:`~nbio.errors.ReadOnlyError`), a
    hard-linked one written in place; ``notary`` signs the saved file as the Jupyter server
    does (see :func:`prepare_write`). The same as :func:`prepare_write` then
    :func:`commit_write`.
    """
    prepared = prepare_write(nb, path, id_factory=id_factory, notary=notary)
    stamp = commit_write(prepared, force=force)
    nb.path = prepared.target
    nb.disk_stamp = stamp
