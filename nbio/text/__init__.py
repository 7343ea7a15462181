"""Text notebooks: scripts in jupytext's percent format (``# %%`` cells), read and written
without jupytext.

:func:`nbio.read` and :func:`nbio.write` use this package for a path whose suffix is in
:data:`PERCENT_SUFFIXES` (``foo.py``, ``foo.R``, ``foo.jl``, ``foo.sh``...), so the editor,
``jtui view`` and ``jtui run`` open such a file as a notebook and save it back in the same
format. Outputs are not part of a text notebook: they are dropped on save (as jupytext does).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, NoReturn

from nbio.errors import NotebookError
from nbio.model import DiskStamp, IdFactory, Notebook, default_id_factory
from nbio.text.extensions import (
    MARKDOWN_SUFFIXES,
    PERCENT_SUFFIXES,
    SCRIPT_EXTENSIONS,
    TEXT_SUFFIXES,
)

OTHER_FORMATS = ("light", "nomarker", "hydrogen", "spin", "sphinx", "marimo", "myst", "pandoc",
                 "quarto")


def is_percent_path(path: str | Path) -> bool:
    """Whether ``path`` is read and written as a percent script (by its suffix)."""
    return Path(path).suffix in PERCENT_SUFFIXES


def is_text_notebook_path(path: str | Path) -> bool:
    """Whether :func:`nbio.read` reads ``path`` as a text notebook (percent or markdown)."""
    return Path(path).suffix in TEXT_SUFFIXES


def suffix_for_language(language: str | None) -> str | None:
    """The script suffix of a kernel language (``python`` -> ``.py``, ``R`` -> ``.R``), or
    None when that language has no percent format here."""
    if not language:
        return ".py"
    from nbio.text.languages import usual_language_name

    name = usual_language_name(language)
    if name == "R":
        return ".R"
    for ext in sorted(PERCENT_SUFFIXES):
        if SCRIPT_EXTENSIONS[ext]["language"] == name:
            return ext
    return None


def reads_percent(text: str, suffix: str = ".py", *, path: str | Path | None = None,
                  id_factory: IdFactory | None = None) -> Notebook:
    """A :class:`Notebook` from percent-format text, or jupytext markdown for a ``.md``
    suffix (cell ids are new ones).

    Raises :class:`~nbio.errors.NotebookError` when the header cannot be read, or declares
    another jupytext format (light, hydrogen...) that this reader would get wrong.
    """
    from nbio.text import markdown, percent
    from nbio.text.yamlish import YamlError

    try:
        d = (markdown.reads(text, suffix) if suffix in MARKDOWN_SUFFIXES
             else percent.reads(text, suffix))
    except YamlError as e:
        raise NotebookError(f"the YAML header cannot be read: {e}", path=path) from None
    except percent.OtherFormatError as e:
        _refuse(str(e), path)
    except (RecursionError, MemoryError):
        raise NotebookError("the notebook's metadata is nested too deeply", path=path) from None
    _refuse_other_format(d["metadata"], path)
    new_id = id_factory or default_id_factory
    for cell in d["cells"]:
        cell["id"] = new_id()
    nb = Notebook.from_dict(d)
    if path is not None:
        nb.path = Path(path)
    return nb


def _refuse_other_format(metadata: dict[str, Any], path: str | Path | None) -> None:
    jupytext = metadata.get("jupytext", {})
    formats = jupytext.get("formats") if isinstance(jupytext, dict) else None
    declared = None
    if isinstance(formats, str) and path is not None:
        for entry in formats.split(","):
            name, _, fmt = entry.partition(":")
            if fmt and name.lstrip(".") == Path(path).suffix.lstrip("."):
                declared = fmt
    if declared in OTHER_FORMATS:
        _refuse(declared, path)


def _refuse(declared: str, path: str | Path | None) -> NoReturn:
    kind = "markdown" if Path(path or "").suffix in MARKDOWN_SUFFIXES else "percent"
    target = "md" if kind == "markdown" else "py:percent"
    raise NotebookError(
        f"this is jupytext's {declared!r} format (its header says so); jtui reads the "
        f"{kind} format. Convert it first: jupytext --to {target} {Path(path or '').name}",
        path=path)


def writes_percent(nb: Notebook, suffix: str = ".py") -> str:
    """The percent-format text of ``nb`` (ending with a newline; outputs are left out); for a
    ``.md`` suffix, jupytext's markdown."""
    from nbio.text import markdown, percent

    text = (markdown.writes(nb.to_dict(), suffix) if suffix in MARKDOWN_SUFFIXES
            else percent.writes(nb.to_dict(), suffix))
    return text if text.endswith("\n") else text + "\n"


def read_percent(path: str | Path, *, id_factory: IdFactory | None = None) -> Notebook:
    """Read a percent script; records ``path`` and a disk stamp, as :func:`nbio.read` does."""
    from nbio.fsinfo import os_error_reason

    p = Path(path)
    try:
        with open(p, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except IsADirectoryError:
        raise NotebookError("is a directory, not a notebook file", path=p) from None
    except OSError as e:
        raise NotebookError(os_error_reason(e, p), path=p) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotebookError(f"not UTF-8 text (byte {e.start})", path=p) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    nb = reads_percent(text, p.suffix, path=p, id_factory=id_factory)
    nb.disk_stamp = DiskStamp.of(st, hashlib.sha256(data).hexdigest())
    return nb


def percent_bytes(nb: Notebook, target: Path) -> bytes:
    """The UTF-8 bytes :func:`nbio.write` saves for a percent script."""
    text = writes_percent(nb, target.suffix)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise NotebookError(f"cannot be saved as UTF-8: it contains the lone surrogate "
                            f"U+{ord(e.object[e.start]):04X}", path=target) from None


__all__ = [
    "MARKDOWN_SUFFIXES",
    "PERCENT_SUFFIXES",
    "TEXT_SUFFIXES",
    "is_percent_path",
    "is_text_notebook_path",
    "percent_bytes",
    "read_percent",
    "reads_percent",
    "suffix_for_language",
    "writes_percent",
]
