"""``jtui run --server URL PATH`` (and a notebook URL) against a real jupyter_server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from protocol.remote.rest import ServerClient
from tests.support.jserver import RunningServer

pytestmark = pytest.mark.kernel


def _nb(*sources: str) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
              "outputs": [], "source": src} for i, src in enumerate(sources)]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5})


def _jtui(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN")}
    environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui", "run", *args], capture_output=True,
                          text=True, timeout=120, env=environ)


def _outputs(path: Path) -> list[list[dict[str, object]]]:
    return [c["outputs"] for c in json.loads(path.read_text())["cells"]]


def test_run_reads_runs_and_writes_beside_on_the_server(server: RunningServer) -> None:
    folder = server.root / "work" / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.ipynb").write_text(_nb("import os; print(os.getcwd())", "6 * 7"))
    kernels = {k.id for k in ServerClient(server.url()).kernels()}
    out = _jtui("--server", server.base_url, "--token", server.token, "work/runs/a.ipynb")
    assert out.returncode == 0, out.stderr
    assert server.token not in out.stderr + out.stdout
    assert "2 cells on python3" in out.stderr
    written = _outputs(folder / "a.nbconvert.ipynb")
    assert written[0][0]["text"] == [f"{folder}\n"]  # the kernel ran in the notebook's folder
    assert written[1][0]["data"] == {"text/plain": ["42"]}
    assert _outputs(folder / "a.ipynb") == [[], []]  # the input is untouched
    assert {k.id for k in ServerClient(server.url()).kernels()} == kernels  # shut down


def test_run_a_notebook_url_inplace_and_to_a_local_file(server: RunningServer,
                                                        tmp_path: Path) -> None:
    (server.root / "work" / "b.ipynb").write_text(_nb("print('from b')"))
    url = f"{server.base_url}lab/tree/work/b.ipynb?token={server.token}"
    local = tmp_path / "local.ipynb"
    out = _jtui(url, "-o", str(local))
    assert out.returncode == 0, out.stderr
    assert _outputs(local)[0][0]["text"] == ["from b\n"]
    assert _outputs(server.root / "work" / "b.ipynb") == [[]]
    out = _jtui(url, "--inplace")
    assert out.returncode == 0, out.stderr
    assert server.token not in out.stderr
    assert _outputs(server.root / "work" / "b.ipynb")[0][0]["text"] == ["from b\n"]


def test_run_errors_and_exit_codes(server: RunningServer) -> None:
    folder = server.root / "work"
    (folder / "bad.ipynb").write_text(_nb("print('before')", "1 / 0", "print('after')"))
    base = ("--server", server.base_url)
    env = {"JUPYTER_TOKEN": server.token}
    failed = _jtui(*base, "work/bad.ipynb", env=env)
    assert failed.returncode == 1 and "ZeroDivisionError" in failed.stderr
    assert not (folder / "bad.nbconvert.ipynb").exists()  # nothing written
    allowed = _jtui(*base, "work/bad.ipynb", "--allow-errors", env=env)
    assert allowed.returncode == 0, allowed.stderr
    outputs = _outputs(folder / "bad.nbconvert.ipynb")
    assert outputs[1][0]["ename"] == "ZeroDivisionError" and outputs[2][0]["text"] == ["after\n"]

    missing = _jtui(*base, "work/none.ipynb", env=env)
    assert missing.returncode == 2 and "404" in missing.stderr and "Traceback" not in missing.stderr
    wrong = _jtui(*base, "work/bad.ipynb", "--token", "wrong-token-456")
    assert wrong.returncode == 2 and "403" in wrong.stderr
    assert "wrong-token-456" not in wrong.stderr
    nokernel = _jtui(*base, "work/bad.ipynb", "--kernel", "no-such-kernel", env=env)
    assert nokernel.returncode == 2 and "no-such-kernel" in nokernel.stderr
    assert "Traceback" not in nokernel.stderr
    (folder / "broken.ipynb").write_text("{not json")
    broken = _jtui(*base, "work/broken.ipynb", env=env)
    assert broken.returncode == 2 and "cannot read" in broken.stderr
    nopath = _jtui(f"{server.base_url}lab?token={server.token}")
    assert nopath.returncode == 2 and "names no notebook" in nopath.stderr
    assert server.token not in nopath.stderr


def test_ctrl_c_stops_the_run_and_its_server_kernel(server: RunningServer) -> None:
    import signal
    import time

    started = server.root / "work" / "slow.started"  # the kernel runs in the notebook's folder
    (server.root / "work" / "slow.ipynb").write_text(
        _nb("import time; open('slow.started', 'w').close(); time.sleep(120)"))
    client = ServerClient(server.url())
    before = {k.id for k in client.kernels()}
    environ = {k: v for k, v in os.environ.items() if k != "JUPYTERHUB_API_TOKEN"}
    environ["JUPYTER_TOKEN"] = server.token
    run = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "tui", "run",
                            "--server", server.base_url, "work/slow.ipynb"],
                           stderr=subprocess.PIPE, text=True, env=environ,
                           # as from a terminal: a suite started in the background (nohup, a
                           # CI runner) has SIGINT ignored, and children inherit that
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not started.exists():  # the cell runs (a kernel's start-up is busy too)
            assert run.poll() is None and time.monotonic() < deadline, "the cell never ran"
            time.sleep(0.05)  # polling for the condition
        run.send_signal(signal.SIGINT)
        try:
            code = run.wait(60)
        except subprocess.TimeoutExpired:
            # Seen twice in full suite runs under load, never alone: say where it is stuck
            # (faulthandler prints every thread's stack on SIGABRT).
            run.send_signal(signal.SIGABRT)
            run.wait(30)
            pytest.fail("jtui run did not end within 60 s of Ctrl+C; its threads:\n"
                        + (run.stderr.read() if run.stderr else ""))
        assert code == 130
        assert "interrupted; nothing written" in (run.stderr.read() if run.stderr else "")
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert {k.id for k in client.kernels()} == before
    assert not (server.root / "work" / "slow.nbconvert.ipynb").exists()


def test_inplace_is_refused_when_the_notebook_changed_on_the_server(
        server: RunningServer) -> None:
    path = server.root / "work" / "moving.ipynb"
    # The kernel runs in the notebook's folder: its cell changes the file behind our back.
    path.write_text(_nb("open('moving.ipynb', 'a').write('\\n')"))
    out = _jtui(f"{server.base_url}lab/tree/work/moving.ipynb?token={server.token}", "--inplace")
    assert out.returncode == 2 and "changed on the server during the run" in out.stderr
    assert _outputs(path) == [[]]  # nothing written over it
