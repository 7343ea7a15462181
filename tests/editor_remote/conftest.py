"""Fixtures for the editor on a real jupyter_server (token, base URL), started per module."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.jserver import RunningServer, jupyter_server
from tui.notebook import command


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A jupyter_server with a token below the base URL /user/tester/ (as on a hub)."""
    root = tmp_path_factory.mktemp("server-root")
    (root / "work").mkdir()
    with jupyter_server(root, base_path="/user/tester/") as running:
        yield running


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No token from the environment unless a test sets one; Jupyter dirs in tmp."""
    for name in ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))


def parse(*argv: str) -> argparse.Namespace:
    """``jtui ARGV`` as the command line parses it."""
    parser = argparse.ArgumentParser(prog="jtui")
    command.add_arguments(parser)
    return parser.parse_args(list(argv))
