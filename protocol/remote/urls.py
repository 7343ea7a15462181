"""Server URLs as users paste them: split into base URL, notebook path and token.

A browser shows ``http://host:8888/lab/tree/a/b.ipynb?token=T`` (or ``/notebooks/...``,
``/doc/tree/...``, ``/tree/...``, ``/edit/...``, ``/lab/workspaces/W/tree/...``), possibly below a
base URL such as JupyterHub's ``/user/NAME/``. :func:`parse_server_url` finds the base URL (what
every ``/api/...`` path is relative to), the contents path of the notebook or folder, and the
token, from the URL, an explicit argument or the environment (in that order of precedence:
argument, URL, ``JUPYTER_TOKEN``, ``JUPYTERHUB_API_TOKEN``). :func:`redact` removes tokens
from any URL before it is shown. Nothing here does I/O.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["TOKEN_ENV_VARS", "ServerURL", "parse_server_url", "redact"]

#: Environment variables a token is read from when neither the argument nor the URL has one.
TOKEN_ENV_VARS: tuple[str, ...] = ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN")

# The front-end routes that end the base URL; what follows them is a contents path.
_ROUTES = re.compile(
    r"/(?:lab/workspaces/[^/]+/tree|lab/tree|doc/workspaces/[^/]+/tree|doc/tree|notebooks|"
    r"tree|edit|voila/render)(?=/|$)"
)
# Front-end pages without a path: the base URL is what precedes them.
_PAGES = re.compile(r"/(?:lab|doc|login|api)(?=/|$)")
_SECRET_KEYS = frozenset({"token", "_xsrf", "access_token"})


@dataclass(frozen=True)
class ServerURL:
    """A Jupyter Server's address: ``base_url`` ends with ``/``; ``path`` is a contents path
    (``""`` for the root, no leading ``/``) or ``None``; ``token`` may be ``None``.

    ``repr`` never shows the token.
    """

    base_url: str
    path: str | None = None
    token: str | None = None

    def __repr__(self) -> str:
        token = "None" if self.token is None else "'***'"
        return f"ServerURL(base_url={self.base_url!r}, path={self.path!r}, token={token})"

    def api(self, *parts: str, query: Mapping[str, str] | None = None) -> str:
        """The full URL of ``api/<parts...>`` (each part percent-encoded, ``/`` kept)."""
        path = "/".join(quote(p.strip("/"), safe="/") for p in ("api", *parts) if p)
        url = self.base_url + path
        return url + ("?" + urlencode(dict(query)) if query else "")

    def websocket(self, kernel_id: str, session_id: str) -> str:
        """The ``ws://`` (or ``wss://``) URL of a kernel's channels for one client session."""
        http = self.api("kernels", kernel_id, "channels", query={"session_id": session_id})
        return "ws" + http[len("http"):]

    def shown(self) -> str:
        """The base URL as it may be shown to a user (it never holds a token)."""
        return self.base_url


def redact(url: str) -> str:
    """``url`` without token-like query parameters and without a password: safe to show."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _SECRET_KEYS]
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), ""))


def parse_server_url(
    url: str,
    token: str | None = None,
    env: Mapping[str, str] | None = None,
) -> ServerURL:
    """Split a pasted server or notebook URL into a :class:`ServerURL`.

    ``host:8888`` without a scheme gets ``http://``. Raises ValueError (without the token in
    its message) for what is not an http(s) URL.
    """
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) server URL: {redact(text)}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    found = token or query.get("token") or None
    if found is None:
        environ = os.environ if env is None else env
        found = next((environ[v] for v in TOKEN_ENV_VARS if environ.get(v)), None)
    raw_path = parts.path or "/"
    route = _ROUTES.search(raw_path)
    path: str | None = None
    if route is not None:
        base = raw_path[: route.start()]
        path = unquote(raw_path[route.end():]).strip("/")
    else:
        page = _PAGES.search(raw_path)
        base = raw_path[: page.start()] if page is not None else raw_path
    base = base.rstrip("/") + "/"
    netloc = parts.netloc.rpartition("@")[2]
    return ServerURL(urlunsplit((parts.scheme, netloc, base, "", "")), path, found)
