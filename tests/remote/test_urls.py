"""What users paste from a browser, split into base URL, path and token."""

from __future__ import annotations

import pytest

from protocol.remote.urls import ServerURL, parse_server_url, redact

NO_ENV: dict[str, str] = {}


@pytest.mark.parametrize(
    ("url", "base", "path"),
    [
        ("http://host:8888/lab/tree/a/b.ipynb?token=T", "http://host:8888/", "a/b.ipynb"),
        ("http://host:8888/notebooks/a%20b/c.ipynb?token=T", "http://host:8888/", "a b/c.ipynb"),
        ("http://host:8888/doc/tree/x.ipynb?token=T", "http://host:8888/", "x.ipynb"),
        ("http://host:8888/tree/work?token=T", "http://host:8888/", "work"),
        ("http://host:8888/tree?token=T", "http://host:8888/", ""),
        ("https://hub.example/user/ann/lab/tree/n.ipynb?token=T",
         "https://hub.example/user/ann/", "n.ipynb"),
        ("https://hub.example/user/ann/gpu/notebooks/n.ipynb?token=T",
         "https://hub.example/user/ann/gpu/", "n.ipynb"),
        ("http://host:8888/lab/workspaces/auto-x/tree/n.ipynb?token=T",
         "http://host:8888/", "n.ipynb"),
        ("http://host:8888/lab?token=T", "http://host:8888/", None),
        ("http://host:8888/user/bob/lab", "http://host:8888/user/bob/", None),
        ("http://host:8888/?token=T", "http://host:8888/", None),
        ("http://host:8888", "http://host:8888/", None),
        ("host:8888/base/", "http://host:8888/base/", None),
        ("http://u:pw@host:8888/lab/tree/n.ipynb?token=T", "http://host:8888/", "n.ipynb"),
    ],
)
def test_browser_urls(url: str, base: str, path: str | None) -> None:
    server = parse_server_url(url, env=NO_ENV)
    assert (server.base_url, server.path) == (base, path)


def test_token_precedence_argument_url_environment() -> None:
    env = {"JUPYTER_TOKEN": "E1", "JUPYTERHUB_API_TOKEN": "E2"}
    assert parse_server_url("http://h/?token=U", "A", env=env).token == "A"
    assert parse_server_url("http://h/?token=U", env=env).token == "U"
    assert parse_server_url("http://h/", env=env).token == "E1"
    assert parse_server_url("http://h/", env={"JUPYTERHUB_API_TOKEN": "E2"}).token == "E2"
    assert parse_server_url("http://h/", env=NO_ENV).token is None


def test_token_is_never_in_repr_urls_or_errors() -> None:
    server = parse_server_url("http://h:1/user/x/lab?token=SECRET", env=NO_ENV)
    assert "SECRET" not in repr(server) and "SECRET" not in server.shown()
    assert "SECRET" not in server.api("kernels") and "SECRET" not in server.websocket("k", "s")
    with pytest.raises(ValueError) as info:
        parse_server_url("ftp://h/?token=SECRET")
    assert "SECRET" not in str(info.value)


def test_api_and_websocket_urls() -> None:
    server = ServerURL("https://h/user/a b/", None, "t")
    assert server.api("kernels", "k1", "restart") == "https://h/user/a b/api/kernels/k1/restart"
    assert server.api("") == "https://h/user/a b/api"
    assert server.api("contents", "d/n 1.ipynb") == "https://h/user/a b/api/contents/d/n%201.ipynb"
    assert (ServerURL("http://h:8/").websocket("k", "s")
            == "ws://h:8/api/kernels/k/channels?session_id=s")
    assert server.websocket("k", "s").startswith("wss://")


def test_redact_drops_secrets_and_keeps_the_rest() -> None:
    assert redact("http://u:p@h:8/lab?token=T&file=x&_xsrf=Y") == "http://h:8/lab?file=x"
    assert redact("http://h/") == "http://h/"
