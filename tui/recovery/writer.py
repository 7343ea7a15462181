"""The journal writer: a background thread that keeps one notebook's journal up to date.

The UI thread calls :meth:`JournalWriter.update` with a :class:`~tui.recovery.snapshot.Snapshot`
after changes and :meth:`JournalWriter.discard` once the notebook is clean (saved). Both only
swap a pending value under a lock and wake the thread: they never wait for a write. The thread
coalesces: it waits until no update came for ``quiet`` seconds, or ``max_delay`` seconds after
the first pending one, whichever is first, then serialises the latest snapshot and writes it
atomically. Errors (folder unwritable, disk full) are kept in :attr:`JournalWriter.error` for
the UI to report; the writer keeps trying on later updates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from tui.recovery import store
from tui.recovery.journal import JournalHeader, encode
from tui.recovery.process import ProcessId, this_process
from tui.recovery.snapshot import Snapshot

QUIET = 0.25
"""Seconds without a change before the journal is written."""
MAX_DELAY = 0.8
"""Seconds at most between the first unwritten change and the write (while typing on)."""

_REMOVE = object()


class JournalWriter:
    """Keeps the journal of the notebook at ``source`` (one journal file, named for this
    process), written from its own daemon thread.

    ``source_sha256`` is the file's hash when it was opened (None for a new notebook).
    ``directory`` defaults to :func:`~tui.recovery.store.recovery_dir`. ``clock`` is for
    tests. :attr:`writes` counts journals written; :attr:`error` is the last failure (None
    after a successful write).
    """

    def __init__(self, source: str | Path, *, source_sha256: str | None,
                 directory: Path | None = None, quiet: float = QUIET,
                 max_delay: float = MAX_DELAY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source = Path(store.source_key(source))
        self.source_sha256 = source_sha256
        self.directory = directory or store.recovery_dir()
        self.path = store.new_journal_path(self.source, self.directory)
        """This writer's journal file."""
        self.writer: ProcessId = this_process()
        self.quiet = quiet
        self.max_delay = max_delay
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: object = None
        self._first_at = 0.0
        self._last_at = 0.0
        self._closing = False
        self._busy = False
        self.writes = 0
        self.error: OSError | None = None
        self.errors = 0
        """How many writes failed so far."""
        self._thread = threading.Thread(target=self._run, name="jtui-journal", daemon=True)
        self._thread.start()

    # the UI thread's side ---------------------------------------------------------------
    def update(self, snapshot: Snapshot) -> None:
        """Hand over the notebook as of now; returns at once."""
        self._hand_over(snapshot)

    def discard(self) -> None:
        """The notebook is clean: remove the journal (after any write in flight)."""
        self._hand_over(_REMOVE)

    def _hand_over(self, value: object) -> None:
        with self._cond:
            now = self._clock()
            if self._pending is None:
                self._first_at = now
            self._pending = value
            self._last_at = now
            self._cond.notify()

    def set_source_sha256(self, sha256: str | None) -> None:
        """The file was saved: later journals record the new hash."""
        with self._cond:
            self.source_sha256 = sha256

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything handed over is on disk (or removed); False on timeout.
        For tests and for shutting down; never called on a key press."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._first_at = self._last_at = -1e9  # write now, without the quiet wait
            self._cond.notify()
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def close(self, *, remove: bool, timeout: float = 5.0) -> None:
        """Stop the thread; ``remove``: delete the journal (a clean quit), else write what is
        pending first (the process is going away with unsaved changes)."""
        if remove:
            self._hand_over(_REMOVE)
        self.flush(timeout)
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join(timeout)

    # the thread's side ---------------------------------------------------------------------
    def _next(self) -> object | None:
        with self._cond:
            while True:
                if self._closing and self._pending is None:
                    return None
                if self._pending is not None:
                    now = self._clock()
                    due = min(self._last_at + self.quiet, self._first_at + self.max_delay)
                    if now >= due or self._closing:
                        value, self._pending = self._pending, None
                        self._busy = True
                        return value
                    self._cond.wait(due - now)
                else:
                    self._cond.wait()

    def _run(self) -> None:
        store.clean_stale_temps(self.directory)
        while True:
            value = self._next()
            if value is None:
                return
            try:
                if value is _REMOVE:
                    store.remove(self.path)
                else:
                    assert isinstance(value, Snapshot)
                    self._write(value)
                self.error = None
            except OSError as e:
                self.error = e
                self.errors += 1
            except Exception as e:  # a snapshot that cannot be serialised: say so, go on
                self.error = OSError(str(e))
                self.errors += 1
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _write(self, snapshot: Snapshot) -> None:
        data = snapshot.to_json()
        header = JournalHeader(source=self.source, source_sha256=self.source_sha256,
                               writer=self.writer, written=time.time(), file=self.path)
        store.ensure_dir(self.directory)
        store.atomic_write(self.path, encode(header, data))
        self.writes += 1
