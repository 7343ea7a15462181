"""The editor tests write nothing under $HOME, and still find the venv's kernels."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from protocol import paths
from protocol.kernelspec import find_kernel_specs
from tui.notebook import hints


def test_user_dirs_point_into_tmp_and_the_venv_kernels_are_still_found(
        tmp_path: Path) -> None:
    assert paths.jupyter_data_dir() == str(tmp_path / "data")
    assert paths.jupyter_runtime_dir() == str(tmp_path / "runtime")
    assert paths.jupyter_config_dir() == str(tmp_path / "config")
    specs = find_kernel_specs()
    venv_kernels = Path(sys.prefix, "share", "jupyter", "kernels")
    for name in ("python3", "bash", "xpython"):
        assert name in specs, sorted(specs)
    assert Path(specs["xpython"].resource_dir).parent == venv_kernels


def test_the_key_hint_marker_goes_to_the_tmp_data_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM_PROGRAM", "xterm")  # not known to send Shift+Enter: hint once
    monkeypatch.setenv("TERM", "xterm-256color")
    assert hints.should_show_key_hint()
    assert (tmp_path / "data" / "jupyter_tui" / "key-hint-shown").is_file()
    assert not hints.should_show_key_hint()
