"""Errors raised by the protocol library.

Every error the library raises on purpose is a :class:`ProtocolError`, so an application can catch
the whole family with one ``except``. The sans-IO decoder raises :class:`WireError` with a short,
stable ``reason`` code (see :data:`WIRE_REASONS`); the higher-level receiver turns those into
dropped-and-counted messages instead of exceptions.
"""

from __future__ import annotations

__all__ = [
    "WIRE_REASONS",
    "EncryptionUnavailable",
    "KernelDeadError",
    "KernelStartError",
    "NoSuchKernel",
    "ProtocolError",
    "RequestTimeout",
    "WireError",
]


class ProtocolError(Exception):
    """Base class of every error raised by ``protocol``."""


class KernelStartError(ProtocolError):
    """A kernel process could not be launched or never became ready."""


class NoSuchKernel(ProtocolError):
    """No kernelspec with the requested name exists."""

    def __init__(self, name: str, message: str | None = None) -> None:
        self.name = name
        super().__init__(message or f"No such kernel: {name!r}")


class RequestTimeout(ProtocolError, TimeoutError):
    """A request got no (complete) answer before its deadline.

    Also a :class:`TimeoutError`, so ``except TimeoutError`` catches it.
    """


class KernelDeadError(ProtocolError):
    """The kernel died (process exited or heartbeat lost) while a request was pending."""


class EncryptionUnavailable(ProtocolError):
    """Transport encryption was required but this build of libzmq cannot provide it."""


#: The ``reason`` codes a :class:`WireError` can carry, with a one-line description each.
WIRE_REASONS: dict[str, str] = {
    "bad_frame": "a frame is not a bytes-like object",
    "no_delimiter": "no <IDS|MSG> delimiter frame",
    "too_few_frames": "fewer than 5 frames after the delimiter",
    "too_many_frames": "more frames than the configured maximum",
    "too_large": "total size above the configured maximum",
    "unsigned": "empty signature while signing is on",
    "bad_signature": "HMAC signature does not match",
    "replayed": "signature already seen (replay)",
    "bad_json": "a header/parent/metadata/content frame is not valid JSON",
    "not_an_object": "a dict frame holds JSON that is not an object",
    "bad_header": "header lacks a string msg_id or msg_type",
    "internal_error": "the decoder itself failed (a bug; logged with its traceback)",
}


class WireError(ProtocolError):
    """A list of frames could not be turned into a trusted :class:`~protocol.messages.Message`.

    ``reason`` is one of the keys of :data:`WIRE_REASONS`; ``detail`` is free text for logs.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        text = WIRE_REASONS.get(reason, reason)
        super().__init__(f"{reason}: {text}" + (f" ({detail})" if detail else ""))
