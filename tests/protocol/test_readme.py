"""The README's protocol example is real: extract it and run it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- section:protocol -->", 1)[1].split("<!-- /section:protocol -->")[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "no python example in the README's protocol section"
    return match.group(1)


@pytest.mark.kernel
def test_readme_example_runs_and_prints_the_outputs() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _example()], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["stdout 'hello\\n'", "result 42", "done ok"]
