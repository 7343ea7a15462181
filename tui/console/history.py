"""Console input history: kept by the client per kernel language, merged with the kernel's.

Kernels without ``history_request`` (IRkernel, IHaskell, bash_kernel...) still get history across
sessions because the console stores every cell it runs in a file of its own:

    ``$JTUI_HISTORY_DIR`` or ``${XDG_STATE_HOME:-~/.local/state}/jupyter-tui/console/``
    ``history-<language>.jsonl`` (one JSON string per line, so multi-line cells survive)

The kernel's own history (``history_request``, tail mode) is fetched in the background after
start-up and merged in front of the local entries; consecutive duplicates are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
from collections.abc import AsyncGenerator, Awaitable, Iterable
from pathlib import Path

from prompt_toolkit.history import History

#: How many entries are kept in the file (older ones are dropped when it is compacted).
MAX_ENTRIES = 10_000


def history_dir() -> Path:
    """The directory of the console's history files (see the module docstring)."""
    override = os.environ.get("JTUI_HISTORY_DIR")
    if override:
        return Path(override)
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(state) / "jupyter-tui" / "console"


def history_path(language: str) -> Path:
    """The history file for one kernel language (``python``, ``bash``, ...)."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", language.lower()) or "unknown"
    return history_dir() / f"history-{safe}.jsonl"


def read_entries(path: Path) -> list[str]:
    """The entries stored in ``path``, oldest first; unreadable lines are skipped."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return []
    entries: list[str] = []
    for line in raw.splitlines():
        with contextlib.suppress(ValueError):
            value = json.loads(line)
            if isinstance(value, str):
                entries.append(value)
    return entries


def merge(kernel_entries: Iterable[str], local_entries: Iterable[str]) -> list[str]:
    """Kernel history then local history, oldest first, without blanks or consecutive repeats."""
    merged: list[str] = []
    for entry in (*kernel_entries, *local_entries):
        entry = entry.rstrip()
        if entry and (not merged or merged[-1] != entry):
            merged.append(entry)
    return merged


class ConsoleHistory(History):
    """A prompt_toolkit history backed by a per-language file and the kernel's history.

    ``kernel_history`` is an awaitable giving the kernel's entries (oldest first); it is awaited
    while prompt_toolkit loads the history in the background, so it never delays the prompt.
    """

    def __init__(self, path: Path, kernel_history: Awaitable[list[str]] | None = None) -> None:
        super().__init__()
        self.path = path
        self._kernel_history = kernel_history
        self._appended: list[str] = []

    async def load(self) -> AsyncGenerator[str, None]:
        """Yield entries, newest first (the order prompt_toolkit wants)."""
        if not self._loaded:
            kernel_entries: list[str] = []
            if self._kernel_history is not None:
                try:
                    kernel_entries = await asyncio.wait_for(self._kernel_history, timeout=5)
                except Exception:  # a kernel without history_request: local history only
                    kernel_entries = []
                self._kernel_history = None
            local = read_entries(self.path)
            merged = merge(kernel_entries, [*local, *self._appended])
            self._loaded_strings = merged[::-1]
            self._loaded = True
        for item in self._loaded_strings:
            yield item

    def load_history_strings(self) -> Iterable[str]:
        """Local entries, newest first (used only if ``load`` is bypassed)."""
        return read_entries(self.path)[::-1]

    def append_string(self, string: str) -> None:
        """Add an entry (dropping an immediate repeat) and store it in the file."""
        if self._loaded_strings and self._loaded_strings[0] == string:
            return
        if not self._loaded:
            self._appended.append(string)
        super().append_string(string)

    def store_string(self, string: str) -> None:
        """Append one entry to the file; a failing disk never breaks the console."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(string) + "\n")
        except OSError:
            return
        self._compact_if_large()

    def _compact_if_large(self) -> None:
        try:
            if self.path.stat().st_size < 4 * 1024 * 1024:
                return
            entries = read_entries(self.path)[-MAX_ENTRIES:]
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            return


def kernel_history_entries(reply: dict[str, object]) -> list[str]:
    """The inputs of a ``history_reply`` content (``[session, line, input]`` items), in order."""
    items = reply.get("history")
    if not isinstance(items, list):
        return []
    entries: list[str] = []
    for item in items:
        if isinstance(item, (list, tuple)) and len(item) == 3:
            value = item[2]
            if isinstance(value, (list, tuple)) and value:  # output=True form: [input, output]
                value = value[0]
            if isinstance(value, str):
                entries.append(value)
    return entries
