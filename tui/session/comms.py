"""The session's comms: a :class:`~protocol.comms.CommRegistry` wired to a live kernel client,
and the session's :class:`~tui.widgets.manager.WidgetManager` on it.

:class:`SessionComms` is what :class:`~tui.session.session.KernelSession` holds: comm messages
from the event pump go to :meth:`SessionComms.receive`; whatever the registry (or anything built
on it, such as the widget manager) sends is put on an ordered queue that one task drains onto
the shell channel, so a frontend's ``update`` messages reach the kernel in the order they were
made, and a callback on the event loop never has to await.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from protocol.client import KernelClient
from protocol.comms import CommRegistry, comm_info_request, comms_from_info_reply
from protocol.errors import KernelDeadError, ProtocolError
from protocol.events import CommMessage
from protocol.messages import Outgoing
from tui.widgets.manager import WIDGET_TARGET, WidgetManager

log = logging.getLogger(__name__)


class SessionComms:
    """One kernel session's comm registry and its sender."""

    def __init__(self) -> None:
        self.registry = CommRegistry(sender=self._enqueue)
        self.widgets = WidgetManager(self.registry)
        """The widget models on this kernel's ``jupyter.widget`` comms."""
        self.sent = 0
        """Comm messages handed to the kernel client."""
        self.dropped = 0
        """Comm messages not sent (no kernel, or it died before they went out)."""
        self._client: KernelClient | None = None
        self._queue: asyncio.Queue[Outgoing] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @property
    def client(self) -> KernelClient | None:
        """The kernel client comm messages go to (``None`` before a kernel started)."""
        return self._client

    def bind(self, client: KernelClient, *, reset: str = "") -> None:
        """Send through ``client`` from now on (after a start, or after a restart: then
        ``reset`` says why the old comms are gone, see :meth:`reset`)."""
        if reset:
            self.reset(reset)
        self._client = client
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._send_loop())

    def receive(self, event: CommMessage) -> None:
        """A comm message from the kernel (called by the session's event pump)."""
        self.registry.receive(event)

    def reset(self, reason: str) -> None:
        """The kernel restarted or went away: every comm is gone, unsent messages too."""
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
            self.dropped += 1
        self.registry.reset(reason)

    async def attach_widgets(self, timeout: float = 10) -> int:
        """Load the widgets of a kernel that was running before we attached (``--existing``,
        a server's kernel); returns how many models there are then.

        The bulk ``request_states`` first; when its answer does not come within ``timeout``
        (it can be dropped when too large) or the kernel has no control target (ipywidgets 7),
        a ``comm_info_request`` lists the widget comms and each is asked for its state."""
        if self._client is None:
            return len(self.widgets.models)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bool] = loop.create_future()

        def answered(ok: bool) -> None:
            if not answer.done():
                answer.set_result(ok)

        self.widgets.request_states(answered)
        try:
            ok = await asyncio.wait_for(answer, timeout)
        except asyncio.TimeoutError:
            ok = False
        if not ok:
            reply = await self._client.request(comm_info_request(WIDGET_TARGET), timeout)
            found = comms_from_info_reply(reply)
            self.widgets.adopt(i for i, t in found.items()
                               if t == WIDGET_TARGET and i not in self.widgets.models)
        return len(self.widgets.models)

    async def flush(self, timeout: float = 10) -> None:
        """Wait until every comm message queued so far has been sent."""
        await asyncio.wait_for(self._queue.join(), timeout)

    async def aclose(self, reason: str = "the kernel was shut down") -> None:
        """Forget every comm (see :meth:`reset`) and stop the sender (at shutdown)."""
        self.reset(reason)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        self._client = None

    def _enqueue(self, out: Outgoing) -> None:
        self._queue.put_nowait(out)

    async def _send_loop(self) -> None:
        while True:
            out = await self._queue.get()
            client = self._client
            try:
                if client is None or client.is_dead:
                    self.dropped += 1
                    continue
                await client.send(out, track=False)
                self.sent += 1
            except (KernelDeadError, ProtocolError, OSError) as exc:
                self.dropped += 1
                log.warning("comm message %s not sent: %s", out.msg_type, exc)
            finally:
                self._queue.task_done()
