"""Errors of the remote (Jupyter Server) client: one readable sentence each, never a token.

Every error carries ``url`` (already redacted, see :func:`protocol.remote.urls.redact`) and
``status`` (the HTTP status, or ``None`` when no response came back).
"""

from __future__ import annotations

from protocol.errors import ProtocolError

__all__ = [
    "AuthError",
    "ConnectError",
    "NotFoundError",
    "RemoteError",
    "RequestError",
    "ServerError",
    "TLSError",
]


class RemoteError(ProtocolError):
    """Base of every remote error: ``str()`` is a sentence a user can act on."""

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


class AuthError(RemoteError):
    """401/403: the token is missing, wrong or lacks a scope."""


class NotFoundError(RemoteError):
    """404: no such kernel, session, file or API (a wrong base URL looks like this too)."""


class ServerError(RemoteError):
    """5xx: the server failed (a kernel that would not start, a crashed handler...)."""


class RequestError(RemoteError):
    """Any other 4xx: the server refused the request as sent."""


class ConnectError(RemoteError):
    """No HTTP answer at all: connection refused, unknown host, timeout, dropped socket."""


class TLSError(ConnectError):
    """The TLS handshake failed (untrusted or mismatched certificate, plain HTTP port...)."""
