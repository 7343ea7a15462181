"""Where journals live and how they are written: one folder, names that cannot collide, atomic
replacement.

Journals are kept in ``${XDG_STATE_HOME:-~/.local/state}/jupyter-tui/recovery/``. A journal's
name is the notebook's file name, a hash of its real absolute path (two ``analysis.ipynb`` in
different folders never share a journal, two paths to one file do) and the writing process's
pid plus a random token (two editors on one notebook keep a journal each)::

    analysis.ipynb-3f2a9c0d1e4b5a6f-4242-1a2b3c.json

Writes go to a temp file in the same folder, are fsynced, then renamed over the journal: a
reader (or a crash) sees the old journal or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tui.recovery.process import pid_exists

SUFFIX = ".json"
TEMP_SUFFIX = ".tmp"
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")
_NAME_LIMIT = 80


def recovery_dir(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/jupyter-tui/recovery`` (``~/.local/state`` when unset or empty)."""
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME") or ""
    base = Path(state) if state and os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "jupyter-tui" / "recovery"


_URL = re.compile(r"^(https?):/+")


def source_key(source: str | Path) -> str:
    """The notebook's absolute path as journals are keyed: symlinks resolved. A notebook on a
    server is keyed by its URL (``http://host/base/path.ipynb``, never with a token), kept as
    it is (also when it went through ``Path``, which folds ``//``)."""
    text = os.fspath(source)
    url = _URL.match(text)
    if url is not None:
        return f"{url.group(1)}://{text[url.end():]}"
    return os.path.realpath(os.path.abspath(source))


def journal_stem(source: str | Path) -> str:
    """The part of a journal's name shared by every journal of this notebook."""
    key = source_key(source)
    name = _UNSAFE.sub("_", os.path.basename(key))[:_NAME_LIMIT] or "notebook"
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{name}-{digest}"


def new_journal_path(source: str | Path, directory: Path, pid: int | None = None) -> Path:
    """A fresh journal file name for this notebook, for the process ``pid`` (ours by default)."""
    pid = os.getpid() if pid is None else pid
    return directory / f"{journal_stem(source)}-{pid}-{secrets.token_hex(3)}{SUFFIX}"


def journals_for(source: str | Path, directory: Path) -> list[Path]:
    """Every journal file of this notebook in ``directory`` (oldest name first)."""
    stem = journal_stem(source)
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(directory / n for n in names
                  if n.startswith(stem + "-") and n.endswith(SUFFIX) and not n.startswith("."))


def all_journals(directory: Path) -> list[Path]:
    """Every journal file in ``directory``."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(directory / n for n in names if n.endswith(SUFFIX) and not n.startswith("."))


def ensure_dir(directory: Path) -> None:
    """Create the journal folder (private to the user: journals hold the notebooks' text)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, chunks: Sequence[bytes | memoryview]) -> None:
    """Replace ``path`` with the concatenated ``chunks``: temp file in the same folder, fsync,
    rename, fsync the folder. Raises ``OSError`` (the temp file removed, the old journal
    untouched) when the folder is missing, unwritable or full."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                    dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def remove(path: Path) -> bool:
    """Delete a journal; True when it was there and is gone."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def clean_stale_temps(directory: Path) -> int:
    """Remove temp files left by writers that are no longer running (killed mid-write);
    returns how many were removed."""
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
            continue
        parts = name.split(".")  # "", journal name..., pid, random, "tmp"
        pid = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None
        if pid is not None and (pid == os.getpid() or pid_exists(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(directory / name)
            removed += 1
    return removed
