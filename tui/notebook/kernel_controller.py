"""The notebook screen's kernel: a non-visual widget owning the :class:`KernelSession`.

One long-lived worker reads the session's coalesced change feed and posts
:class:`SessionChanged` messages to this widget. The feed already folds everything that happened
since the previous batch and is rate-limited (:data:`CHANGE_RATE` batches a second); on top of
that, a :class:`SessionChanged` still waiting in the queue is merged into the next one
(:meth:`SessionChanged.can_replace`), so however fast the kernel prints, the UI handles a
bounded number of small messages and the keyboard always gets its turn.

The handler updates the per-cell marks of :mod:`tui.notebook.run_view`, marks the notebook
dirty when outputs change, re-renders the visible cells, updates the status bar, shows the stdin
field in the asking cell, and turns notices into notifications (and a restart offer when the
kernel died).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from nbio.model import Cell, Notebook
from tui.notebook import run_view
from tui.notebook.dialogs import ChoiceScreen
from tui.notebook.run_view import RunViews, StdinState
from tui.session import Change, ChangeBatch, KernelSession, KernelState, Notice

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen

CHANGE_RATE = 10.0
"""Most session change batches handled per second (the rest are folded together)."""
TICK = 1.0
"""Seconds between refreshes of the running cell's elapsed time."""
INTERRUPT_GRACE = 10.0
"""Seconds an interrupted kernel has to stop being busy before the status bar says it did not."""
INTERRUPTING = "interrupting the kernel"
"""The status message while an interrupt is in flight (replaced once it is over)."""
STREAM_REDRAW = 0.25
"""A cell whose only change is more output is redrawn at most this often (state changes,
notices and stdin prompts are drawn at once)."""


class SessionChanged(Message):
    """A coalesced batch of session changes. A newer one waiting behind absorbs this one."""

    def __init__(self, batch: ChangeBatch) -> None:
        super().__init__()
        self.batch = batch

    def can_replace(self, message: Message) -> bool:
        """Fold this (older) batch into ``message`` (a newer one) and let it replace us."""
        if isinstance(message, SessionChanged):
            message.batch.absorb(self.batch)
            return True
        return False


class KernelController(Widget):
    """Owns the session of the screen's notebook and keeps the views in step with it."""

    DEFAULT_CSS = """
    KernelController { display: none; }
    """

    def __init__(self, nb: Notebook, *, kernel_name: str | None = None,
                 record_timing: bool = False, starter: Any = None) -> None:
        super().__init__()
        self.session = KernelSession(nb, kernel_name=kernel_name, record_timing=record_timing,
                                     starter=starter)
        self.views = RunViews(self.session)
        self._changes = self.session.subscribe(rate=CHANGE_RATE)  # before anything can happen
        self.batches_handled = 0
        """How many SessionChanged messages were handled (for tests and the benchmark)."""
        self.handled = asyncio.Event()
        """Set after each handled batch (tests and benchmarks wait on it, then clear it)."""
        self._died_dialog_open = False
        self._deferred: dict[int, Cell] = {}
        self._last_output_redraw = 0.0
        self._flush_timer: Timer | None = None
        self._stdin_return: Widget | None = None
        """What had the focus before a stdin field took it (it gets it back afterwards)."""
        self._stdin_request: object | None = None
        """The pending request the asking cell's StdinState was made for."""
        self._state_changed = asyncio.Event()
        """Set whenever a batch reports a new kernel state (the interrupt waits on it)."""

    @property
    def notebook_screen(self) -> NotebookScreen:
        """The screen this controller belongs to."""
        return self.screen  # type: ignore[return-value]

    # lifecycle ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        """Register the run views, start the change worker and the elapsed-time tick."""
        run_view.ACTIVE = self.views
        self._feed_changes()
        self.set_interval(TICK, self._tick)

    async def on_unmount(self) -> None:
        """Shut the kernel down (over the control channel) when the screen goes away."""
        if run_view.ACTIVE is self.views:
            run_view.ACTIVE = None
        await self.session.shutdown(leaving=True)

    def start_kernel(self) -> None:
        """Start the kernel in the background if none is running or starting."""
        if self.session.state in (KernelState.NONE, KernelState.FAILED, KernelState.SHUT_DOWN):
            self.session.start()

    @work(group="kernel-changes", exclusive=True)
    async def _feed_changes(self) -> None:
        async for batch in self._changes:
            self.post_message(SessionChanged(batch))

    def _tick(self) -> None:
        if self.session.running is not None and not self._closing:
            self._refresh_views()

    # running --------------------------------------------------------------------------------
    def run(self, cells: list[Cell], *, sources: dict[int, str] | None = None) -> None:
        """Queue ``cells`` (code cells only); starts the kernel first when needed."""
        screen_nb = self.notebook_screen.nb
        if self.session.nb is not screen_nb:  # the screen reloaded the file
            self.session.nb = screen_nb
        self.start_kernel()
        self.session.enqueue(cells, sources=sources)

    # applying changes -------------------------------------------------------------------------
    def on_session_changed(self, message: SessionChanged) -> None:
        """Apply one coalesced batch to the views."""
        message.stop()
        if not self.is_attached or self._closing:
            return
        self.batches_handled += 1
        batch = message.batch
        screen = self.notebook_screen
        outputs_changed = False
        urgent = batch.kernel_state is not None or bool(batch.notices)
        if batch.kernel_state is not None:
            self._state_changed.set()
        for cell, kinds in batch.cells.values():
            if Change.OUTPUTS in kinds:
                self._deferred[id(cell.data)] = cell
                outputs_changed = True
            if Change.COUNT in kinds or Change.METADATA in kinds:
                outputs_changed = True
            if Change.INPUT in kinds:
                self._sync_stdin(cell)
            urgent = urgent or bool(kinds - {Change.OUTPUTS, Change.METADATA})
        if outputs_changed:
            screen.history.mark_dirty()
        for notice in batch.notices:
            self._notify(notice)
        wait = self._last_output_redraw + STREAM_REDRAW - time.monotonic()
        if urgent or wait <= 0:
            self._flush_outputs()
        elif self._flush_timer is None:
            self._flush_timer = self.set_timer(wait, self._flush_outputs)
        if batch.kernel_state is not None:
            screen._update_chrome()
        self.handled.set()

    def _flush_outputs(self) -> None:
        """Redraw the cells whose outputs changed (streams: at most 1/STREAM_REDRAW a second)."""
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        for cell in self._deferred.values():
            self.views.mark(cell).version += 1
        self._deferred.clear()
        self._last_output_redraw = time.monotonic()
        if not self._closing:
            self._refresh_views()
        self.handled.set()

    def _refresh_views(self) -> None:
        from tui.notebook.cell_list import CellList

        for cell_list in self.screen.query(CellList):  # none while the screen is torn down
            cell_list.sync()

    def _sync_stdin(self, cell: Cell) -> None:
        """Show (or drop) the answer field of ``cell``'s stdin request: the cell's view mounts
        it below the outputs when the views are next synced, and the cell list keeps that cell
        on screen meanwhile. The focus goes back where it was once the request is gone."""
        pending = self.session.pending_input
        mark = self.views.mark(cell)
        screen = self.notebook_screen
        if pending is not None and pending.cell is cell:
            if self.views.asking is None:
                focused = self.app.focused
                self._stdin_return = focused if focused is not None else screen.cell_list
            editing = screen.cell_list.editing
            if editing is not None and editing < len(screen.nb.cells) \
                    and screen.nb.cells[editing] is cell:
                screen.action_command_mode()  # the field lives in the cell's (read-only) view
                self._stdin_return = screen.cell_list
            if mark.stdin is None or self._stdin_request is not pending:
                mark.stdin = StdinState(pending.prompt, pending.password)
                self._stdin_request = pending
            self.views.asking = cell
        else:
            mark.stdin = None
            if self.views.asking is cell:
                self.views.asking = None
            if pending is None:
                self._return_focus()

    def _return_focus(self) -> None:
        target = self._stdin_return
        self._stdin_return = None
        if target is not None:
            self.call_after_refresh(lambda: target.focus() if target.is_mounted else None)

    async def stdin_submitted(self, value: str) -> None:
        """Send the stdin field's text as the input_reply."""
        pending = self.session.pending_input
        if pending is not None and pending.cell is not None:
            self.views.mark(pending.cell).stdin = None
            if self.views.asking is pending.cell:
                self.views.asking = None
        await self.session.answer_input(value)
        self._refresh_views()
        self._return_focus()

    # notices ----------------------------------------------------------------------------------
    def _notify(self, notice: Notice) -> None:
        severity: Any = notice.level if notice.level in ("information", "warning", "error") \
            else "information"
        hint = {"restart": " Press 0,0 to restart the kernel.",
                "change-kernel": " 'Change kernel' in the palette (Ctrl+P) picks another."}
        self.notify(notice.message + hint.get(notice.action, ""), title=notice.title,
                    severity=severity, timeout=15 if notice.level == "error" else 8)
        if notice.title == "Kernel died":
            self._offer_restart(notice)
        elif notice.action == "change-kernel" and self.session.state in (
            KernelState.FAILED, KernelState.NONE
        ):
            self.app.call_later(self.notebook_screen.action_kernel_change)

    def _offer_restart(self, notice: Notice) -> None:
        if self._died_dialog_open:
            return
        self._died_dialog_open = True

        def answer(choice: str | None) -> None:
            self._died_dialog_open = False
            if choice == "restart":
                self.restart()

        self.app.push_screen(
            ChoiceScreen(
                f"{notice.title}: {notice.message}",
                [("restart", "r", "Restart the kernel"), ("later", "l", "Later")],
            ),
            answer,
        )

    # kernel operations (run as workers so the UI stays live) ---------------------------------
    @work(group="kernel-ops")
    async def interrupt(self) -> None:
        """Interrupt the kernel; queued cells are aborted. Once the kernel stops being busy (or
        :data:`INTERRUPT_GRACE` has passed) the status bar says how it ended."""
        await self.session.interrupt()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + INTERRUPT_GRACE
        while self.session.state is KernelState.BUSY and loop.time() < deadline:
            self._state_changed.clear()
            if self.session.state is not KernelState.BUSY:
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._state_changed.wait(), deadline - loop.time())
        screen = self.notebook_screen
        if screen.message != INTERRUPTING:  # something else was said meanwhile (a restart)
            return
        if self.session.state is KernelState.BUSY:
            screen.say("interrupt sent; the kernel is still busy")
        else:
            screen.say("kernel interrupted")

    @work(group="kernel-ops")
    async def restart(self, then_run_all: bool = False) -> None:
        """Restart the kernel (and, if asked, run every cell)."""
        self.notebook_screen.say("restarting the kernel…")
        ok = await self.session.restart()
        self.notebook_screen.say("kernel restarted" if ok else "restart failed")
        if ok and then_run_all:
            self.run(list(self.notebook_screen.nb.cells))

    @work(group="kernel-ops")
    async def change_kernel(self, name: str) -> None:
        """Switch the notebook to kernel ``name``."""
        self.notebook_screen.say(f"starting {name}…")
        if await self.session.change_kernel(name):
            self.notebook_screen.history.mark_dirty()
            self.notebook_screen.say(f"kernel: {name}")
        self.notebook_screen._update_chrome()

    @work(group="kernel-ops")
    async def shutdown(self) -> None:
        """Shut the kernel down (it starts again on the next run)."""
        await self.session.shutdown()
        self.notebook_screen._update_chrome()

    def status_text(self) -> str:
        """The status bar's kernel text, one form from the first frame on.

        ``python3 · not started`` until a start is requested, then ``python3 · starting``,
        ``idle``, ``busy``, ``dead`` ...; ``none`` when the notebook names no kernel.
        """
        return kernel_status_text(self.session.kernel_name, self.session.state)


def kernel_status_text(name: str | None, state: KernelState) -> str:
    """``python3 · idle`` for kernel ``name`` in ``state`` (``not started`` before a start)."""
    if state is KernelState.NONE:
        return f"{name} · not started" if name else "none"
    return f"{name or 'no kernel'} · {state.value}"
