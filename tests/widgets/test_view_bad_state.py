"""``jtui view`` of notebooks whose saved widget state is bad: each problem reported on stderr,
the widget shown as its text/plain, the rest of the notebook drawn, exit status 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat

STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"


def _notebook(path: Path, saved: Any) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("s")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        VIEW: {"model_id": "m1", "version_major": 2, "version_minor": 0},
        "text/plain": "IntSlider(value=3)"})]
    nb.cells = [cell, nbformat.v4.new_markdown_cell("after the widget")]
    nb.metadata["widgets"] = {STATE: saved}
    path.write_text(nbformat.writes(nb, version=4), encoding="utf-8")
    return path


def _view(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "JUPYTER_CONFIG_DIR": str(path.parent / "cfg")}
    return subprocess.run([sys.executable, "-m", "tui", "view", str(path), "--no-pager"],
                          capture_output=True, text=True, env=env, timeout=60)


def test_bad_saved_states_are_reported_and_survived(tmp_path: Path) -> None:
    slider = {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
              "model_module_version": "2.0.0", "state": {"value": 3}}
    cases = {
        "version": ({"version_major": 3, "version_minor": 0, "state": {}},
                    "version 3 is not supported"),
        "nostate": ({"version_major": 2, "version_minor": 0, "state": {"m1": {"x": 1}}},
                    "has no state"),
        "buffer": ({"version_major": 2, "version_minor": 0, "state": {"m1": {
            **slider, "buffers": [{"path": ["value"], "data": "not base64!",
                                   "encoding": "base64"}]}}}, "does not decode"),
        "path": ({"version_major": 2, "version_minor": 0, "state": {"m1": {
            **slider, "buffers": [{"path": ["a", "b"], "data": "AAAA"}]}}}, "points nowhere"),
    }
    for name, (saved, problem) in cases.items():
        done = _view(_notebook(tmp_path / f"{name}.ipynb", saved))
        assert done.returncode == 0, (name, done.stderr)
        assert problem in done.stderr and "Traceback" not in done.stderr, (name, done.stderr)
        assert "after the widget" in done.stdout, name
        if name in ("version", "nostate"):
            assert "IntSlider(value=3)" in done.stdout, name
        else:  # the model is still there, with what could be used
            assert "●" in done.stdout and " 3" in done.stdout, (name, done.stdout)
