"""Reading notebooks of every nbformat version into the v4 model.

``reads``/``read`` do what ``nbformat.reads(s, as_version=4)`` / ``nbformat.read`` do, minus
logging: parse, join multiline strings, strip transient keys, upgrade v1/v2/v3 to v4.5 (v4
minors are left alone), and, for 4.5 and newer, add missing cell ids and replace duplicate ones
(nbformat does this inside the ``validate`` call of ``read``). Validation itself is separate:
call :func:`nbio.validate`.

Anything nbformat cannot read raises :class:`~nbio.errors.NotebookError` naming the file, the
place (a JSON path, or a line and column) and the reason. Two differences, both on broken
files: a v4 ``cells`` that is ``{}`` or ``""`` is refused (nbformat reads it as no cells), and
a file on which nbformat's own validator crashes (a ``cell_type`` that is not a string, say) is
read, with :func:`nbio.validate` reporting the problem.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from nbio import accel
from nbio.errors import NotebookError
from nbio.fileread import file_contents
from nbio.fsinfo import os_error_reason
from nbio.jsonread import Hasher, gc_paused, parse_text, parse_utf8
from nbio.lines import TRANSIENT_NB_KEYS, is_json_mime
from nbio.model import DiskStamp, IdFactory, Notebook, default_id_factory
from nbio.text.extensions import TEXT_SUFFIXES
from nbio.upgrade import (
    JSONDict,
    join_strings,
    kind_of,
    read_v2,
    read_v3,
    v1_to_v2,
    v2_to_v3,
    v3_to_v4,
)

CURRENT_MINOR = 5
"""The newest nbformat 4 minor version this package knows."""


class NotebookWarning(UserWarning):
    """Something nbio noticed (and handled) while reading a notebook."""


class NewerMinorWarning(NotebookWarning):
    """The file declares a newer 4.x minor than 4.5; unknown content is kept as is."""


class CellIdRepairWarning(NotebookWarning):
    """A 4.5+ cell had no id, or a duplicate one, and got a fresh id (as nbformat does)."""


def _version(d: JSONDict, path: str | Path | None) -> tuple[int, Any]:
    """(major, minor or None). Minors nbformat itself cannot compare are refused.

    A v3/v4 minor must be an integer (``true`` passes, as in nbformat, whose validation then
    objects); v1/v2 minors are ignored.
    """
    major = d.get("nbformat", 1)
    if type(major) is not int and isinstance(major, (bool, float)) and major in (1, 2):
        major = int(major)  # nbformat finds versions by equality: true or 1.0 is v1, 2.0 is v2
    if type(major) is not int or major not in (1, 2, 3, 4):
        raise NotebookError(
            f"unsupported nbformat version {major!r} (this reader knows 1 to 4)",
            path=path,
            where="/nbformat",
        )
    if "nbformat_minor" not in d or major < 3:
        return major, None
    minor = d["nbformat_minor"]
    if not isinstance(minor, int):  # nbformat asserts an int (a bool passes, as there)
        raise NotebookError(
            f"nbformat_minor must be an integer, not {kind_of(minor)}",
            path=path,
            where="/nbformat_minor",
        )
    if major == 3 and minor > 0:
        raise NotebookError(f"nbformat 3.{minor} does not exist (v3 has only 3.0)",
                            path=path, where="/nbformat_minor")
    return major, minor


# -- v4 in-memory form --------------------------------------------------------------------------
_JSON_MIMES: dict[str, bool] = {}
""":func:`is_json_mime` of the mime types seen (notebooks repeat a few)."""


def _join_bundle(bundle: Any, i: int, where: int | str) -> None:
    """Join a mimebundle's line lists (``where``: output index, or attachment name)."""
    if type(bundle) is not dict:
        name = str(where).replace("~", "~0").replace("/", "~1")
        place = f"outputs/{where}/data" if isinstance(where, int) else f"attachments/{name}"
        raise NotebookError("a mimebundle must be a JSON object", where=f"/cells/{i}/{place}")
    for key, value in bundle.items():
        if type(value) is list:
            json_mime = _JSON_MIMES.get(key)
            if json_mime is None:
                json_mime = is_json_mime(key)
                if len(_JSON_MIMES) < 1024 and type(key) is str:
                    _JSON_MIMES[key] = json_mime
            if not json_mime:
                try:
                    bundle[key] = "".join(value)  # only when every item is a string
                except TypeError:
                    pass


def _empty_iterable(value: Any) -> bool:
    """``{}`` and ``""`` iterate as nothing in nbformat's reader; they are accepted there."""
    return isinstance(value, (dict, str)) and not value


def _join_outputs(outputs: Any, i: int) -> None:
    if type(outputs) is not list:
        if _empty_iterable(outputs):
            return
        raise NotebookError("'outputs' must be a JSON array", where=f"/cells/{i}/outputs")
    for j, out in enumerate(outputs):
        if type(out) is not dict:
            raise NotebookError("an output must be a JSON object", where=f"/cells/{i}/outputs/{j}")
        otype = out.get("output_type", "")
        if otype == "stream":
            text = out.get("text")
            if type(text) is list:
                try:
                    out["text"] = "".join(text)
                except TypeError:
                    join_strings(text, "", f"/cells/{i}/outputs/{j}/text")
        elif otype == "execute_result" or otype == "display_data":
            if "data" in out:
                _join_bundle(out["data"], i, j)
        elif isinstance(otype, (list, dict)):
            raise NotebookError("'output_type' must be a string",
                                where=f"/cells/{i}/outputs/{j}/output_type")
        elif otype and type(out.get("text")) is list:
            out["text"] = join_strings(out["text"], "", f"/cells/{i}/outputs/{j}/text")


def _to_v4_memory(nb: JSONDict) -> None:
    """nbformat's v4 ``to_notebook``: ``rejoin_lines`` then ``strip_transient``, in place."""
    if "cells" not in nb:
        raise NotebookError("missing the required key 'cells'", where="/")
    cells = nb["cells"]
    if type(cells) is not list:
        raise NotebookError(f"'cells' must be a JSON array, not {type(cells).__name__}",
                            where="/cells")
    if "metadata" not in nb:
        raise NotebookError("missing the required key 'metadata'", where="/")
    metadata = nb["metadata"]
    if type(metadata) is not dict:
        raise NotebookError("'metadata' must be a JSON object", where="/metadata")
    for i, cell in enumerate(cells):
        if type(cell) is not dict:
            raise NotebookError("a cell must be a JSON object", where=f"/cells/{i}")
        source = cell.get("source")
        if type(source) is list:
            try:
                cell["source"] = "".join(source)
            except TypeError:
                join_strings(source, "", f"/cells/{i}/source")
        if "attachments" in cell:
            attachments = cell["attachments"]
            if type(attachments) is not dict:
                raise NotebookError("'attachments' must be a JSON object",
                                    where=f"/cells/{i}/attachments")
            for name, bundle in attachments.items():
                _join_bundle(bundle, i, name)
        if "outputs" in cell and cell.get("cell_type") == "code":
            _join_outputs(cell["outputs"], i)
        cmeta = cell.get("metadata")
        if type(cmeta) is not dict:
            if "metadata" not in cell:
                raise NotebookError("missing the required key 'metadata'", where=f"/cells/{i}")
            raise NotebookError("cell 'metadata' must be a JSON object",
                                where=f"/cells/{i}/metadata")
        if "trusted" in cmeta:
            del cmeta["trusted"]
    for key in TRANSIENT_NB_KEYS:
        metadata.pop(key, None)


def repair_ids(cells: list[Any], new_id: IdFactory, path: str | Path | None = None) -> int:
    """Give ids to cells without one, then replace duplicates (later ones), as nbformat does.

    Returns the number of ids changed. Each change issues a :class:`CellIdRepairWarning`.
    """
    changes = 0
    try:
        ids = [cell["id"] for cell in cells]
        if len(set(ids)) == len(ids):
            return 0
    except (KeyError, TypeError):
        pass
    for i, cell in enumerate(cells):
        if isinstance(cell, dict) and "id" not in cell:
            cell["id"] = new_id()
            changes += 1
            warnings.warn(
                f"{path or '<string>'}: cell {i} had no id; gave it {cell['id']!r}",
                CellIdRepairWarning,
                stacklevel=4,
            )
    seen: set[Any] = set()
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict) or "id" not in cell:
            continue
        cell_id = cell["id"]
        if isinstance(cell_id, (list, dict)):
            raise NotebookError("a cell id must be a string", path=path, where=f"/cells/{i}/id")
        if cell_id in seen:
            cell["id"] = new_id()
            changes += 1
            warnings.warn(
                f"{path or '<string>'}: cell {i} repeated the id {cell_id!r}; "
                f"gave it {cell['id']!r}",
                CellIdRepairWarning,
                stacklevel=4,
            )
        seen.add(cell_id)
    return changes


# -- public API ---------------------------------------------------------------------------------
def _convert(d: Any, new_id: IdFactory, path: str | Path | None) -> tuple[JSONDict, Any]:
    """Parsed JSON of any version to v4 in memory, before id repair: (dict, minor)."""
    if not isinstance(d, dict):
        raise NotebookError(f"the top level is {kind_of(d)}, not a notebook object", path=path,
                            where="/")
    major, minor = _version(d, path)
    step = ""
    try:
        if major == 1:
            step = "converting v1 to v2"
            d = v1_to_v2(d)
        elif major == 2:
            step = "reading v2"
            d = read_v2(d)
        if major <= 2:
            step = "converting v2 to v3"
            d = v2_to_v3(d)
        elif major == 3:
            step = "reading v3"
            d = read_v3(d)
        if major <= 3:
            step = "converting v3 to v4"
            d = v3_to_v4(d, new_id)
            minor = CURRENT_MINOR
        else:
            step = "reading v4"
            _to_v4_memory(d)
    except NotebookError as e:
        raise NotebookError(f"{e.reason} (while {step})", path=path, where=e.where) from None
    return d, minor


def _finish(d: JSONDict, minor: Any, new_id: IdFactory, path: str | Path | None) -> JSONDict:
    """Warn about a newer minor; for 4.5+ repair the cell ids (nbformat's validate step)."""
    if minor is not None and minor > CURRENT_MINOR:
        warnings.warn(
            f"{path or '<string>'}: nbformat 4.{minor} is newer than 4.{CURRENT_MINOR}; "
            "unknown cell types, outputs and keys are kept as they are",
            NewerMinorWarning,
            stacklevel=4,
        )
    if minor is not None and minor >= CURRENT_MINOR:
        repair_ids(d["cells"], new_id, path)
    return d


def to_v4_dict(d: Any, *, id_factory: IdFactory | None = None,
               path: str | Path | None = None) -> JSONDict:
    """Turn parsed JSON of any version into nbformat's v4 in-memory dict (in place where possible).

    This is ``nbformat.reads(..., as_version=4)`` after parsing, including the id repair of its
    validation step for 4.5+.
    """
    new_id = id_factory or default_id_factory
    d, minor = _convert(d, new_id, path)
    return _finish(d, minor, new_id, path)


def _fast_v4_dict(data: bytes | memoryview, id_factory: IdFactory | None,
                  path: Path) -> JSONDict | None:
    """The v4 dict from the accelerated parse (:mod:`nbio.accel`), or None: the standard
    library parses (and raises its own error, if any)."""
    raw = accel.loads(data)
    if raw is accel.MISS:
        return None
    new_id = id_factory or default_id_factory
    try:
        d, minor = _convert(raw, new_id, path)
    except NotebookError:
        return None  # raised again, from the standard library's parse
    return _finish(d, minor, new_id, path)


def reads(text: str | bytes, *, id_factory: IdFactory | None = None,
          path: str | Path | None = None) -> Notebook:
    """Parse a notebook from a string, upgrade it to v4 as nbformat.reads(as_version=4) does.

    ``id_factory`` makes the ids of new cells (v1-v3 upgrades, repairs); ``path`` only names
    the source in errors and warnings.
    """
    with gc_paused():
        d = to_v4_dict(parse_text(text, path), id_factory=id_factory, path=path)
        nb = Notebook.from_dict(d)
    if path is not None:
        nb.path = Path(path)
    return nb


def read(path: str | Path, *, id_factory: IdFactory | None = None) -> Notebook:
    """Read a notebook file; records ``path`` and a disk stamp on the result.

    The file is decoded as UTF-8 (a byte-order mark is refused, as nbformat refuses it). A
    script whose suffix is one of :data:`nbio.text.PERCENT_SUFFIXES` (``foo.py``) is read as
    a text notebook in jupytext's percent format, a ``.md`` file as jupytext markdown
    (:func:`nbio.text.read_percent`).
    """
    p = Path(path)
    if p.suffix in TEXT_SUFFIXES:
        from nbio.text import read_percent

        return read_percent(p, id_factory=id_factory)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            with file_contents(fd) as (data, st):
                hasher = Hasher(data)
                try:
                    with gc_paused():
                        d = (_fast_v4_dict(data, id_factory, p) if accel.worth_it(len(data))
                             else None)
                        if d is None:
                            d = to_v4_dict(parse_utf8(bytes(data), p), id_factory=id_factory,
                                           path=p)
                        nb = Notebook.from_dict(d)
                finally:
                    # before the contents go away, errors included: the hashing thread holds
                    # the mapping (unmapping it under the thread raised BufferError)
                    digest = hasher.result()
        finally:
            os.close(fd)
    except IsADirectoryError:
        raise NotebookError("is a directory, not a notebook file", path=p) from None
    except OSError as e:
        raise NotebookError(os_error_reason(e, p), path=p) from None
    nb.path = p
    nb.disk_stamp = DiskStamp.of(st, digest)
    return nb
