"""Frames to messages and back: the sans-IO wire layer.

A Jupyter message on ZeroMQ is one multipart message::

    [identities...] b"<IDS|MSG>" signature header parent_header metadata content [buffers...]

* :class:`Signer` computes and checks the HMAC (``hmac-<hash>`` for any hash ``hashlib`` knows;
  an empty key means unsigned and unchecked) over the four dict frames *as received*.
* :class:`DigestHistory` is the bounded replay-protection set; keep one per receiving socket.
* :class:`Session` builds headers (uuid4 msg_id, session id, username, ISO 8601 UTC date,
  version), serializes messages to frames and deserializes frames into :class:`Message`,
  raising :class:`~protocol.errors.WireError` with a ``reason`` code on anything wrong.
* :class:`Receiver` is the never-raising layer above: it decodes one socket's frames (with its
  own digest history), drops and counts bad messages by reason in a :class:`WireStats`, logs
  each reason once, and turns good messages into typed events.

No sockets, no asyncio: frames in, messages out.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import logging
import os
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from protocol.errors import WireError
from protocol.events import KernelEvent, event_from_message
from protocol.jsonutil import pack, unpack
from protocol.messages import Message, Outgoing

__all__ = [
    "DEFAULT_MAX_FRAMES",
    "DEFAULT_MAX_MESSAGE_SIZE",
    "DELIMITER",
    "PROTOCOL_VERSION",
    "DigestHistory",
    "Receiver",
    "Session",
    "Signer",
    "WireStats",
    "new_session_id",
    "utcnow_iso",
]

log = logging.getLogger(__name__)

#: The frame separating routing identities from the message proper.
DELIMITER = b"<IDS|MSG>"
#: The ``header.version`` we send (what jupyter_client 8.x and ipykernel 7 send).
PROTOCOL_VERSION = "5.4"
#: Default cap on the total size of one message's frames (bytes).
DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024 * 1024
#: Default cap on the number of frames in one message (identities + 6 + buffers).
DEFAULT_MAX_FRAMES = 4096

FrameLike = bytes | bytearray | memoryview


def new_session_id() -> str:
    """A fresh session id: a uuid4 string (usable as a ZMQ identity once encoded)."""
    return str(uuid.uuid4())


def utcnow_iso() -> str:
    """The current time as ISO 8601 UTC with microseconds and a ``Z`` suffix."""
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _default_username() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry, no env: jupyter_client falls back the same way
        return os.environ.get("USER", "username")


def _as_bytes(frames: Sequence[Any]) -> list[bytes] | None:
    """``frames`` as a list of bytes if some were other buffer objects, else None.

    Raises WireError("bad_frame") for an object that is not a buffer at all.
    """
    if all(type(f) in (bytes, bytearray, memoryview) for f in frames):
        return None
    try:
        return [f if type(f) is bytes else bytes(f) for f in frames]
    except (TypeError, ValueError, BufferError) as exc:
        raise WireError("bad_frame", type(exc).__name__) from None


class Signer:
    """HMAC signing and verification for one key and signature scheme.

    ``scheme`` is ``"hmac-<hash>"`` with any hash :mod:`hashlib` provides (``hmac-sha256``,
    ``hmac-sha1``, ``hmac-md5``, ``hmac-sha512``, ``hmac-sha3_256`` ...). An empty key disables
    signing: :meth:`sign` returns ``b""`` and :attr:`enabled` is False.
    """

    __slots__ = ("_mac", "enabled", "key", "scheme")

    def __init__(self, key: bytes | str = b"", scheme: str = "hmac-sha256") -> None:
        if isinstance(key, str):
            key = key.encode("utf-8")
        if not scheme.startswith("hmac-"):
            raise ValueError(f"signature_scheme must start with 'hmac-', not {scheme!r}")
        digest = scheme[len("hmac-") :]
        try:
            hashlib.new(digest)
            # A keyed prototype: copying it skips the key schedule on every message. When
            # OpenSSL backs the hash, hmac.HMAC wraps a C object (``_hmac``) with the same
            # copy/update/hexdigest methods; using it directly halves the cost of signing.
            proto = hmac.new(key or b"-", digestmod=digest)
            proto.copy().hexdigest()
        except (ValueError, TypeError) as exc:
            raise ValueError(f"unknown or unusable signature_scheme {scheme!r}") from exc
        self.key: bytes = key
        self.scheme: str = scheme
        self.enabled: bool = bool(key)
        self._mac: Any = (getattr(proto, "_hmac", None) or proto) if key else None

    def sign(self, frames: Sequence[bytes]) -> bytes:
        """Hex signature (ASCII bytes) of the four dict frames; ``b""`` when signing is off."""
        if self._mac is None:
            return b""
        h = self._mac.copy()
        for frame in frames:
            h.update(frame)
        return h.hexdigest().encode("ascii")  # type: ignore[no-any-return]

    def verify(self, signature: bytes, frames: Sequence[bytes]) -> bool:
        """True if ``signature`` is right for ``frames`` (constant-time compare)."""
        if self._mac is None:
            return True
        return hmac.compare_digest(self.sign(frames), signature)


class DigestHistory:
    """Bounded set of accepted signatures, for replay protection (one per receiving socket).

    When full, the oldest signature is forgotten (FIFO). ``size`` 0 disables the history.
    """

    __slots__ = ("_order", "_seen", "size")

    def __init__(self, size: int = 2**16) -> None:
        if size < 0:
            raise ValueError("digest history size must be >= 0")
        self.size = size
        self._seen: set[bytes] = set()
        self._order: deque[bytes] = deque()

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, signature: object) -> bool:
        return signature in self._seen

    def add(self, signature: bytes) -> bool:
        """Record ``signature``; False if it was already there (a replay)."""
        if self.size == 0:
            return True
        seen = self._seen
        if signature in seen:
            return False
        seen.add(signature)
        self._order.append(signature)
        if len(self._order) > self.size:
            seen.discard(self._order.popleft())
        return True

    def clear(self) -> None:
        """Forget everything."""
        self._seen.clear()
        self._order.clear()


class Session:
    """Message construction and (de)serialization for one client session.

    Holds the session id (also the ZMQ identity of the shell/stdin/control sockets, see
    :attr:`bsession`), the username, the :class:`Signer`, the size limits and a default
    :class:`DigestHistory` used by :meth:`deserialize` when no other is given.
    """

    def __init__(
        self,
        key: bytes | str = b"",
        signature_scheme: str = "hmac-sha256",
        *,
        session_id: str | None = None,
        username: str | None = None,
        digest_history_size: int = 2**16,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        max_frames: int = DEFAULT_MAX_FRAMES,
    ) -> None:
        self.signer = Signer(key, signature_scheme)
        self.session_id: str = session_id or new_session_id()
        self.username: str = username if username is not None else _default_username()
        self.digest_history_size = digest_history_size
        self.history = DigestHistory(digest_history_size)
        self.max_message_size = max_message_size
        self.max_frames = max_frames
        # The parent_header frame repeats across all the output of one request: keep the last
        # one parsed (the bytes and the dict) and hand out shallow copies.
        self._parent_cache: tuple[bytes, dict[str, Any]] = (b"{}", {})

    @property
    def bsession(self) -> bytes:
        """The session id as bytes: the identity for the shell, stdin and control DEALERs."""
        return self.session_id.encode("utf-8")

    @property
    def key(self) -> bytes:
        """The signing key (``b""`` when unsigned)."""
        return self.signer.key

    @property
    def signature_scheme(self) -> str:
        """The signature scheme, e.g. ``"hmac-sha256"``."""
        return self.signer.scheme

    def new_history(self) -> DigestHistory:
        """A fresh, empty digest history sized like this session's (one per receiving socket)."""
        return DigestHistory(self.digest_history_size)

    # -- construction -------------------------------------------------------------------------

    def header(self, msg_type: str, msg_id: str | None = None) -> dict[str, Any]:
        """A new header for ``msg_type``: uuid4 msg_id, session, username, UTC date, version."""
        return {
            "msg_id": msg_id or str(uuid.uuid4()),
            "msg_type": msg_type,
            "username": self.username,
            "session": self.session_id,
            "date": utcnow_iso(),
            "version": PROTOCOL_VERSION,
        }

    def msg(
        self,
        msg_type: str,
        content: dict[str, Any] | None = None,
        *,
        parent: Message | dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        buffers: Sequence[bytes] = (),
        msg_id: str | None = None,
    ) -> Message:
        """Build a :class:`Message` with a fresh header. ``None`` parts become ``{}``.

        ``parent`` is the parent Message or its header dict.
        """
        parent_header = parent.header if isinstance(parent, Message) else parent or {}
        return Message(
            header=self.header(msg_type, msg_id),
            parent_header=dict(parent_header),
            metadata=dict(metadata or {}),
            content=dict(content or {}),
            buffers=tuple(bytes(b) for b in buffers),
        )

    def build(self, out: Outgoing) -> Message:
        """Stamp a header on an :class:`Outgoing` (from the builders in ``protocol.messages``)."""
        return self.msg(
            out.msg_type,
            out.content,
            parent=out.parent_header,
            metadata=out.metadata,
            buffers=out.buffers,
            msg_id=out.msg_id,
        )

    # -- serialization ------------------------------------------------------------------------

    def serialize(self, msg: Message, identities: Sequence[bytes] = ()) -> list[bytes]:
        """Frames for ``msg``: identities, delimiter, signature, four JSON dicts, buffers.

        A ``None`` parent_header/metadata/content is sent as ``{}``, never as ``null``.
        """
        parts = [
            pack(msg.header),
            pack(msg.parent_header or {}),
            pack(msg.metadata or {}),
            pack(msg.content or {}),
        ]
        frames = list(identities or msg.identities)
        frames.append(DELIMITER)
        frames.append(self.signer.sign(parts))
        frames.extend(parts)
        frames.extend(msg.buffers)
        return frames

    def deserialize(
        self,
        frames: Sequence[FrameLike],
        history: DigestHistory | None = None,
    ) -> Message:
        """Parse, verify and decode one multipart message. Raises :class:`WireError`.

        ``history`` is the replay set to check and update (default: this session's own).
        Identities before the delimiter end up in :attr:`Message.identities`.
        """
        n = len(frames)
        if n > self.max_frames:
            raise WireError("too_many_frames", f"{n} frames")
        try:
            size = sum(map(len, frames))
        except TypeError:
            raise WireError("bad_frame", "a frame has no length") from None
        if size > self.max_message_size:
            raise WireError("too_large", f"{size} bytes")
        # The delimiter is frame 0 for dealers, 1 on IOPub (topic): search, never assume.
        if n and frames[0] == DELIMITER:
            idx = 0
        else:
            try:
                idx = frames.index(DELIMITER)
            except ValueError:
                # Frames that do not compare equal to bytes (zmq.Frame from a copy=False
                # receive): convert them once and start again.
                converted = _as_bytes(frames)
                if converted is None:
                    raise WireError("no_delimiter") from None
                return self.deserialize(converted, history)
        if n - idx < 6:
            raise WireError("too_few_frames", f"{n - idx - 1} after the delimiter")
        signature = frames[idx + 1]
        parts = [f if type(f) is bytes else bytes(f) for f in frames[idx + 2 : idx + 6]]
        signer = self.signer
        if signer.enabled:
            if type(signature) is not bytes:
                signature = bytes(signature)
            if not signature:
                raise WireError("unsigned")
            if not hmac.compare_digest(signer.sign(parts), signature):
                raise WireError("bad_signature")
            if not (self.history if history is None else history).add(signature):
                raise WireError("replayed")
        parent_bytes = parts[1]
        cached_bytes, cached_parent = self._parent_cache
        try:
            header = unpack(parts[0])
            if parent_bytes == cached_bytes:
                parent = cached_parent.copy()
            else:
                parent = unpack(parent_bytes)
                if type(parent) is dict:
                    self._parent_cache = (parent_bytes, parent.copy())
            raw_metadata = parts[2]
            metadata = {} if raw_metadata == b"{}" else unpack(raw_metadata)
            content = unpack(parts[3])
        except (ValueError, RecursionError) as exc:
            raise WireError("bad_json", str(exc)[:200]) from None
        if type(header) is not dict:
            raise WireError("not_an_object", "header")
        if parent is None:
            parent = {}
        elif type(parent) is not dict:
            raise WireError("not_an_object", "parent_header")
        if metadata is None:
            metadata = {}
        elif type(metadata) is not dict:
            raise WireError("not_an_object", "metadata")
        if content is None:
            content = {}
        elif type(content) is not dict:
            raise WireError("not_an_object", "content")
        if type(header.get("msg_type")) is not str or type(header.get("msg_id")) is not str:
            raise WireError("bad_header")
        buffers: tuple[bytes, ...] = ()
        if n > idx + 6:
            buffers = tuple([f if type(f) is bytes else bytes(f) for f in frames[idx + 6 :]])
        identities: tuple[bytes, ...] = ()
        if idx:
            identities = tuple([f if type(f) is bytes else bytes(f) for f in frames[:idx]])
        return Message(header, parent, metadata, content, buffers, identities)


@dataclass
class WireStats:
    """Counters for one client: messages received and dropped, by reason.

    ``dropped`` maps a :data:`~protocol.errors.WIRE_REASONS` code to a count. Shared by all the
    receivers of one connection.
    """

    received: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    _logged: set[str] = field(default_factory=set, repr=False)

    @property
    def dropped_total(self) -> int:
        """All dropped messages, whatever the reason."""
        return sum(self.dropped.values())

    @property
    def dropped_bad_signature(self) -> int:
        """Dropped for a wrong or missing signature."""
        return self.dropped.get("bad_signature", 0) + self.dropped.get("unsigned", 0)

    @property
    def dropped_replayed(self) -> int:
        """Dropped because the signature was seen before."""
        return self.dropped.get("replayed", 0)

    @property
    def dropped_malformed(self) -> int:
        """Dropped because the frames were not a well-formed message (any other reason)."""
        return self.dropped_total - self.dropped_bad_signature - self.dropped_replayed

    def record_drop(self, error: WireError, channel: str = "") -> None:
        """Count ``error`` and log it the first time its reason shows up."""
        reason = error.reason
        self.dropped[reason] = self.dropped.get(reason, 0) + 1
        if reason not in self._logged:
            self._logged.add(reason)
            log.warning(
                "dropping bad message on %s: %s (further %r drops are only counted)",
                channel or "?",
                error,
                reason,
            )


class Receiver:
    """The receiving end of one socket: frames in, a Message or event out, never an exception.

    Owns its own :class:`DigestHistory` (replay protection is per socket) and counts into a
    shared :class:`WireStats`.
    """

    __slots__ = ("channel", "history", "session", "stats")

    def __init__(self, session: Session, channel: str, stats: WireStats | None = None) -> None:
        self.session = session
        self.channel = channel
        self.stats = stats if stats is not None else WireStats()
        self.history = session.new_history()

    def decode_or_drop(self, frames: Sequence[FrameLike]) -> Message | None:
        """The decoded message, or ``None`` if it was dropped (and counted)."""
        try:
            msg = self.session.deserialize(frames, self.history)
        except WireError as exc:
            self.stats.record_drop(exc, self.channel)
            return None
        except Exception as exc:  # a decoder bug must not kill the caller's receive loop
            self._internal_error(exc)
            return None
        self.stats.received += 1
        return msg

    def feed(self, frames: Sequence[FrameLike]) -> KernelEvent | None:
        """The typed event for ``frames``, or ``None`` if the message was dropped."""
        msg = self.decode_or_drop(frames)
        if msg is None:
            return None
        try:
            return event_from_message(self.channel, msg)
        except Exception as exc:  # event_from_message is total; this is belt and braces
            self.stats.received -= 1
            self._internal_error(exc)
            return None

    def _internal_error(self, exc: Exception) -> None:
        first = "internal_error" not in self.stats.dropped
        self.stats.record_drop(WireError("internal_error", repr(exc)[:200]), self.channel)
        if first:
            log.error("protocol decoder failed on %s", self.channel, exc_info=exc)
