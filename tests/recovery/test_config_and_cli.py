"""``[editor] autosave`` in jupyter_tui.toml, and ``jtui recover`` listing journals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.recovery.conftest import small_notebook
from tui.config import load_editor
from tui.recovery.process import this_process

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path, text):
    path = tmp_path / "jupyter_tui.toml"
    path.write_text(text)
    return path


def test_autosave_defaults_to_120_seconds(tmp_path):
    assert load_editor(tmp_path / "missing.toml").autosave == 120.0
    assert load_editor(_config(tmp_path, "[display]\n")).autosave == 120.0


@pytest.mark.parametrize("value, seconds", [("0", 0.0), ("30", 30.0), ("2.5", 2.5)])
def test_autosave_seconds_are_read(tmp_path, value, seconds):
    config = load_editor(_config(tmp_path, f"[editor]\nautosave = {value}\n"))
    assert config.autosave == seconds and not config.warnings


@pytest.mark.parametrize("value", ["-1", "true", '"often"'])
def test_a_bad_autosave_value_is_a_warning_and_the_default(tmp_path, value):
    config = load_editor(_config(tmp_path, f"[editor]\nautosave = {value}\n"))
    assert config.autosave == 120.0 and "autosave" in config.warnings[0]


def test_a_config_that_does_not_parse_is_a_warning(tmp_path):
    config = load_editor(_config(tmp_path, "[editor\n"))
    assert config.autosave == 120.0 and config.warnings


def _jtui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_jtui_recover_with_no_journals_says_so(journal_dir):
    out = _jtui("recover")
    assert out.returncode == 0 and "No recovery journals" in out.stdout
    assert str(journal_dir) in out.stdout


def test_jtui_recover_lists_path_time_pid_and_liveness(tmp_path, write_journal):
    write_journal(tmp_path / "crashed.ipynb", small_notebook("x"))
    write_journal(tmp_path / "open.ipynb", small_notebook("y"), writer=this_process())
    bad = write_journal(tmp_path / "bad.ipynb", small_notebook("z"))
    bad.write_bytes(b"{")
    out = _jtui("recover")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert str(tmp_path / "crashed.ipynb") in text and str(tmp_path / "open.ipynb") in text
    assert "not running" in text and ", running" in text
    assert f"pid {this_process().pid}" in text
    assert "DAMAGED" in text and "jtui --recover PATH" in text


def test_jtui_help_lists_recover():
    assert "recover" in _jtui("--help").stdout
