"""``jtui run``: the real CLI in a subprocess, outputs checked with nbformat."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

pytestmark = pytest.mark.kernel


def _write(path: Path, *cells: object, kernel: str = "python3") -> Path:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _jtui(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=timeout
    )


def test_run_saves_outputs_that_validate(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "a.ipynb",
        new_markdown_cell("# title"),
        new_code_cell("import sys\nprint('out')\nprint('err', file=sys.stderr)"),
        new_code_cell(""),
        new_code_cell("from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))\n40+2"),
    )
    result = _jtui("run", str(source))
    assert result.returncode == 0, result.stderr
    target = tmp_path / "a.nbconvert.ipynb"
    nb = nbformat.read(str(target), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, None, 2]
    assert [(o.output_type, o.get("name")) for o in code[0].outputs] == [
        ("stream", "stdout"), ("stream", "stderr")
    ]
    assert code[0].outputs[0].text == "out\n"
    assert [o.output_type for o in code[2].outputs] == ["display_data", "execute_result"]
    assert code[2].outputs[1].data["text/plain"] == "42"
    assert set(code[0].metadata.execution) >= {"iopub.status.busy", "shell.execute_reply"}
    assert nb.metadata.language_info.name == "python"
    assert nbformat.read(str(source), as_version=4).cells[1].outputs == []


def test_failing_cell_stops_the_run_and_writes_nothing(tmp_path: Path) -> None:
    source = _write(tmp_path / "b.ipynb", new_code_cell("1/0"), new_code_cell("print('later')"))
    result = _jtui("run", str(source), "--output", str(tmp_path / "out.ipynb"))
    assert result.returncode == 1
    assert "cell 0 failed" in result.stderr and "ZeroDivisionError" in result.stderr
    assert not (tmp_path / "out.ipynb").exists()

    result = _jtui("run", str(source), "--inplace", "--allow-errors", "--no-timing")
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(str(source), as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].outputs[0].ename == "ZeroDivisionError"
    assert nb.cells[1].outputs[0].text == "later\n"
    assert "execution" not in nb.cells[0].metadata


def test_timeout_interrupts_the_cell(tmp_path: Path) -> None:
    source = _write(tmp_path / "c.ipynb", new_code_cell("import time\ntime.sleep(60)"))
    t0 = time.monotonic()
    result = _jtui("run", str(source), "--timeout", "1")
    assert time.monotonic() - t0 < 30
    assert result.returncode == 1
    assert "timed out after 1 s" in result.stderr


def test_run_on_bash_kernel_and_missing_kernel(tmp_path: Path) -> None:
    source = _write(tmp_path / "d.ipynb", new_code_cell("echo hi"), kernel="bash")
    result = _jtui("run", str(source), "--output", str(tmp_path / "d-out"))
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(str(tmp_path / "d-out.ipynb"), as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].outputs[0].text == "hi\n"

    result = _jtui("run", str(source), "--kernel", "nope-kernel")
    assert result.returncode == 2
    assert "No kernel named 'nope-kernel'" in result.stderr and "python3" in result.stderr
