"""Jupyter messages as plain data, and builders for everything a client sends.

:class:`Message` is one decoded (or about to be encoded) Jupyter message. The builder functions
return an :class:`Outgoing`: the message type, its content and the channel it goes on, without a
header yet; :meth:`protocol.wire.Session.build` stamps the header (msg_id, session, date...).

Nothing here does I/O.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "CHANNELS",
    "Message",
    "Outgoing",
    "comm_close",
    "comm_info_request",
    "comm_msg",
    "comm_open",
    "complete_request",
    "debug_request",
    "execute_request",
    "history_request",
    "input_reply",
    "inspect_request",
    "interrupt_request",
    "is_complete_request",
    "kernel_info_request",
    "shutdown_request",
]

#: The four message channels of a kernel connection (the heartbeat carries no messages).
CHANNELS: tuple[str, ...] = ("shell", "iopub", "stdin", "control")

_T = TypeVar("_T")


def fast_frozen_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass a faster ``__init__`` (same signature and defaults).

    A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__``; this
    one calls each slot descriptor's ``__set__`` directly, which is about twice as fast. That
    matters on the receive path, where every IOPub message makes a Message and an event. The
    class stays a frozen dataclass: assignment after construction still raises.
    Only fields with no default or a plain default are supported (no default_factory).
    """
    names: list[str] = []
    params: list[str] = []
    namespace: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: default_factory is not supported")
        names.append(f.name)
        namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{n}(self, {n})\n" for n in names) or "    pass\n"
    exec(f"def __init__(self, {', '.join(params)}):\n{body}", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = f"Initialize a {cls.__name__}."
    setattr(cls, "__init__", init)  # noqa: B010 - assigning a method mypy would refuse
    return cls


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Message:
    """One Jupyter message: four dicts, optional binary buffers and the routing identities.

    ``parent_header`` and ``metadata`` are ``{}`` (never ``None``) when the sender had none.
    Treat the dicts as read-only: events and trackers share them.
    """

    header: dict[str, Any]
    parent_header: dict[str, Any]
    metadata: dict[str, Any]
    content: dict[str, Any]
    buffers: tuple[bytes, ...] = ()
    identities: tuple[bytes, ...] = ()

    @property
    def msg_id(self) -> str:
        """``header.msg_id`` ("" if absent)."""
        value = self.header.get("msg_id", "")
        return value if isinstance(value, str) else str(value)

    @property
    def msg_type(self) -> str:
        """``header.msg_type`` ("" if absent)."""
        value = self.header.get("msg_type", "")
        return value if isinstance(value, str) else str(value)

    @property
    def parent_msg_id(self) -> str | None:
        """``parent_header.msg_id``, or ``None`` when the message has no parent."""
        value = self.parent_header.get("msg_id")
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else str(value)

    @property
    def session(self) -> str:
        """``header.session``: the sender's session id ("" if absent)."""
        value = self.header.get("session", "")
        return value if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message a client is about to send, before it has a header.

    ``channel`` is where it goes ("shell", "control" or "stdin"); ``reply_type`` is the msg_type
    of the expected answer, or ``None`` when the kernel does not answer (comms, input_reply).
    """

    channel: str
    msg_type: str
    content: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    parent_header: dict[str, Any] = field(default_factory=dict)
    buffers: tuple[bytes, ...] = ()
    msg_id: str | None = None
    """The header's msg_id, when the sender must know it before sending (a fresh one if None)."""

    @property
    def reply_type(self) -> str | None:
        """The msg_type of the reply this message asks for, if any."""
        if self.msg_type.endswith("_request"):
            return self.msg_type[: -len("_request")] + "_reply"
        return None


def execute_request(
    code: str,
    *,
    silent: bool = False,
    store_history: bool = True,
    user_expressions: Mapping[str, str] | None = None,
    allow_stdin: bool = True,
    stop_on_error: bool = True,
) -> Outgoing:
    """``execute_request`` on shell. All six fields are always sent (as jupyter_client does).

    ``silent`` forces ``store_history`` to False, as the spec says.
    """
    content = {
        "code": code,
        "silent": silent,
        "store_history": store_history and not silent,
        "user_expressions": dict(user_expressions or {}),
        "allow_stdin": allow_stdin,
        "stop_on_error": stop_on_error,
    }
    return Outgoing("shell", "execute_request", content)


def inspect_request(code: str, cursor_pos: int, detail_level: int = 0) -> Outgoing:
    """``inspect_request`` on shell; ``cursor_pos`` counts Unicode code points."""
    content = {"code": code, "cursor_pos": cursor_pos, "detail_level": detail_level}
    return Outgoing("shell", "inspect_request", content)


def complete_request(code: str, cursor_pos: int) -> Outgoing:
    """``complete_request`` on shell; ``cursor_pos`` counts Unicode code points."""
    return Outgoing("shell", "complete_request", {"code": code, "cursor_pos": cursor_pos})


def history_request(
    *,
    hist_access_type: str = "tail",
    output: bool = False,
    raw: bool = True,
    session: int = 0,
    start: int = 0,
    stop: int | None = None,
    n: int | None = 1000,
    pattern: str | None = None,
    unique: bool = False,
) -> Outgoing:
    """``history_request`` on shell. Only the fields that apply to the access type are sent."""
    if hist_access_type not in ("range", "tail", "search"):
        raise ValueError(f"hist_access_type must be range, tail or search: {hist_access_type!r}")
    content: dict[str, Any] = {
        "hist_access_type": hist_access_type,
        "output": output,
        "raw": raw,
    }
    if hist_access_type == "range":
        content.update(session=session, start=start, stop=stop)
    elif hist_access_type == "tail":
        content["n"] = n
    else:
        content.update(n=n, pattern=pattern or "*", unique=unique)
    return Outgoing("shell", "history_request", content)


def is_complete_request(code: str) -> Outgoing:
    """``is_complete_request`` on shell."""
    return Outgoing("shell", "is_complete_request", {"code": code})


def kernel_info_request(channel: str = "shell") -> Outgoing:
    """``kernel_info_request`` (empty content) on shell, or on control (allowed since 5.5)."""
    if channel not in ("shell", "control"):
        raise ValueError(f"kernel_info_request goes on shell or control, not {channel!r}")
    return Outgoing(channel, "kernel_info_request", {})


def comm_info_request(target_name: str | None = None) -> Outgoing:
    """``comm_info_request`` on shell, optionally filtered by ``target_name``."""
    content = {} if target_name is None else {"target_name": target_name}
    return Outgoing("shell", "comm_info_request", content)


def comm_open(
    target_name: str,
    data: Mapping[str, Any] | None = None,
    *,
    comm_id: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    buffers: tuple[bytes, ...] = (),
    target_module: str | None = None,
) -> Outgoing:
    """``comm_open`` on shell (no reply). A fresh uuid4 ``comm_id`` is made when none is given."""
    content: dict[str, Any] = {
        "comm_id": comm_id or uuid.uuid4().hex,
        "target_name": target_name,
        "data": dict(data or {}),
    }
    if target_module is not None:
        content["target_module"] = target_module
    return Outgoing("shell", "comm_open", content, dict(metadata or {}), buffers=buffers)


def comm_msg(
    comm_id: str,
    data: Mapping[str, Any] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    buffers: tuple[bytes, ...] = (),
    msg_id: str | None = None,
) -> Outgoing:
    """``comm_msg`` on shell (no reply); ``msg_id`` fixes the header's msg_id (for matching
    the kernel's answers, e.g. a widget's ``echo_update``, by their parent)."""
    out = _comm_message("comm_msg", comm_id, data, metadata, buffers)
    return out if msg_id is None else dataclasses.replace(out, msg_id=msg_id)


def comm_close(
    comm_id: str,
    data: Mapping[str, Any] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    buffers: tuple[bytes, ...] = (),
) -> Outgoing:
    """``comm_close`` on shell (no reply); also the polite answer to an unhandled ``comm_open``."""
    return _comm_message("comm_close", comm_id, data, metadata, buffers)


def _comm_message(msg_type: str, comm_id: str, data: Mapping[str, Any] | None,
                  metadata: Mapping[str, Any] | None, buffers: tuple[bytes, ...]) -> Outgoing:
    content = {"comm_id": comm_id, "data": dict(data or {})}
    return Outgoing("shell", msg_type, content, dict(metadata or {}), buffers=buffers)


def input_reply(value: str, parent: Message | Mapping[str, Any] | None = None) -> Outgoing:
    """``input_reply`` on stdin, parented to the ``input_request`` (its Message or header)."""
    parent_header = dict(parent.header) if isinstance(parent, Message) else dict(parent or {})
    return Outgoing("stdin", "input_reply", {"value": value}, parent_header=parent_header)


def interrupt_request() -> Outgoing:
    """``interrupt_request`` on control (for kernels whose ``interrupt_mode`` is "message")."""
    return Outgoing("control", "interrupt_request", {})


def shutdown_request(restart: bool = False) -> Outgoing:
    """``shutdown_request`` on control."""
    return Outgoing("control", "shutdown_request", {"restart": restart})


def debug_request(content: Mapping[str, Any]) -> Outgoing:
    """``debug_request`` on control; ``content`` is a DAP request, passed through unchanged."""
    return Outgoing("control", "debug_request", dict(content))
