"""A REST client for a Jupyter Server (also Kernel Gateway and JupyterHub user servers).

Built on the standard library's :mod:`http.client`: a handful of small JSON requests per
session needs no third-party HTTP stack. The token goes only in the ``Authorization: token T``
header (never in a URL, which servers log); no ``Origin`` header is sent, and token
authentication skips the XSRF check. Failures raise :mod:`protocol.remote.errors` exceptions
whose message names the URL without its token.

:class:`ServerClient` is blocking (for command-line tools); :class:`AsyncServerClient` runs the
same requests in a worker thread so an event loop never blocks.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import ssl
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from protocol.remote.errors import (
    AuthError,
    ConnectError,
    NotFoundError,
    RemoteError,
    RequestError,
    ServerError,
    TLSError,
)
from protocol.remote.models import KernelModel, KernelSpecModel, SessionModel
from protocol.remote.urls import ServerURL, redact

__all__ = ["DEFAULT_TIMEOUT", "AsyncServerClient", "ServerClient"]

#: Seconds a request may take (jupyter_server's own gateway client uses 42 s; a restart waits
#: for the new kernel's kernel_info, up to the server's 60 s).
DEFAULT_TIMEOUT = 70.0

_T = TypeVar("_T")


def _server_message(body: bytes) -> str:
    """The ``message`` (or ``reason``) a server put in a JSON error body, if any."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(data, dict):
        return ""
    text = data.get("message") or data.get("reason") or ""
    return str(text)[:300]


def _status_error(method: str, url: str, status: int, reason: str, body: bytes) -> RemoteError:
    detail = _server_message(body)
    said = f" The server said: {detail}" if detail and detail != reason else ""
    what = f"{method} {url} failed: {status} {reason}."
    if status in (401, 403):
        return AuthError(f"{what} The token is missing or wrong (or lacks the scope for this)."
                         f"{said}", url, status)
    if status == 404:
        return NotFoundError(f"{what} Nothing there: check the server URL (its base URL) "
                             f"and the kernel, session or path.{said}", url, status)
    if status >= 500:
        return ServerError(f"{what} The server failed to handle it.{said}", url, status)
    return RequestError(f"{what}{said}", url, status)


class ServerClient:
    """Blocking REST calls to one server. ``server`` holds the base URL and the token.

    ``ssl_context`` replaces the default (system trust store, host name checked).
    """

    def __init__(self, server: ServerURL, *, timeout: float = DEFAULT_TIMEOUT,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.server = server
        self.timeout = timeout
        self._ssl = ssl_context

    def headers(self) -> dict[str, str]:
        """The headers every request (and the WebSocket upgrade) carries."""
        headers = {"Accept": "application/json", "User-Agent": "jupyter-tui"}
        if self.server.token:
            headers["Authorization"] = f"token {self.server.token}"
        return headers

    def request(self, method: str, url: str, body: Any = None) -> tuple[int, Any]:
        """Send one request; return (status, decoded JSON or None). Raises RemoteError."""
        shown = redact(url)
        parts = urlsplit(url)
        conn: http.client.HTTPConnection
        host, port = parts.hostname or "", parts.port
        if parts.scheme == "https":
            context = self._ssl or ssl.create_default_context()
            conn = http.client.HTTPSConnection(host, port, timeout=self.timeout, context=context)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = self.headers()
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, target, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except ssl.SSLError as exc:
            raise TLSError(f"{method} {shown} failed: TLS error ({exc.reason or exc}). Check "
                           "the certificate, or use http:// for a plain server.", shown) from None
        except ConnectionRefusedError:
            raise ConnectError(f"{method} {shown} failed: connection refused. Is the server "
                               "running, and on this host and port?", shown) from None
        except socket.gaierror as exc:
            raise ConnectError(f"{method} {shown} failed: unknown host {host!r} "
                               f"({exc.strerror}).", shown) from None
        except TimeoutError:
            raise ConnectError(f"{method} {shown} failed: no answer within {self.timeout:g} s.",
                               shown) from None
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectError(f"{method} {shown} failed: {type(exc).__name__}: {exc}.",
                               shown) from None
        finally:
            conn.close()
        status = response.status
        if status >= 400:
            raise _status_error(method, shown, status, response.reason, payload)
        if not payload:
            return status, None
        try:
            return status, json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            raise RequestError(f"{method} {shown}: the answer is not JSON (is this a Jupyter "
                               "Server? check the base URL).", shown, status) from None

    def _call(self, method: str, *parts: str, body: Any = None,
              query: dict[str, str] | None = None) -> Any:
        return self.request(method, self.server.api(*parts, query=query), body)[1]

    # -- server ---------------------------------------------------------------------------------

    def version(self) -> str:
        """``GET /api``: the server's version (needs no token)."""
        data = self._call("GET", "")
        return str(data.get("version", "")) if isinstance(data, dict) else ""

    def me(self) -> dict[str, Any]:
        """``GET /api/me``: the identity the token stands for (``identity.username``...)."""
        data = self._call("GET", "me")
        return data if isinstance(data, dict) else {}

    # -- kernelspecs ----------------------------------------------------------------------------

    def kernelspecs(self) -> tuple[str, dict[str, KernelSpecModel]]:
        """``GET /api/kernelspecs``: the default kernel name and every spec by name."""
        data = self._call("GET", "kernelspecs")
        data = data if isinstance(data, dict) else {}
        specs = data.get("kernelspecs")
        specs = specs if isinstance(specs, dict) else {}
        return (str(data.get("default") or ""),
                {name: KernelSpecModel.from_json(name, v) for name, v in sorted(specs.items())})

    # -- kernels --------------------------------------------------------------------------------

    def kernels(self) -> list[KernelModel]:
        """``GET /api/kernels``: the running kernels."""
        data = self._call("GET", "kernels")
        return [KernelModel.from_json(k) for k in data] if isinstance(data, list) else []

    def kernel(self, kernel_id: str) -> KernelModel:
        """``GET /api/kernels/ID``: one kernel's model (NotFoundError once it is gone)."""
        return KernelModel.from_json(self._call("GET", "kernels", kernel_id))

    def start_kernel(self, name: str | None = None, path: str | None = None,
                     env: dict[str, str] | None = None) -> KernelModel:
        """``POST /api/kernels``: start a kernel of spec ``name`` (the server's default when
        None) with working directory ``path`` (relative to the server's root)."""
        body: dict[str, Any] = {}
        if name:
            body["name"] = name
        if path is not None:
            body["path"] = path
        if env:
            body["env"] = dict(env)
        return KernelModel.from_json(self._call("POST", "kernels", body=body))

    def interrupt_kernel(self, kernel_id: str) -> None:
        """``POST /api/kernels/ID/interrupt`` (the server uses the spec's interrupt mode)."""
        self._call("POST", "kernels", kernel_id, "interrupt", body={})

    def restart_kernel(self, kernel_id: str) -> KernelModel:
        """``POST /api/kernels/ID/restart``: returns once the new kernel answered kernel_info."""
        return KernelModel.from_json(self._call("POST", "kernels", kernel_id, "restart", body={}))

    def shutdown_kernel(self, kernel_id: str) -> None:
        """``DELETE /api/kernels/ID``: really stop it (a shutdown_request would be undone by
        the server's auto-restarter)."""
        self._call("DELETE", "kernels", kernel_id)

    # -- sessions -------------------------------------------------------------------------------

    def sessions(self) -> list[SessionModel]:
        """``GET /api/sessions``."""
        data = self._call("GET", "sessions")
        return [SessionModel.from_json(s) for s in data] if isinstance(data, list) else []

    def create_session(self, path: str, *, kernel_name: str | None = None,
                       kernel_id: str | None = None, type: str = "notebook",
                       name: str = "") -> SessionModel:
        """``POST /api/sessions``: bind ``path`` to a new kernel of ``kernel_name`` or to the
        running ``kernel_id``. When a session for ``path`` exists the server returns it (so a
        browser and jtui share one kernel)."""
        kernel: dict[str, str] = {}
        if kernel_id:
            kernel["id"] = kernel_id
        elif kernel_name:
            kernel["name"] = kernel_name
        body = {"path": path, "type": type, "name": name or path.rpartition("/")[2],
                "kernel": kernel}
        return SessionModel.from_json(self._call("POST", "sessions", body=body))

    def delete_session(self, session_id: str) -> None:
        """``DELETE /api/sessions/ID`` (the server shuts its kernel down too)."""
        self._call("DELETE", "sessions", session_id)


class AsyncServerClient:
    """The same calls as :class:`ServerClient`, awaited (each request runs in a thread)."""

    def __init__(self, server: ServerURL, *, timeout: float = DEFAULT_TIMEOUT,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.sync = ServerClient(server, timeout=timeout, ssl_context=ssl_context)

    @property
    def server(self) -> ServerURL:
        """The server's address and token."""
        return self.sync.server

    async def _run(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def version(self) -> str:
        """See :meth:`ServerClient.version`."""
        return await self._run(self.sync.version)

    async def me(self) -> dict[str, Any]:
        """See :meth:`ServerClient.me`."""
        return await self._run(self.sync.me)

    async def kernelspecs(self) -> tuple[str, dict[str, KernelSpecModel]]:
        """See :meth:`ServerClient.kernelspecs`."""
        return await self._run(self.sync.kernelspecs)

    async def kernels(self) -> list[KernelModel]:
        """See :meth:`ServerClient.kernels`."""
        return await self._run(self.sync.kernels)

    async def kernel(self, kernel_id: str) -> KernelModel:
        """See :meth:`ServerClient.kernel`."""
        return await self._run(self.sync.kernel, kernel_id)

    async def start_kernel(self, name: str | None = None, path: str | None = None,
                           env: dict[str, str] | None = None) -> KernelModel:
        """See :meth:`ServerClient.start_kernel`."""
        return await self._run(self.sync.start_kernel, name, path, env)

    async def interrupt_kernel(self, kernel_id: str) -> None:
        """See :meth:`ServerClient.interrupt_kernel`."""
        await self._run(self.sync.interrupt_kernel, kernel_id)

    async def restart_kernel(self, kernel_id: str) -> KernelModel:
        """See :meth:`ServerClient.restart_kernel`."""
        return await self._run(self.sync.restart_kernel, kernel_id)

    async def shutdown_kernel(self, kernel_id: str) -> None:
        """See :meth:`ServerClient.shutdown_kernel`."""
        await self._run(self.sync.shutdown_kernel, kernel_id)

    async def sessions(self) -> list[SessionModel]:
        """See :meth:`ServerClient.sessions`."""
        return await self._run(self.sync.sessions)

    async def create_session(self, path: str, *, kernel_name: str | None = None,
                             kernel_id: str | None = None, type: str = "notebook",
                             name: str = "") -> SessionModel:
        """See :meth:`ServerClient.create_session`."""
        return await self._run(self.sync.create_session, path, kernel_name=kernel_name,
                               kernel_id=kernel_id, type=type, name=name)

    async def delete_session(self, session_id: str) -> None:
        """See :meth:`ServerClient.delete_session`."""
        await self._run(self.sync.delete_session, session_id)
