"""``[editor] save_widget_state`` in jupyter_tui.toml: off by default (as JupyterLab's
``saveState``), a bad value warned about and ignored."""

from __future__ import annotations

import json
from pathlib import Path

from tui.config import load_editor


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jupyter_tui.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_jupyterlabs() -> None:
    import tui

    assert load_editor(Path("/nonexistent/jupyter_tui.toml")).save_widget_state is False
    schema = Path(tui.__file__).parents[1] / ".venv/share/jupyter/labextensions/" \
        "@jupyter-widgets/jupyterlab-manager/schemas/@jupyter-widgets/jupyterlab-manager/" \
        "plugin.json"
    if schema.exists():  # the lab extension ipywidgets installs says the same
        assert json.loads(schema.read_text())["properties"]["saveState"]["default"] is False


def test_turned_on_and_bad_values(tmp_path: Path) -> None:
    on = load_editor(_config(tmp_path, "[editor]\nsave_widget_state = true\n"))
    assert on.save_widget_state is True and not on.warnings
    bad = load_editor(_config(tmp_path, "[editor]\nsave_widget_state = 'yes'\nautosave = 30\n"))
    assert bad.save_widget_state is False and bad.autosave == 30.0
    assert "save_widget_state must be true or false" in bad.warnings[0]
