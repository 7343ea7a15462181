"""KernelSession: one notebook's kernel, its execution queue, and outputs into the model.

The session is the UI-free half of "running a notebook". It

- starts the notebook's kernel in the background (the notebook stays editable meanwhile) and
  turns every way a start can fail into a :class:`~tui.session.records.Notice` saying what to do;
- keeps a queue of cells and sends them **one at a time** (the next one goes when the previous
  one's execute_reply *and* IOPub idle have arrived), so "after an error the rest of the queue is
  aborted" holds on every kernel, including those (xeus) that do not abort queued requests;
- routes every IOPub message by ``parent_header.msg_id`` to the cell that sent it (late output
  keeps going to that cell until it runs again), through :class:`nbio.outputs.OutputArea`, and
  ``update_display_data`` through a notebook-wide :class:`nbio.outputs.DisplayIndex`;
- answers stdin requests (``input()``, ``getpass``) through :meth:`answer_input`;
- interrupts, restarts, shuts down, notices a dead kernel, and records JupyterLab's timing
  metadata when asked;
- reports what changed through a coalescing :class:`~tui.session.changes.ChangeFeed`.

All methods run on the caller's asyncio loop (Textual's in the editor); nothing here blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbio.model import Cell, Notebook
from nbio.outputs import DisplayIndex, OutputArea
from protocol.errors import KernelDeadError, ProtocolError
from protocol.events import (
    ClearOutput,
    CommMessage,
    DisplayData,
    ErrorOutput,
    ExecuteInput,
    ExecuteResult,
    ExecutionDone,
    InputRequest,
    KernelDied,
    KernelEvent,
    Reply,
    Status,
    Stream,
)
from protocol.kernelspec import get_kernel_spec
from protocol.manager import KernelManager
from tui.session import timing
from tui.session.changes import ChangeFeed, Subscription
from tui.session.comms import SessionComms
from tui.session.kernels import no_kernel_notice, start_failure_notice
from tui.session.records import (
    CellRun,
    CellState,
    Change,
    Completion,
    InputPrompt,
    KernelState,
    Notice,
)

log = logging.getLogger(__name__)

InputHandler = Callable[[InputPrompt], Awaitable[str]]
"""Called with each stdin request; its result is sent as the input_reply."""

ManagerStarter = Callable[..., Awaitable[KernelManager]]

_OUTPUT_EVENTS = (Stream, DisplayData, ExecuteResult, ErrorOutput, ClearOutput)
_FINISHED_BY_STATUS = {
    "ok": CellState.OK,
    "error": CellState.ERROR,
    "aborted": CellState.ABORTED,
    "abort": CellState.ABORTED,
}
SLICE = 0.01
"""Longest stretch (seconds) the event pump applies queued events without yielding."""
PASSWORD_ECHO = "········"
"""What the output area keeps in place of a password (as the classic notebook does)."""


@dataclass
class SessionStats:
    """Counters for what the session could not route or apply (shown in debug views)."""

    applied: int = 0
    """Output messages applied to a cell."""
    unrouted: int = 0
    """Output messages whose parent is no request of ours (dropped)."""
    failed: int = 0
    """Messages whose handling raised (dropped, logged)."""


class _Route:
    """Where the outputs of one execute request go."""

    __slots__ = ("area", "live", "run")

    def __init__(self, run: CellRun, area: OutputArea) -> None:
        self.run = run
        self.area = area
        self.live = True
        """False once the cell was queued again: its old request's output is then dropped."""


class KernelSession:
    """The kernel of one notebook and the runs of its cells.

    Typical use::

        session = KernelSession(nb, kernel_name="python3")
        session.start()                    # returns at once; the kernel starts in the background
        session.enqueue(nb.cells)          # queued until the kernel is ready
        await session.wait_idle()
        await session.shutdown()
    """

    def __init__(
        self,
        nb: Notebook,
        *,
        kernel_name: str | None = None,
        cwd: str | Path | None = None,
        record_timing: bool = False,
        allow_stdin: bool = True,
        stop_on_error: bool = True,
        ready_timeout: float = 60.0,
        extra_env: dict[str, str] | None = None,
        input_handler: InputHandler | None = None,
        starter: ManagerStarter | None = None,
    ) -> None:
        self.nb = nb
        self.kernel_name: str | None = kernel_name or nb.kernel_name
        self.cwd = str(cwd) if cwd is not None else (
            str(nb.path.parent) if nb.path is not None else None
        )
        self.record_timing = record_timing
        self.allow_stdin = allow_stdin
        self.stop_on_error = stop_on_error
        self.ready_timeout = ready_timeout
        self.extra_env = extra_env
        self.input_handler = input_handler
        self._starter: ManagerStarter = starter or KernelManager.start
        self.feed = ChangeFeed()
        self.stats = SessionStats()
        self.state = KernelState.NONE
        self.problem: Notice | None = None
        """The last start failure (``None`` while things are fine)."""
        self.manager: KernelManager | None = None
        self.kernel_info: dict[str, Any] = {}
        self.pending_input: InputPrompt | None = None
        self.comms = SessionComms()  # the kernel's comms and the widget models on them
        self._runs: dict[int, CellRun] = {}
        self._queue: deque[CellRun] = deque()
        self._current: CellRun | None = None
        self._current_msg: str | None = None
        self._sending: CellRun | None = None
        self._early: list[KernelEvent] = []
        self._routes: dict[str, _Route] = {}
        self._cell_msg: dict[int, str] = {}
        self._display = DisplayIndex()
        self._display.listeners.append(self._on_display_update)
        self._areas: dict[int, OutputArea] = {}
        self._start_task: asyncio.Task[None] | None = None
        self._pump_task: asyncio.Task[None] | None = None
        self._pumped: object = None
        """The client the pump reads (a restart on a server replaces it)."""
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ready = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._lifecycle = False
        """True while restarting/shutting down: deaths seen then are expected."""

    # -- observing ----------------------------------------------------------------------------
    def subscribe(self, rate: float = 30.0) -> Subscription:
        """A coalesced feed of changes: at most ``rate`` :class:`ChangeBatch` per second."""
        return self.feed.subscribe(rate)

    def run_info(self, cell: Cell) -> CellRun | None:
        """The latest run of ``cell`` in this session, or ``None`` if it never ran."""
        return self._runs.get(id(cell.data))

    @property
    def queued(self) -> list[CellRun]:
        """The runs waiting, in order."""
        return list(self._queue)

    @property
    def running(self) -> CellRun | None:
        """The run the kernel is executing now."""
        return self._current

    @property
    def is_ready(self) -> bool:
        """True when a kernel is up and can take requests."""
        return self.manager is not None and self.state in (KernelState.IDLE, KernelState.BUSY)

    @property
    def display_name(self) -> str:
        """The kernel's display name (or its name) for the status bar."""
        if self.manager is not None:
            return self.manager.spec.display_name
        return self.kernel_name or "no kernel"

    def _set_state(self, state: KernelState) -> None:
        if state is not self.state:
            self.state = state
            self.feed.kernel_state(state)

    def _notify(self, notice: Notice) -> None:
        self.feed.notice(notice)

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("session task failed", exc_info=exc)
            self._notify(Notice("error", "Internal error", f"{type(exc).__name__}: {exc}"))

    # -- starting -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel in the background (no-op while one is starting or running)."""
        if self._start_task is not None and not self._start_task.done():
            return
        if self.manager is not None and self.state not in (KernelState.DEAD, KernelState.FAILED):
            return
        if not self.kernel_name:
            self.problem = no_kernel_notice()
            self._set_state(KernelState.NONE)
            self._notify(self.problem)
            self._abort_queue("no kernel selected")
            return
        self.problem = None
        self._ready.clear()
        self._set_state(KernelState.STARTING)
        self._start_task = asyncio.ensure_future(self._start(self.kernel_name))

    async def _start(self, name: str) -> None:
        try:
            manager = await self._starter(
                name,
                cwd=self.cwd,
                extra_env=self.extra_env,
                ready_timeout=self.ready_timeout,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.problem = start_failure_notice(name, exc, self.ready_timeout)
            self._set_state(KernelState.FAILED)
            self._notify(self.problem)
            self._abort_queue(self.problem.title)
            self._ready.set()
            return
        self.manager = manager
        self.kernel_info = dict(manager.kernel_info)
        self._record_kernel_metadata()
        self.comms.bind(manager.client)
        self._pump_task = asyncio.ensure_future(self._pump(manager))
        self._set_state(KernelState.IDLE)
        self._ready.set()
        self._advance()

    async def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the start attempt ends; True when the kernel is ready."""
        await asyncio.wait_for(self._ready.wait(), timeout)
        return self.is_ready

    def _record_kernel_metadata(self) -> None:
        """Write kernelspec and language_info into the notebook metadata (as nbclient does)."""
        if self.manager is None:
            return
        spec = self.manager.spec
        md = self.nb.metadata
        kernelspec = {"display_name": spec.display_name, "language": spec.language,
                      "name": spec.name}
        if md.get("kernelspec") != kernelspec:
            md["kernelspec"] = kernelspec
        info = self.kernel_info.get("language_info")
        if isinstance(info, dict) and info and md.get("language_info") != info:
            md["language_info"] = info

    # -- queueing -----------------------------------------------------------------------------
    def enqueue(self, cells: Iterable[Cell], *, sources: dict[int, str] | None = None) -> list[
        CellRun
    ]:
        """Queue the code cells among ``cells`` (others are skipped), in order.

        Each queued cell loses its outputs and execution count at once (as in JupyterLab) and
        shows as queued. ``sources`` maps ``id(cell.data)`` to a live buffer's text to run instead
        of the model's source. A cell already waiting keeps its place (with the new code).
        """
        added: list[CellRun] = []
        for cell in cells:
            if cell.cell_type != "code":
                continue
            key = id(cell.data)
            code = (sources or {}).get(key, cell.source)
            previous = self._runs.get(key)
            if previous is not None and previous.state is CellState.QUEUED:
                previous.code = code
                continue
            self._retire_routes(cell)
            run = CellRun(cell=cell, code=code)
            self._runs[key] = run
            cell.outputs.clear()
            cell.execution_count = None
            if self.record_timing:
                timing.reset(cell)
                self.feed.cell(cell, Change.METADATA)
            self._queue.append(run)
            added.append(run)
            self.feed.cell(cell, Change.OUTPUTS)
            self.feed.cell(cell, Change.COUNT)
            self.feed.cell(cell, Change.STATE)
        if added:
            self._idle.clear()
            if self.state in (KernelState.DEAD, KernelState.FAILED, KernelState.SHUT_DOWN) or (
                self.state is KernelState.NONE and self._start_task is None
            ):
                reason = {
                    KernelState.DEAD: "the kernel is dead: restart it",
                    KernelState.FAILED: "the kernel failed to start",
                    KernelState.SHUT_DOWN: "the kernel was shut down",
                }.get(self.state, "no kernel is running")
                self._abort_queue(reason)
                self._notify(Notice("warning", "Cannot run", reason.capitalize(),
                                    action="restart" if self.state is KernelState.DEAD else ""))
            else:
                self._advance()
        return added

    def _retire_routes(self, cell: Cell) -> None:
        msg_id = self._cell_msg.pop(id(cell.data), None)
        if msg_id is not None:
            route = self._routes.pop(msg_id, None)
            if route is not None:
                route.live = False
        area = self._areas.pop(id(cell.data), None)
        if area is not None:
            area.sync()
            self._display.forget(area)

    def output_area(self, cell: Cell) -> OutputArea | None:
        """The live output area of ``cell``'s latest run (for previews of huge streams)."""
        return self._areas.get(id(cell.data))

    def sync_outputs(self) -> None:
        """Bring every output dict up to date (the text of a stream being written may lag
        behind for speed); call before saving or reading outputs directly."""
        for area in self._areas.values():
            area.sync()

    def _on_display_update(self, area: OutputArea) -> None:
        if isinstance(area.key, Cell):
            self.feed.cell(area.key, Change.OUTPUTS)

    def _abort_queue(self, reason: str) -> None:
        while self._queue:
            run = self._queue.popleft()
            run.state = CellState.ABORTED
            run.reason = reason
            run.finished_at = time.monotonic()
            self.feed.cell(run.cell, Change.STATE)
        self._check_idle()

    def _check_idle(self) -> None:
        if not self._queue and self._current is None:
            self._idle.set()

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until nothing is queued or running (raises TimeoutError after ``timeout``)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    def _attached(self, cell: Cell) -> bool:
        return any(c.data is cell.data for c in self.nb.cells)

    def _advance(self) -> None:
        """Send the next queued cell if the kernel is free."""
        if self._current is not None or not self.is_ready or self._lifecycle:
            return
        while self._queue:
            run = self._queue.popleft()
            if not self._attached(run.cell):
                run.state = CellState.ABORTED
                run.reason = "cell deleted"
                continue
            self._current = run
            run.state = CellState.RUNNING
            run.started_at = time.monotonic()
            self.feed.cell(run.cell, Change.STATE)
            self._spawn(self._send(run))
            return
        self._check_idle()

    async def _send(self, run: CellRun) -> None:
        assert self.manager is not None
        self._sending = run
        try:
            msg_id = await self.manager.client.execute(
                run.code, allow_stdin=self.allow_stdin, stop_on_error=self.stop_on_error
            )
        except (KernelDeadError, ProtocolError, OSError) as exc:
            self._sending = None
            if self._current is run:
                self._on_death(f"could not send the cell: {exc}")
            return
        finally:
            early, self._early = self._early, []
        self._sending = None
        run.msg_id = msg_id
        self._current_msg = msg_id
        key = id(run.cell.data)
        if self._runs.get(key) is run:
            area = OutputArea(run.cell.outputs, display_index=self._display, key=run.cell)
            self._routes[msg_id] = _Route(run, area)
            self._cell_msg[key] = msg_id
            self._areas[key] = area
        for event in early:
            self._dispatch(event)

    # -- the event pump -----------------------------------------------------------------------
    async def _pump(self, manager: KernelManager) -> None:
        """Apply every event of the client's stream, for the life of the manager.

        Events already queued are applied in slices of at most ``SLICE`` seconds, with a
        yield to the event loop between slices, so a flood never starves the keyboard.
        """
        self._pumped = manager.client
        stream = manager.client.events()
        try:
            async for event in stream:
                deadline = time.perf_counter() + SLICE
                self._apply(event)
                while time.perf_counter() < deadline:
                    more = stream.get_nowait()
                    if more is None:
                        break
                    self._apply(more)
                await asyncio.sleep(0)
        finally:
            stream.close()

    def _apply(self, event: KernelEvent) -> None:
        try:
            self._dispatch(event)
        except Exception:  # one bad message must not stop the notebook
            self.stats.failed += 1
            log.exception("failed to apply %r", event)

    def _dispatch(self, event: KernelEvent) -> None:
        if isinstance(event, KernelDied):
            self._on_death(event.reason)
            return
        parent = event.parent_msg_id
        route = self._routes.get(parent) if parent else None
        if route is None and self._sending is not None and parent:
            # An answer may race our learning its request's msg_id: hold it until then.
            self._early.append(event)
            return
        if isinstance(event, Status):
            self._on_status(event, route)
        elif isinstance(event, _OUTPUT_EVENTS):
            self._on_output(event, route)
        elif isinstance(event, ExecuteInput):
            if route is not None and route.live:
                if event.execution_count is not None:
                    route.run.cell.execution_count = event.execution_count
                    route.run.execution_count = event.execution_count
                    self.feed.cell(route.run.cell, Change.COUNT)
                self._timing(route, "iopub.execute_input", event)
        elif isinstance(event, InputRequest):
            self._on_input_request(event, route)
        elif isinstance(event, Reply):
            if route is not None and event.msg_type == "execute_reply":
                self._on_execute_reply(event, route)
        elif isinstance(event, ExecutionDone):
            self._on_done(event.msg_id, event.reply)
        elif isinstance(event, CommMessage):
            self.comms.receive(event)

    def _timing(self, route: _Route | None, label: str, event: KernelEvent) -> None:
        if (
            self.record_timing
            and route is not None
            and route.live
            and event.msg is not None
            and timing.record(route.run.cell, label, event.msg.header)
        ):
            self.feed.cell(route.run.cell, Change.METADATA)

    def _on_status(self, event: Status, route: _Route | None) -> None:
        state = event.execution_state
        if route is not None:
            self._timing(route, f"iopub.status.{state}", event)
        if self._lifecycle or self.state in (KernelState.DEAD, KernelState.SHUT_DOWN):
            return
        if state == "busy":
            self._set_state(KernelState.BUSY)
        elif state == "idle":
            self._set_state(KernelState.IDLE)
        # "starting" is only ever seen from the backlog of a kernel we already know is ready.

    def _on_output(self, event: KernelEvent, route: _Route | None) -> None:
        if self.comms.widgets.outputs.capture(event.msg_type, event.content,
                                              event.parent_msg_id):
            self.stats.applied += 1  # into an Output widget (``with out:``), not the cell
            return
        if isinstance(event, DisplayData) and event.update and (route is None or not route.live):
            # An update from elsewhere (a thread, an old request) still reaches its displays.
            if event.display_id is not None:
                self._display.update(event.display_id, event.data, event.metadata)
                self.stats.applied += 1
            return
        if route is None or not route.live:
            self.stats.unrouted += 1
            return
        cell = route.run.cell
        if route.area.apply(event.msg_type, event.content):
            self.stats.applied += 1
            self.feed.cell(cell, Change.OUTPUTS)
        if (
            isinstance(event, ExecuteResult)
            and event.execution_count is not None
            and cell.execution_count != event.execution_count
        ):
            cell.execution_count = event.execution_count
            route.run.execution_count = event.execution_count
            self.feed.cell(cell, Change.COUNT)

    def _on_execute_reply(self, event: Reply, route: _Route) -> None:
        run = route.run
        run.reply = dict(event.content)
        if route.live and self.record_timing and event.msg is not None:
            timing.record_reply(run.cell, event.msg.header, event.msg.metadata)
            self.feed.cell(run.cell, Change.METADATA)
        if route.live:
            for payload in event.content.get("payload") or ():
                if isinstance(payload, dict) and payload.get("source") == "page":
                    data = payload.get("data")
                    if isinstance(data, dict) and route.area.apply(
                        "display_data", {"data": data, "metadata": {}}
                    ):
                        self.feed.cell(run.cell, Change.OUTPUTS)

    def _on_done(self, msg_id: str, reply: dict[str, Any]) -> None:
        if msg_id != self._current_msg or self._current is None:
            return
        run = self._current
        self._current = None
        self._current_msg = None
        status = str(reply.get("status", ""))
        if run.state is CellState.RUNNING:
            run.state = _FINISHED_BY_STATUS.get(status, CellState.ERROR)
            if run.state is CellState.ABORTED and not run.reason:
                run.reason = "interrupted" if status == "abort" else "aborted by the kernel"
        run.finished_at = time.monotonic()
        run.reply = dict(reply)
        count = reply.get("execution_count")
        live = self._runs.get(id(run.cell.data)) is run
        if live and isinstance(count, int) and run.state is not CellState.ABORTED:
            run.execution_count = count
            if run.cell.execution_count != count:
                run.cell.execution_count = count
                self.feed.cell(run.cell, Change.COUNT)
        area = self._areas.get(id(run.cell.data))
        if live and area is not None:
            area.sync()
        self.feed.cell(run.cell, Change.STATE)
        if self.pending_input is not None and self.pending_input.cell is run.cell:
            self._drop_input()
        if run.state is CellState.ERROR and self.stop_on_error:
            self._abort_queue("an earlier cell failed")
        self._advance()
        self._check_idle()

    # -- stdin --------------------------------------------------------------------------------
    def _on_input_request(self, event: InputRequest, route: _Route | None) -> None:
        cell = route.run.cell if route is not None else None
        prompt = InputPrompt(cell, event.prompt, event.password)
        self.pending_input = prompt
        if cell is not None:
            self.feed.cell(cell, Change.INPUT)
        if self.input_handler is not None:
            self._spawn(self._ask(self.input_handler, prompt))

    async def _ask(self, handler: InputHandler, prompt: InputPrompt) -> None:
        value = await handler(prompt)
        if self.pending_input is prompt:
            await self.answer_input(value)

    async def answer_input(self, value: str) -> None:
        """Send ``value`` as the input_reply to the pending stdin request.

        The prompt and the answer (dots for a password) are added to the cell's outputs, as
        the classic notebook keeps them.
        """
        prompt = self.pending_input
        if prompt is None or self.manager is None:
            return
        self.pending_input = None
        await self.manager.client.input_reply(value)
        cell = prompt.cell
        if cell is not None:
            echo = PASSWORD_ECHO if prompt.password else value
            msg_id = self._cell_msg.get(id(cell.data))
            route = self._routes.get(msg_id) if msg_id else None
            if route is not None and route.live:
                route.area.apply("stream", {"name": "stdout", "text": f"{prompt.prompt}{echo}\n"})
                self.feed.cell(cell, Change.OUTPUTS)
            self.feed.cell(cell, Change.INPUT)

    def _drop_input(self) -> None:
        prompt = self.pending_input
        self.pending_input = None
        if prompt is not None and prompt.cell is not None:
            self.feed.cell(prompt.cell, Change.INPUT)

    # -- lifecycle ----------------------------------------------------------------------------
    def _on_death(self, reason: str) -> None:
        if self._lifecycle or self.state in (KernelState.DEAD, KernelState.SHUT_DOWN):
            return
        self._set_state(KernelState.DEAD)
        self.comms.reset("the kernel died")
        run = self._current
        self._current = None
        self._current_msg = None
        if run is not None:
            run.state = CellState.DIED
            run.reason = reason
            run.finished_at = time.monotonic()
            self.feed.cell(run.cell, Change.STATE)
        self._drop_input()
        self._abort_queue("the kernel died")
        self._notify(
            Notice(
                "error",
                "Kernel died",
                f"The kernel {self.display_name!r} died ({reason}). Your notebook is unchanged; "
                "restart the kernel (0,0) to run cells again.",
                action="restart",
            )
        )

    def _cut_short(self, reason: str) -> None:
        """End the running cell and the queue without waiting for the kernel."""
        run = self._current
        self._current = None
        self._current_msg = None
        if run is not None:
            run.state = CellState.ABORTED
            run.reason = reason
            run.finished_at = time.monotonic()
            self.feed.cell(run.cell, Change.STATE)
        self._abort_queue(reason)
        self._drop_input()

    async def interrupt(self) -> None:
        """Interrupt the running cell; the queued ones are aborted (shown as such)."""
        self._abort_queue("interrupted")
        self._drop_input()
        if self.manager is None or self.state is KernelState.DEAD:
            return
        try:
            await self.manager.interrupt()
        except (ProtocolError, OSError) as exc:
            self._notify(Notice("error", "Interrupt failed", str(exc), action="restart"))

    async def restart(self) -> bool:
        """Restart the kernel: the queue is dropped, the running cell marked aborted.

        Returns True when the new kernel is ready. A kernel that never started is started.
        """
        self._cut_short("the kernel was restarted")
        self._routes.clear()
        self._cell_msg.clear()
        if self._start_task is not None and not self._start_task.done():
            await self._ready.wait()
        if self.manager is None:
            self.start()
            return await self.wait_ready()
        self._lifecycle = True
        self._set_state(KernelState.RESTARTING)
        try:
            await self.manager.restart(ready_timeout=self.ready_timeout)
        except Exception as exc:
            self.problem = start_failure_notice(self.manager.spec.name, exc, self.ready_timeout)
            self._lifecycle = False
            self._set_state(KernelState.DEAD)
            self._notify(self.problem)
            return False
        self._lifecycle = False
        self.comms.bind(self.manager.client, reset="the kernel was restarted")
        self.kernel_info = dict(self.manager.kernel_info) or self.kernel_info
        if self._pump_task is not None and self._pumped is not self.manager.client:
            self._pump_task.cancel()  # a server kernel restarts on a new WebSocket client
            self._pump_task = None
        if self._pump_task is None or self._pump_task.done():
            self._pump_task = asyncio.ensure_future(self._pump(self.manager))
        self._set_state(KernelState.IDLE)
        self._advance()
        return True

    async def shutdown(self, *, leaving: bool = False) -> None:
        """Shut the kernel down over the control channel (then SIGTERM/SIGKILL if needed).

        ``leaving``: the editor quits; a manager with a ``leave`` (a server's kernel, which
        may be shared) is left instead of stopped."""
        self._cut_short("the kernel was shut down")
        if self._start_task is not None and not self._start_task.done():
            self._start_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._start_task
        manager, self.manager = self.manager, None
        self._lifecycle = True
        try:
            if manager is not None:
                stop = getattr(manager, "leave", None) if leaving else None
                with contextlib.suppress(Exception):
                    await (stop() if stop is not None else manager.shutdown())
        finally:
            self._lifecycle = False
            if self._pump_task is not None:
                self._pump_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._pump_task
                self._pump_task = None
            for task in list(self._tasks):
                task.cancel()
            await self.comms.aclose("the kernel was shut down")
            self._set_state(KernelState.SHUT_DOWN)
            self._ready.set()
            self._check_idle()

    async def change_kernel(self, name: str) -> bool:
        """Shut the current kernel down and start ``name``; True when it is ready.

        The notebook's ``metadata.kernelspec`` follows (once the new kernel is up).
        """
        spec = None
        with contextlib.suppress(ProtocolError):
            spec = get_kernel_spec(name)
        await self.shutdown()
        self.kernel_name = name
        if spec is not None:
            self.nb.metadata["kernelspec"] = {
                "display_name": spec.display_name, "language": spec.language, "name": spec.name,
            }
        self._start_task = None
        self.start()
        return await self.wait_ready()

    # -- completion and inspection --------------------------------------------------------------
    async def complete(self, code: str, cursor_pos: int,
                       timeout: float = 30) -> Completion | None:
        """The kernel's completions at ``cursor_pos`` (``None`` when no kernel can answer).

        The timeout is long: ipykernel's first completion imports jedi, seconds on a busy
        machine, and a stale answer is dropped by the caller (the text changed meanwhile)."""
        if not self.is_ready or self.manager is None:
            return None
        try:
            reply = await self.manager.client.complete(code, cursor_pos, timeout=timeout)
        except (ProtocolError, TimeoutError):
            return None
        if reply.get("status", "ok") != "ok":
            return None
        matches = [str(m) for m in reply.get("matches") or []]
        types: list[str] = []
        signatures: list[str] = []
        extra = (reply.get("metadata") or {}).get("_jupyter_types_experimental")
        if isinstance(extra, list) and len(extra) == len(matches):
            types = [_entry_field(e, "type") for e in extra]
            signatures = [_entry_field(e, "signature") for e in extra]
        start = reply.get("cursor_start")
        end = reply.get("cursor_end")
        return Completion(
            matches=matches,
            cursor_start=start if isinstance(start, int) else cursor_pos,
            cursor_end=end if isinstance(end, int) else cursor_pos,
            types=types,
            signatures=signatures,
        )

    async def inspect(
        self, code: str, cursor_pos: int, detail_level: int = 0, timeout: float = 5
    ) -> dict[str, Any] | None:
        """The kernel's mime bundle about the name at ``cursor_pos`` (``None`` if not found,
        or when no kernel can answer). Raises :class:`TimeoutError` when the kernel does not
        answer within ``timeout`` seconds (busy running a cell, most often): a user must not
        be told "no documentation" then."""
        if not self.is_ready or self.manager is None:
            return None
        try:
            reply = await self.manager.client.inspect(
                code, cursor_pos, detail_level=detail_level, timeout=timeout
            )
        except TimeoutError:  # RequestTimeout is also a ProtocolError: let it through
            raise
        except ProtocolError:
            return None
        if reply.get("status", "ok") != "ok" or not reply.get("found"):
            return None
        data = reply.get("data")
        return data if isinstance(data, dict) else None


def _entry_field(entry: object, key: str) -> str:
    """One string field of a ``_jupyter_types_experimental`` entry ("" when absent)."""
    if not isinstance(entry, dict):
        return ""
    value = entry.get(key)
    return value if isinstance(value, str) else ""
