"""Evaluate: send a cell to the kernel, route what comes back, answer stdin, interrupt.

One long-lived task (:meth:`Evaluator.pump`) reads the client's single event stream for the
whole session and routes every event:

- outputs of our cells (and outputs with no parent, such as a background thread's) go to the
  printer at once, whether a cell is running or the prompt is waiting (then above the prompt);
- other clients' outputs are printed only with ``include_other_output`` (as ``Remote``);
- ``input_request`` and ``ExecutionDone`` for the running cell wake :meth:`Evaluator.execute`;
- ``KernelDied`` is reported and fails the running cell;
- a server kernel's dropped WebSocket (``Reconnecting``/``Reconnected``) is reported in a line,
  and a cell that ran during the gap is said to be possibly incomplete.

While a cell runs (no prompt on screen, the terminal in cooked mode) Ctrl-C arrives as SIGINT:
the first interrupts the kernel; if the kernel has not stopped 1.5 s later the console says so,
and the next Ctrl-C stops waiting (the cell's output still appears, above the next prompt).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from protocol.errors import KernelDeadError, ProtocolError
from protocol.events import ExecuteInput, ExecutionDone, InputRequest, KernelDied, Status
from protocol.remote.reconnect import Reconnected, Reconnecting
from tui.console.kernel import ConsoleKernel
from tui.console.printer import Printer

AskInput = Callable[[str, bool], Awaitable[str]]


class InputInterrupted(Exception):
    """Ctrl-C at an input prompt (``AskInput`` raises this rather than KeyboardInterrupt,
    which asyncio would not keep inside the task)."""

#: Seconds after an interrupt before the console says the kernel has not stopped.
STILL_RUNNING_AFTER = 1.5

#: How many of our msg_ids are remembered to recognise late output of earlier cells.
OURS_KEPT = 10_000


@dataclass
class Running:
    """The cell being executed."""

    msg_id: str
    done: asyncio.Future[dict[str, Any] | None]
    inputs: asyncio.Queue[InputRequest] = field(default_factory=asyncio.Queue)
    interrupts: int = 0
    started: bool = False
    interrupt_deferred: bool = False


@dataclass
class CellResult:
    """How an execution ended: the execute_reply content, or why there is none."""

    reply: dict[str, Any] | None
    abandoned: bool = False
    died: str | None = None

    @property
    def status(self) -> str:
        """``ok``, ``error``, ``aborted``, ``abandoned`` or ``died``."""
        if self.died is not None:
            return "died"
        if self.reply is None:
            return "abandoned"
        return str(self.reply.get("status", "error"))

    @property
    def payloads(self) -> list[dict[str, Any]]:
        """The reply's payload list (page, set_next_input, ask_exit...)."""
        items = (self.reply or {}).get("payload") or []
        return [p for p in items if isinstance(p, dict)]


class Evaluator:
    """Runs cells on a :class:`ConsoleKernel` and routes its events to a :class:`Printer`."""

    def __init__(
        self,
        kernel: ConsoleKernel,
        printer: Printer,
        *,
        ask_input: AskInput | None = None,
        include_other_output: bool = False,
        on_died: Callable[[str], None] | None = None,
        on_comm: Callable[[Any], bool] | None = None,
    ) -> None:
        self.kernel = kernel
        self.printer = printer
        self.ask_input = ask_input
        self.include_other_output = include_other_output
        self.on_died = on_died
        self.on_comm = on_comm
        """Offered every event first; True when it took it (comm messages: the widgets)."""
        self.execution_count = 1
        self.running: Running | None = None
        self.dead_reason: str | None = None
        self.kernel_state = "idle"
        """The last ``execution_state`` the kernel published (any client's request)."""
        self._ours: set[str] = set()
        self._ours_order: deque[str] = deque()
        self._pump_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- the event pump ------------------------------------------------------------------------

    def start(self) -> None:
        """Start routing the kernel's events (call once, on the running loop)."""
        if self._pump_task is None:
            self._pump_task = asyncio.get_running_loop().create_task(self.pump())

    async def stop(self) -> None:
        """Stop the pump task."""
        if self._pump_task is not None:
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pump_task
            self._pump_task = None

    async def pump(self) -> None:
        """Route every event of the session (see the module docstring)."""
        async for event in self.kernel.client.events():
            try:
                self.route(event)
            except Exception as exc:  # a bad message must never kill the console
                with contextlib.suppress(Exception):
                    self.printer.note(f"[console] could not show a {event.msg_type}: {exc!r}",
                                      "warning")

    def is_ours(self, event: Any) -> bool:
        """Output of one of our requests, or output with no parent (background threads)."""
        parent = event.parent_msg_id
        if not parent:
            # Parentless output before our first cell is start-up noise (debugpy warnings).
            return bool(self._ours)
        if parent in self._ours:
            return True
        msg = event.msg
        session = (msg.parent_header or {}).get("session") if msg is not None else None
        return session == self.kernel.session_id

    def route(self, event: Any) -> None:
        """Deliver one event to whoever waits for it."""
        running = self.running
        if self.on_comm is not None and self.on_comm(event):
            return
        if isinstance(event, ExecutionDone):
            if running is not None and event.msg_id == running.msg_id and not running.done.done():
                running.done.set_result(dict(event.reply))
            return
        if isinstance(event, KernelDied):
            self._died(event.reason)
            return
        if isinstance(event, InputRequest):
            if running is not None and event.parent_msg_id == running.msg_id:
                running.inputs.put_nowait(event)
            return
        if isinstance(event, (Reconnecting, Reconnected)):
            self._connection_note(event)
            return
        if event.channel != "iopub":
            return
        if running is not None and not running.started and event.parent_msg_id == running.msg_id:
            running.started = True
            if running.interrupt_deferred:
                self._spawn(self.interrupt())
        if isinstance(event, Status):
            self.kernel_state = event.execution_state
            return
        ours = self.is_ours(event)
        if isinstance(event, ExecuteInput):
            count = event.execution_count
            if isinstance(count, int):
                self.execution_count = max(self.execution_count, count + 1)
        if ours:
            self.printer.handle(event)
        elif self.include_other_output:
            self.printer.handle(event, remote=True)

    def _connection_note(self, event: Reconnecting | Reconnected) -> None:
        """One line per reconnect try, and one when the socket is back."""
        if isinstance(event, Reconnecting):
            self.printer.note(
                f"[console] reconnecting to the server ({event.reason}): try {event.attempt} "
                f"of {event.tries} in {event.delay:g} s", "warning")
            return
        running = self.running
        self.printer.note("[console] reconnected to the kernel", "info")
        if running is not None and running.msg_id in event.incomplete:
            self.printer.note("[console] the running cell's output may be incomplete "
                              "(it ran while the connection was down)", "warning")

    def _died(self, reason: str) -> None:
        self.dead_reason = reason
        running = self.running
        if running is not None and not running.done.done():
            running.done.set_exception(KernelDeadError(reason))
        if self.on_died is not None:
            self.on_died(reason)

    def revived(self) -> None:
        """The kernel was restarted: forget the death and start counting at 1 again."""
        self.dead_reason = None
        self.execution_count = 1

    def _remember(self, msg_id: str) -> None:
        self._ours.add(msg_id)
        self._ours_order.append(msg_id)
        while len(self._ours_order) > OURS_KEPT:
            self._ours.discard(self._ours_order.popleft())

    # -- running a cell ------------------------------------------------------------------------

    async def execute(self, code: str, *, allow_stdin: bool = True,
                      store_history: bool = True) -> CellResult:
        """Run ``code``; return when the kernel finished it (reply and idle both seen)."""
        loop = asyncio.get_running_loop()
        try:
            msg_id = await self.kernel.client.execute(
                code, allow_stdin=allow_stdin and self.ask_input is not None,
                store_history=store_history,
            )
        except ProtocolError as exc:  # died before it went (a server kernel lost meanwhile)
            return CellResult(None, died=self.dead_reason or str(exc))
        self._remember(msg_id)
        running = Running(msg_id, loop.create_future())
        self.running = running
        self.printer.begin_cell()
        try:
            while True:
                getter = loop.create_task(running.inputs.get())
                self.install_sigint()
                waiting: set[asyncio.Future[Any]] = {running.done, getter}
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if running.done.done():
                    getter.cancel()
                    break
                await self._answer(running, getter.result())
            try:
                reply = running.done.result()
            except KernelDeadError as exc:
                return CellResult(None, died=str(exc))
            if reply is None:
                return CellResult(None, abandoned=True)
            count = reply.get("execution_count")
            if isinstance(count, int):
                self.execution_count = count + 1
            return CellResult(reply)
        finally:
            self.running = None
            self.printer.end_cell()

    async def _answer(self, running: Running, request: InputRequest) -> None:
        """Ask the user for the kernel's ``input()``/``getpass`` and send the reply.

        If the cell ends meanwhile (interrupted from elsewhere, the kernel died), the input
        prompt is taken down instead of waiting for an answer nobody needs.
        """
        assert self.ask_input is not None
        self.printer.ensure_line_start()
        self.printer.forget_region()
        asking: asyncio.Future[str] = asyncio.ensure_future(
            self.ask_input(request.prompt, bool(request.password))
        )
        waiting: set[asyncio.Future[Any]] = {asking, running.done}
        try:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.printer.prompt_closed()
        if not asking.done():
            asking.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asking
            return
        try:
            value = asking.result()
        except (InputInterrupted, KeyboardInterrupt):
            self._interrupt(running)
            return
        except EOFError:
            value = "\x04"  # ipykernel turns this into EOFError in input()
        if running.done.done():
            return
        with contextlib.suppress(ProtocolError):
            await self.kernel.client.input_reply(value)

    def install_sigint(self) -> None:
        """Route Ctrl-C (SIGINT, the terminal is in cooked mode outside prompts) to the kernel.

        Called as soon as a prompt closes: prompt_toolkit restores the default handler when its
        prompt ends, and a Ctrl-C typed right after Enter must not kill the console.
        """
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGINT, self._on_sigint)

    def _on_sigint(self) -> None:
        self.printer.echoed_by_terminal()  # the tty echoed "^C" where the cursor was
        if self.running is not None:
            self._interrupt(self.running)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _interrupt(self, running: Running) -> None:
        """Ctrl-C while a cell runs: interrupt the kernel; the next Ctrl-C stops waiting."""
        loop = asyncio.get_running_loop()
        running.interrupts += 1
        if running.interrupts > 1:
            if not running.done.done():
                self.printer.note(
                    "Stopped waiting for the kernel; the cell's output will appear above the "
                    "prompt (:interrupt or :restart if it keeps running).",
                    "warning",
                )
                running.done.set_result(None)
            return
        loop.call_later(STILL_RUNNING_AFTER, self._still_running, running)
        if not running.started:
            # The kernel has not begun this cell: a signal now could be lost between cells.
            running.interrupt_deferred = True
            return
        self._spawn(self.interrupt())

    def _still_running(self, running: Running) -> None:
        if self.running is running and not running.done.done() and running.interrupts == 1:
            self.printer.note(
                "The kernel has not stopped yet; press Ctrl-C again to stop waiting.", "warning"
            )

    async def interrupt(self) -> None:
        """Interrupt the kernel, reporting (not raising) failures."""
        try:
            await self.kernel.interrupt()
        except Exception as exc:
            self.printer.note(f"Could not interrupt the kernel: {exc}", "error")
