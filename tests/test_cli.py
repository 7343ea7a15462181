"""The top-level command line dispatch."""

from __future__ import annotations

import subprocess
import sys


def test_version_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "tui", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("jupyter-tui ")
    out = subprocess.run([sys.executable, "-m", "tui", "--help"], capture_output=True,
                         text=True, check=True)
    for name in ("console", "kernels", "validate", "trust"):
        assert name in out.stdout
