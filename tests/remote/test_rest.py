"""The REST client against a real jupyter_server (token, base URL /user/tester/)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from protocol.remote.errors import (
    AuthError,
    ConnectError,
    NotFoundError,
    RequestError,
    ServerError,
    TLSError,
)
from protocol.remote.rest import AsyncServerClient, ServerClient
from protocol.remote.urls import ServerURL, parse_server_url
from tests.support.jserver import RunningServer, free_port

pytestmark = pytest.mark.kernel


def test_browser_url_reaches_the_server(server: RunningServer) -> None:
    pasted = f"{server.base_url}lab/tree/work/a.ipynb?token={server.token}"
    url = parse_server_url(pasted, env={})
    assert url.base_url == server.base_url and url.path == "work/a.ipynb"
    client = ServerClient(url)
    assert client.version().startswith("2.")
    me = client.me()
    assert isinstance(me.get("identity"), dict)
    default, specs = client.kernelspecs()
    assert default == "python3" and "python3" in specs
    assert specs["python3"].language == "python"


def test_kernel_and_session_lifecycle(server: RunningServer) -> None:
    client = ServerClient(server.url())
    kernel = client.start_kernel("python3", "work")
    try:
        assert kernel.id and kernel.name == "python3"
        assert kernel.id in {k.id for k in client.kernels()}
        assert client.kernel(kernel.id).id == kernel.id
        session = client.create_session("work/n.ipynb", kernel_id=kernel.id)
        assert session.kernel is not None and session.kernel.id == kernel.id
        assert session.path == "work/n.ipynb" and session.type == "notebook"
        # a second client asking for the same path gets the same session and kernel
        again = client.create_session("work/n.ipynb", kernel_name="python3")
        assert again.id == session.id and again.kernel is not None
        assert again.kernel.id == kernel.id
        assert session.id in {s.id for s in client.sessions()}
        client.delete_session(session.id)  # also stops the kernel
        assert session.id not in {s.id for s in client.sessions()}
        with pytest.raises(NotFoundError) as info:
            client.kernel(kernel.id)
        assert "404" in str(info.value) and server.token not in str(info.value)
    finally:
        if kernel.id in {k.id for k in client.kernels()}:
            client.shutdown_kernel(kernel.id)


def test_bad_token_is_a_readable_403_without_the_token(server: RunningServer) -> None:
    wrong = "wrong-" + server.token[:6] + "-secret"
    client = ServerClient(server.url(token=wrong))
    with pytest.raises(AuthError) as info:
        client.kernels()
    text = str(info.value)
    assert info.value.status == 403 and "403" in text and "token" in text.lower()
    assert wrong not in text and server.token not in text
    assert "/user/tester/api/kernels" in text
    # a token pasted in the URL is sent in the header, and kept out of the error
    pasted = parse_server_url(f"{server.base_url}lab?token={wrong}", env={})
    with pytest.raises(AuthError) as info:
        ServerClient(pasted).sessions()
    assert wrong not in str(info.value)


def test_no_token_and_missing_things(server: RunningServer) -> None:
    assert ServerClient(server.url(token="")).version()  # /api needs no token
    with pytest.raises(AuthError):
        ServerClient(server.url(token="")).kernelspecs()
    with pytest.raises(NotFoundError) as info:
        ServerClient(ServerURL(f"http://127.0.0.1:{server.port}/wrong/", None,
                               server.token)).kernels()
    assert "base URL" in str(info.value)
    with pytest.raises(ServerError) as failed:  # 501, and the server's own explanation
        ServerClient(server.url()).create_session("x.ipynb", kernel_name="no-such-kernel")
    assert failed.value.status == 501 and "'no-such-kernel' kernel is not available" in str(
        failed.value)
    client = ServerClient(server.url())
    with pytest.raises(RequestError) as bad:  # 4xx other than 401/403/404
        client.request("POST", server.url().api("sessions"), {"type": "notebook"})
    assert bad.value.status == 400 and "400" in str(bad.value)


def test_connection_refused_is_readable() -> None:
    port = free_port()
    client = ServerClient(ServerURL(f"http://127.0.0.1:{port}/", None, "SECRET"), timeout=5)
    with pytest.raises(ConnectError) as info:
        client.kernels()
    assert "connection refused" in str(info.value) and "SECRET" not in str(info.value)
    assert f"127.0.0.1:{port}" in str(info.value)


def test_untrusted_certificate_is_a_tls_error(tmp_path: Path) -> None:
    """A TLS server whose self-signed certificate nobody trusts (made by openssl)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with contextlib.suppress(OSError), context.wrap_socket(conn, server_side=True):
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        url = ServerURL(f"https://127.0.0.1:{port}/", None, "SECRET")
        with pytest.raises(TLSError) as info:
            ServerClient(url, timeout=10).kernels()
    finally:
        thread.join(10)
        listener.close()
    text = str(info.value)
    assert "TLS error" in text and "CERTIFICATE_VERIFY_FAILED" in text and "SECRET" not in text


async def test_async_client(server: RunningServer) -> None:
    client = AsyncServerClient(server.url())
    kernel = await client.start_kernel()
    try:
        assert kernel.id in {k.id for k in await client.kernels()}
    finally:
        await client.shutdown_kernel(kernel.id)
    assert kernel.id not in {k.id for k in await client.kernels()}
