"""``jtui PATH`` (the editor) and ``jtui run`` on SIGHUP and SIGTERM: they end as on a quit (the
kernel shut down, what its cells started killed, the connection file removed), with status
128 + the signal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import nbio
from tests.console.conftest import owned_kernel_pids
from tests.console.test_console_hangup import assert_cleaned_up, exit_status, hang_up
from tests.session.conftest import notebook
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.kernel]

ROOT = Path(__file__).resolve().parents[2]
START_CHILD = (
    "import subprocess\np = subprocess.Popen(['sleep', '1000'])\nprint('child', p.pid)\n"
    "open('child.pid', 'w').write(str(p.pid))"
)


def environment(tmp_path: Path) -> dict[str, str]:
    """A private runtime dir (to find the connection file) and no terminal detection."""
    env = dict(os.environ)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "jupyter_tui.toml").write_text('[display]\ngraphics = "none"\n')
    env["JUPYTER_CONFIG_DIR"] = str(config)
    return env


def wait_for_file(path: Path, timeout: float) -> str:
    """Poll until ``path`` has content; return it."""
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.read_text()):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)
    return path.read_text()


@pytest.mark.pty
@pytest.mark.parametrize("how", ["close the terminal", "SIGTERM"])
def test_editor_quits_on_hangup(tmp_path: Path, how: str) -> None:
    path = tmp_path / "nb.ipynb"
    nbio.write(notebook(START_CHILD), path)
    env = environment(tmp_path)
    term = Terminal([sys.executable, "-m", "tui", str(path)], rows=24, cols=80,
                    env=env, cwd=str(ROOT))  # the worktree: python -m tui runs its code
    try:
        term.wait_for("cell 1 of 1", timeout=60)
        term.wait_for("idle", timeout=60)
        term.send("\x05")  # Ctrl+E: run the cell
        match = term.wait_for(re.compile(r"child (\d+)"), timeout=60)
        assert isinstance(match, re.Match)
        child = int(match.group(1))
        kernels = owned_kernel_pids(term.pid)
        files = list((tmp_path / "runtime").glob("kernel-*.json"))
        assert kernels and len(files) == 1
        if how == "SIGTERM":
            os.kill(term.pid, signal.SIGTERM)
            expected = 128 + signal.SIGTERM
        else:
            hang_up(term)
            expected = 128 + signal.SIGHUP
        assert exit_status(term) == expected
        assert_cleaned_up(term.pid, kernels, child, files)
    finally:
        term.close()


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_run_stops_on_hangup(tmp_path: Path, sig: signal.Signals) -> None:
    path = tmp_path / "nb.ipynb"
    nbio.write(notebook(START_CHILD, "import time\ntime.sleep(100)"), path)
    proc = subprocess.Popen([sys.executable, "-m", "tui", "run", str(path), "--inplace"],
                            cwd=ROOT, env=environment(tmp_path), stderr=subprocess.PIPE,
                            text=True)
    try:
        before = path.read_bytes()
        child = int(wait_for_file(tmp_path / "child.pid", 60))
        kernels = owned_kernel_pids(proc.pid)
        files = list((tmp_path / "runtime").glob("kernel-*.json"))
        assert kernels and len(files) == 1
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 128 + sig, err
        assert "nothing written" in err
        assert path.read_bytes() == before
        assert_cleaned_up(proc.pid, kernels, child, files)
    finally:
        proc.kill()
        proc.wait()
