"""Piped use: ``echo CODE | jtui console`` runs standard input as a cell."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.console.conftest import ROOT

pytestmark = pytest.mark.kernel


def _run(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "console", *args], input=code, capture_output=True,
        text=True, cwd=ROOT, env=env, timeout=60,
    )


def test_piped_code_prints_outputs_and_exits_zero(console_env: dict[str, str]) -> None:
    result = _run("print('piped', 1)\nimport sys\nprint('warn', file=sys.stderr)\n40 + 2\n",
                  console_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["piped 1", "42"]
    assert result.stderr.strip() == "warn"


def test_piped_code_that_raises_exits_non_zero(console_env: dict[str, str]) -> None:
    result = _run("print('before')\nraise ValueError('boom')\n", console_env)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["before"]
    assert "ValueError: boom" in result.stderr
    assert "\x1b[" not in result.stderr  # no colours when not writing to a terminal


def test_piped_bash(console_env: dict[str, str]) -> None:
    ok = _run("echo one\necho two\n", console_env, "--kernel", "bash")
    assert ok.returncode == 0
    assert ok.stdout.splitlines() == ["one", "two"]


def test_unknown_kernel_is_a_clear_error(console_env: dict[str, str]) -> None:
    result = _run("print(1)\n", console_env, "--kernel", "no-such-kernel")
    assert result.returncode == 2
    assert "no-such-kernel" in result.stderr
