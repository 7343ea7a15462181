"""The README's remote example is real: run it against a real jupyter_server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.jserver import RunningServer

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = "http://127.0.0.1:8888/lab?token=..."


@pytest.mark.kernel
def test_readme_remote_example_runs(server: RunningServer) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- section:remote -->", 1)[1].split("<!-- /section:remote -->")[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match and PLACEHOLDER in match.group(1)
    code = match.group(1).replace(PLACEHOLDER, f"{server.base_url}lab")
    env = {**os.environ, "JUPYTER_TOKEN": server.token}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=90, env=env)
    assert out.returncode == 0, out.stderr
    assert "ExecuteResult {'text/plain': '2'}" in out.stdout.splitlines()
    assert out.stdout.splitlines()[-1].startswith("ExecutionDone")
