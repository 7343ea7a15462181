"""Drawing saved widgets (``jtui view``) loads no kernel-protocol code and no UI toolkit."""

from __future__ import annotations

import json
import subprocess
import sys


def test_restoring_and_drawing_saved_widgets_loads_no_protocol() -> None:
    code = ("import json, sys\nimport tui.widgets.state, tui.render.widget_view\n"
            "import tui.render.widget_controls\n"
            "models, _ = tui.widgets.state.restore_models({})\n"
            "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & {"protocol", "zmq", "textual", "prompt_toolkit"}, loaded
