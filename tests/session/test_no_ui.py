"""tui.session and tui.run are UI-free: importing them loads no UI toolkit."""

from __future__ import annotations

import json
import subprocess
import sys


def test_session_and_runner_load_no_ui_toolkit() -> None:
    code = (
        "import json, sys\n"
        "import tui.session, tui.run, tui.commands.run\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & {"textual", "rich", "prompt_toolkit"}
