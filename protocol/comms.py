"""Comms: the frontend side of the Jupyter comm protocol, sans-IO.

A comm is a channel between a kernel object and a frontend object, named by a ``comm_id`` and
opened for a *target* (``jupyter.widget``, ``jupyter.widget.control``, ...). Either side may open
one; messages then go both ways (``comm_msg``, with binary buffers) until either side closes it.

:class:`CommRegistry` is the frontend's half, as plain data in and outgoing messages out:

- :meth:`CommRegistry.register_target` names a handler for comms the *kernel* opens; a
  ``comm_open`` for a target nobody registered is politely refused with a ``comm_close`` (so the
  kernel's object learns that no frontend listens, as JupyterLab does);
- :meth:`CommRegistry.open` opens a comm from our side;
- :meth:`CommRegistry.receive` takes every ``comm_open``/``comm_msg``/``comm_close`` the kernel
  sends (IOPub in practice; any channel is accepted) and calls the comm's callbacks;
- :func:`comm_info_request` / :func:`comms_from_info_reply` ask the kernel which comms it has
  open (to adopt them with :meth:`CommRegistry.adopt` when attaching to a running kernel).

Nothing here does I/O: every message the registry wants to send goes to its ``sender`` callable
(by default appended to :attr:`CommRegistry.outbox`), as a :class:`~protocol.messages.Outgoing`
for the shell channel. A callback that raises is logged and counted, never propagated: one
broken widget must not stop a notebook.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from protocol import messages
from protocol.events import CommMessage
from protocol.messages import Message, Outgoing

__all__ = [
    "Comm",
    "CommPayload",
    "CommRegistry",
    "CommStats",
    "comm_info_request",
    "comms_from_info_reply",
]

log = logging.getLogger(__name__)

COMM_MESSAGE_TYPES: frozenset[str] = frozenset({"comm_open", "comm_msg", "comm_close"})
"""The message types a :class:`CommRegistry` receives."""


@dataclass(frozen=True, slots=True)
class CommPayload:
    """What one comm message carried: ``data``, ``metadata``, binary ``buffers``, and the whole
    received :class:`Message` (``None`` for a comm adopted or opened by us)."""

    data: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    buffers: tuple[bytes, ...] = ()
    msg: Message | None = None

    @property
    def parent_msg_id(self) -> str | None:
        """The msg_id of the request the kernel was handling when it sent this (or None)."""
        return self.msg.parent_msg_id if self.msg is not None else None


MessageCallback = Callable[["Comm", CommPayload], None]
"""Called with the comm and each ``comm_msg`` payload the kernel sends to it."""
CloseCallback = Callable[["Comm", CommPayload], None]
"""Called once when the comm is closed by the kernel or reset (payload of the close)."""
TargetHandler = Callable[["Comm", CommPayload], None]
"""Called when the kernel opens a comm for the target (payload of the ``comm_open``); it may
add callbacks to the comm. If it raises, the comm is closed again."""


@dataclass
class CommStats:
    """Counters of what a registry refused or could not deliver."""

    opened: int = 0
    """Comms opened by the kernel and accepted."""
    refused: int = 0
    """``comm_open`` for a target nobody handles (answered with ``comm_close``)."""
    unknown: int = 0
    """``comm_msg``/``comm_close`` for a comm id we do not know (dropped)."""
    failed: int = 0
    """Callbacks (target handlers, message or close callbacks) that raised."""
    malformed: int = 0
    """Comm messages without a usable ``comm_id`` or ``target_name``."""


class Comm:
    """One open comm. Made by :class:`CommRegistry` (never directly).

    ``on_msg`` and ``on_close`` are lists of callbacks; :meth:`send` and :meth:`close` produce
    the messages for the kernel.
    """

    __slots__ = ("_registry", "closed", "comm_id", "on_close", "on_msg", "primary",
                 "target_name")

    def __init__(self, registry: CommRegistry, comm_id: str, target_name: str,
                 *, primary: bool) -> None:
        self._registry = registry
        self.comm_id = comm_id
        self.target_name = target_name
        self.primary = primary
        """True when we opened it; False when the kernel did (or it was adopted)."""
        self.closed = False
        self.on_msg: list[MessageCallback] = []
        self.on_close: list[CloseCallback] = []

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<Comm {self.comm_id} target={self.target_name!r} {state}>"

    def send(
        self,
        data: Mapping[str, Any],
        *,
        metadata: Mapping[str, Any] | None = None,
        buffers: tuple[bytes, ...] = (),
    ) -> str:
        """Send a ``comm_msg`` with ``data`` (and binary ``buffers``) to the kernel's side;
        returns its msg_id (the parent of whatever the kernel answers).

        Raises ``RuntimeError`` on a closed comm.
        """
        if self.closed:
            raise RuntimeError(f"comm {self.comm_id} is closed")
        msg_id = uuid.uuid4().hex
        self._registry._emit(messages.comm_msg(self.comm_id, data, metadata=metadata,
                                               buffers=buffers, msg_id=msg_id))
        return msg_id

    def close(self, data: Mapping[str, Any] | None = None, *,
              metadata: Mapping[str, Any] | None = None) -> None:
        """Close the comm from our side: a ``comm_close`` goes to the kernel, the comm leaves
        the registry. ``on_close`` callbacks are not called (they report the *kernel's* close).
        Closing twice does nothing."""
        if self.closed:
            return
        self.closed = True
        self._registry._forget(self)
        self._registry._emit(messages.comm_close(self.comm_id, data, metadata=metadata))

    def _closed_by_kernel(self, payload: CommPayload) -> None:
        self.closed = True
        for callback in list(self.on_close):
            self._registry._call(callback, self, payload)


class CommRegistry:
    """The comms of one kernel connection and the targets the frontend handles."""

    def __init__(self, sender: Callable[[Outgoing], None] | None = None) -> None:
        self.outbox: list[Outgoing] = []
        """Messages to send, when no ``sender`` was given (take them with :meth:`drain`)."""
        self.sender: Callable[[Outgoing], None] = sender or self.outbox.append
        """Called with every message the registry sends (comm_open, comm_msg, comm_close)."""
        self.stats = CommStats()
        self._targets: dict[str, TargetHandler] = {}
        self._comms: dict[str, Comm] = {}

    # -- targets ----------------------------------------------------------------------------
    def register_target(self, target_name: str, handler: TargetHandler) -> None:
        """Accept comms the kernel opens for ``target_name``; ``handler`` is called with each."""
        self._targets[target_name] = handler

    def unregister_target(self, target_name: str) -> None:
        """Stop accepting new comms for ``target_name`` (open ones stay open)."""
        self._targets.pop(target_name, None)

    @property
    def targets(self) -> list[str]:
        """The target names handled."""
        return list(self._targets)

    # -- comms ------------------------------------------------------------------------------
    def get(self, comm_id: str) -> Comm | None:
        """The open comm ``comm_id``, or None."""
        return self._comms.get(comm_id)

    def __len__(self) -> int:
        return len(self._comms)

    def __iter__(self) -> Iterator[Comm]:
        return iter(list(self._comms.values()))

    def open(
        self,
        target_name: str,
        data: Mapping[str, Any] | None = None,
        *,
        metadata: Mapping[str, Any] | None = None,
        buffers: tuple[bytes, ...] = (),
        comm_id: str | None = None,
    ) -> Comm:
        """Open a comm to the kernel's ``target_name`` (sends ``comm_open``); returns it.

        A kernel without that target answers with a ``comm_close`` (the comm's ``on_close``).
        """
        out = messages.comm_open(target_name, data, comm_id=comm_id, metadata=metadata,
                                 buffers=buffers)
        comm = Comm(self, str(out.content["comm_id"]), target_name, primary=True)
        self._comms[comm.comm_id] = comm
        self._emit(out)
        return comm

    def adopt(self, comm_id: str, target_name: str) -> Comm:
        """A comm the kernel already has open (found with :func:`comm_info_request` when
        attaching to a running kernel), registered without sending anything."""
        comm = self._comms.get(comm_id)
        if comm is None:
            comm = Comm(self, comm_id, target_name, primary=False)
            self._comms[comm_id] = comm
        return comm

    def reset(self, reason: str = "kernel restarted") -> None:
        """Forget every comm without sending anything (the kernel is gone or restarted); each
        comm's ``on_close`` callbacks are called with ``data = {"reason": reason}``."""
        comms, self._comms = list(self._comms.values()), {}
        payload = CommPayload({"reason": reason})
        for comm in comms:
            comm._closed_by_kernel(payload)

    def drain(self) -> list[Outgoing]:
        """The messages waiting in :attr:`outbox` (which is emptied)."""
        out = self.outbox[:]
        self.outbox.clear()
        return out

    # -- receiving --------------------------------------------------------------------------
    def receive(self, event: CommMessage) -> bool:
        """Handle one comm message from the kernel; True when it was for a comm we know (or
        a ``comm_open`` we accepted), False when it was refused, unknown or malformed."""
        msg = event.msg
        if msg is None or msg.msg_type not in COMM_MESSAGE_TYPES:
            return False
        comm_id = event.comm_id
        if not comm_id:
            self.stats.malformed += 1
            return False
        payload = CommPayload(event.data, dict(msg.metadata), msg.buffers, msg)
        if msg.msg_type == "comm_open":
            return self._on_open(comm_id, msg.content.get("target_name"), payload)
        comm = self._comms.get(comm_id)
        if comm is None:
            self.stats.unknown += 1
            return False
        if msg.msg_type == "comm_msg":
            for callback in list(comm.on_msg):
                self._call(callback, comm, payload)
        else:
            self._forget(comm)
            comm._closed_by_kernel(payload)
        return True

    def _on_open(self, comm_id: str, target: object, payload: CommPayload) -> bool:
        if not isinstance(target, str) or not target:
            self.stats.malformed += 1
            self._emit(messages.comm_close(comm_id))
            return False
        handler = self._targets.get(target)
        if handler is None:
            self.stats.refused += 1
            log.debug("refused comm %s for unknown target %r", comm_id, target)
            self._emit(messages.comm_close(comm_id))
            return False
        comm = Comm(self, comm_id, target, primary=False)
        self._comms[comm_id] = comm
        try:
            handler(comm, payload)
        except Exception:
            self.stats.failed += 1
            log.exception("comm target %r failed to open %s", target, comm_id)
            comm.close()
            return False
        self.stats.opened += 1
        return True

    # -- internals --------------------------------------------------------------------------
    def _emit(self, out: Outgoing) -> None:
        self.sender(out)

    def _forget(self, comm: Comm) -> None:
        if self._comms.get(comm.comm_id) is comm:
            del self._comms[comm.comm_id]

    def _call(self, callback: MessageCallback, comm: Comm, payload: CommPayload) -> None:
        try:
            callback(comm, payload)
        except Exception:
            self.stats.failed += 1
            log.exception("comm callback failed on %s", comm.comm_id)


def comm_info_request(target_name: str | None = None) -> Outgoing:
    """``comm_info_request`` on shell: which comms (of ``target_name``) the kernel has open."""
    return messages.comm_info_request(target_name)


def comms_from_info_reply(content: Mapping[str, Any]) -> dict[str, str]:
    """``comm_id -> target_name`` from a ``comm_info_reply``'s content (malformed entries are
    skipped; a reply that is not "ok" gives ``{}``)."""
    if content.get("status", "ok") != "ok":
        return {}
    comms = content.get("comms")
    if not isinstance(comms, dict):
        return {}
    found: dict[str, str] = {}
    for comm_id, info in comms.items():
        if isinstance(comm_id, str) and isinstance(info, dict):
            target = info.get("target_name")
            if isinstance(target, str):
                found[comm_id] = target
    return found
