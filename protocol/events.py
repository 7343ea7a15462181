"""Typed events for everything a kernel sends (and two synthetic ones).

Every event is a frozen dataclass with ``channel`` ("iopub", "shell", "stdin", "control", or
"client" for synthetic events) and ``msg`` (the :class:`Message`, ``None`` for synthetic ones),
plus the properties ``msg_type``, ``content`` and ``parent_msg_id``. Unknown message types
become :class:`OtherMessage`; :func:`event_from_message` never raises, whatever the content
holds (fields of the wrong type are coerced to something harmless).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from protocol.messages import Message, fast_frozen_init

__all__ = [
    "ABORTED_STATUSES",
    "ClearOutput",
    "CommMessage",
    "DisplayData",
    "ErrorOutput",
    "ExecuteInput",
    "ExecuteResult",
    "ExecutionDone",
    "InputRequest",
    "KernelDied",
    "KernelEvent",
    "OtherMessage",
    "Reply",
    "Status",
    "Stream",
    "event_from_message",
]

#: Reply statuses meaning "skipped": the spec's "aborted" and the older "abort" (bash_kernel).
ABORTED_STATUSES: frozenset[str] = frozenset({"aborted", "abort"})


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class KernelEvent:
    """Base of all events: where it came from and the message it was made from."""

    channel: str
    msg: Message | None

    @property
    def msg_type(self) -> str:
        """The message type ("" for synthetic events)."""
        return self.msg.msg_type if self.msg is not None else ""

    @property
    def content(self) -> dict[str, Any]:
        """The message content (``{}`` for synthetic events)."""
        return self.msg.content if self.msg is not None else {}

    @property
    def parent_msg_id(self) -> str | None:
        """The msg_id of the request this answers, or ``None``."""
        return self.msg.parent_msg_id if self.msg is not None else None


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Status(KernelEvent):
    """IOPub ``status``: ``execution_state`` is "busy", "idle", "starting", ..."""

    execution_state: str


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Stream(KernelEvent):
    """IOPub ``stream``: a chunk of stdout/stderr text (chunks are arbitrary; append them)."""

    name: str
    text: str


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class ExecuteInput(KernelEvent):
    """IOPub ``execute_input``: the code being run, re-broadcast."""

    code: str
    execution_count: int | None


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class ExecuteResult(KernelEvent):
    """IOPub ``execute_result``: the Out[n] mime bundle."""

    data: dict[str, Any]
    metadata: dict[str, Any]
    execution_count: int | None


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class DisplayData(KernelEvent):
    """IOPub ``display_data`` or ``update_display_data`` (``update`` True for the latter)."""

    data: dict[str, Any]
    metadata: dict[str, Any]
    transient: dict[str, Any]
    update: bool

    @property
    def display_id(self) -> str | None:
        """``transient.display_id``, if any."""
        value = self.transient.get("display_id")
        return None if value is None else str(value)


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class ErrorOutput(KernelEvent):
    """IOPub ``error``: an exception (the traceback lines carry ANSI escapes)."""

    ename: str
    evalue: str
    traceback: list[str]


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class ClearOutput(KernelEvent):
    """IOPub ``clear_output``; with ``wait``, clear when the next output arrives."""

    wait: bool


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class InputRequest(KernelEvent):
    """stdin ``input_request``: answer with an ``input_reply`` (do not echo if ``password``)."""

    prompt: str
    password: bool


def reply_status(content: dict[str, Any]) -> str:
    """A reply's ``status`` as a string ("" when missing)."""
    value = content.get("status", "")
    return value if isinstance(value, str) else str(value)


class _ReplyStatus:
    """``status``/``ok``/``aborted`` of an event that carries a reply (see :meth:`_reply`)."""

    __slots__ = ()

    def _reply(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def status(self) -> str:
        """The reply's status ("ok", "error", "aborted", "abort", ...; "" if missing)."""
        return reply_status(self._reply())

    @property
    def ok(self) -> bool:
        """True only for status "ok" (unknown values count as errors, as the spec advises)."""
        return self.status == "ok"

    @property
    def aborted(self) -> bool:
        """True for "aborted" and bash_kernel's older spelling "abort" (a skipped request)."""
        return self.status in ABORTED_STATUSES


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Reply(_ReplyStatus, KernelEvent):
    """Any ``*_reply`` on shell or control; ``content`` is the reply content."""

    def _reply(self) -> dict[str, Any]:
        return self.content


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class CommMessage(KernelEvent):
    """``comm_open``, ``comm_msg`` or ``comm_close`` (see ``msg_type``), on any channel."""

    comm_id: str
    data: dict[str, Any]


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class OtherMessage(KernelEvent):
    """Any other message type, known (iopub_welcome, debug_event, shutdown...) or not."""


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class ExecutionDone(_ReplyStatus, KernelEvent):
    """Synthetic: both the execute_reply and the IOPub idle of ``msg_id`` have arrived."""

    msg_id: str
    reply: dict[str, Any]

    @property
    def parent_msg_id(self) -> str | None:
        """The execute_request's msg_id (same as ``msg_id``)."""
        return self.msg_id

    def _reply(self) -> dict[str, Any]:
        return self.reply


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class KernelDied(KernelEvent):
    """Synthetic: the kernel is gone (``reason``: heartbeat lost, exited with code N, ...)."""

    reason: str


# -- decoding ---------------------------------------------------------------------------------


def _str(value: Any, default: str = "") -> str:
    if type(value) is str:
        return value
    if value is None:
        return default
    if isinstance(value, list):  # multiline strings as lists (notebook style)
        return "".join(v if isinstance(v, str) else str(v) for v in value)
    return str(value)


def _dict(value: Any) -> dict[str, Any]:
    return value if type(value) is dict else {}


def _count(value: Any) -> int | None:
    return value if type(value) is int else None


def _lines(value: Any) -> list[str]:
    if not isinstance(value, list):
        return [] if value is None else [_str(value)]
    return [v if isinstance(v, str) else str(v) for v in value]


def _status(channel: str, msg: Message) -> KernelEvent:
    return Status(channel, msg, _str(msg.content.get("execution_state")))


def _stream(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    name = c.get("name", "stdout")
    text = c.get("text", "")
    if type(name) is not str:
        name = _str(name, "stdout")
    if type(text) is not str:
        text = _str(text)
    return Stream(channel, msg, name, text)


def _execute_input(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    return ExecuteInput(channel, msg, _str(c.get("code")), _count(c.get("execution_count")))


def _execute_result(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    return ExecuteResult(
        channel,
        msg,
        _dict(c.get("data")),
        _dict(c.get("metadata")),
        _count(c.get("execution_count")),
    )


def _display(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    return DisplayData(
        channel,
        msg,
        _dict(c.get("data")),
        _dict(c.get("metadata")),
        _dict(c.get("transient")),
        msg.msg_type == "update_display_data",
    )


def _error(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    return ErrorOutput(
        channel, msg, _str(c.get("ename")), _str(c.get("evalue")), _lines(c.get("traceback"))
    )


def _clear(channel: str, msg: Message) -> KernelEvent:
    return ClearOutput(channel, msg, bool(msg.content.get("wait", False)))


def _input_request(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    return InputRequest(channel, msg, _str(c.get("prompt")), bool(c.get("password", False)))


def _comm(channel: str, msg: Message) -> KernelEvent:
    c = msg.content
    return CommMessage(channel, msg, _str(c.get("comm_id")), _dict(c.get("data")))


_IOPUB: dict[str, Callable[[str, Message], KernelEvent]] = {
    "status": _status,
    "stream": _stream,
    "execute_input": _execute_input,
    "execute_result": _execute_result,
    "display_data": _display,
    "update_display_data": _display,
    "error": _error,
    "clear_output": _clear,
}
_ANY: dict[str, Callable[[str, Message], KernelEvent]] = {
    "comm_open": _comm,
    "comm_msg": _comm,
    "comm_close": _comm,
}


def event_from_message(channel: str, msg: Message) -> KernelEvent:
    """The typed event for ``msg`` received on ``channel``. Never raises.

    IOPub output types are only recognized on "iopub", ``input_request`` only on "stdin",
    replies only on "shell"/"control"; anything else is an :class:`OtherMessage`.
    """
    msg_type = msg.msg_type
    if channel == "iopub":
        make = _IOPUB.get(msg_type) or _ANY.get(msg_type)
        if make is not None:
            return make(channel, msg)
    elif channel == "shell" or channel == "control":
        if msg_type.endswith("_reply"):
            return Reply(channel, msg)
        make = _ANY.get(msg_type)
        if make is not None:
            return make(channel, msg)
    elif channel == "stdin":
        if msg_type == "input_request":
            return _input_request(channel, msg)
        make = _ANY.get(msg_type)
        if make is not None:
            return make(channel, msg)
    return OtherMessage(channel, msg)
