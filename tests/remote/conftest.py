"""Fixtures for the remote tests: real jupyter_servers on loopback, started per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.jserver import RunningServer, jupyter_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A jupyter_server with a token, below the base URL /user/tester/ (as on a hub)."""
    root = tmp_path_factory.mktemp("server-root")
    (root / "work").mkdir()
    with jupyter_server(root, base_path="/user/tester/") as running:
        yield running


@pytest.fixture(scope="module")
def legacy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A jupyter_server that speaks only the legacy WebSocket framing (as gateways do)."""
    root = tmp_path_factory.mktemp("legacy-root")
    with jupyter_server(
        root, extra=("--ZMQChannelsWebsocketConnection.kernel_ws_protocol=",)
    ) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real Jupyter Kernel Gateway 3.0 with an auth token (kernels only, no contents)."""
    from tests.support.kgateway import kernel_gateway

    with kernel_gateway(tmp_path_factory.mktemp("gateway-root")) as running:
        yield running


@pytest.fixture(scope="module")
def gateway_mode_server(gateway: RunningServer, tmp_path_factory: pytest.TempPathFactory,
                        ) -> Iterator[RunningServer]:
    """A jupyter_server in gateway mode (``--gateway-url``) in front of ``gateway``: its
    kernels live on the gateway and its kernel WebSocket speaks only the legacy framing."""
    root = tmp_path_factory.mktemp("gateway-mode-root")
    with jupyter_server(root, extra=(f"--GatewayClient.url={gateway.base_url.rstrip('/')}",
                                     f"--GatewayClient.auth_token={gateway.token}")) as running:
        yield running
