"""Saved widget state with real parts: a notebook executed by nbclient (``store_widget_state``,
real ipykernel, ipywidgets 8, tqdm) drawn by ``jtui view``; ``jtui run --store-widget-state``
on the same notebook saves the same models with the same states."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .widget_notebook import run_with_nbclient, widget_notebook

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(300)]  # nbclient fails first, naming the cell

STATE = "application/vnd.jupyter.widget-state+json"
REF = "IPY_MODEL_"


def jtui(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "JUPYTER_CONFIG_DIR": str(cwd / "config")}
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the unexecuted notebook, the same notebook executed and saved by nbclient)."""
    folder = tmp_path_factory.mktemp("widgets")
    source = widget_notebook(folder / "widgets.ipynb")
    target = folder / "widgets.nbclient.ipynb"
    run_with_nbclient(source, target)
    return source, target


def canonical(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """The saved models in an order that does not depend on their (random) ids: found from
    the outputs' views, then through references in sorted key order; references replaced by
    the index of the model they name."""
    entries = nb["metadata"]["widgets"][STATE]["state"]
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order or model_id not in entries:
            return
        order.append(model_id)
        state = entries[model_id]["state"]
        for key in sorted(state):
            values = state[key] if isinstance(state[key], list) else [state[key]]
            for value in values:
                if isinstance(value, str) and value.startswith(REF):
                    visit(value[len(REF):])

    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                visit(view["model_id"])
    rest = sorted((i for i in entries if i not in order),
                  key=lambda i: json.dumps(entries[i], sort_keys=True))
    order.extend(rest)
    index = {model_id: n for n, model_id in enumerate(order)}

    def swap(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(REF):
            return f"model#{index.get(value[len(REF):], '?')}"
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):  # an Output's captured widget view names its model too
            return {k: (f"model#{index.get(v, '?')}" if k == "model_id" else swap(v))
                    for k, v in value.items()}
        return value

    return [swap(entries[model_id]) for model_id in order]


def test_jtui_run_stores_the_widget_state_nbclient_stores(executed: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    source, by_nbclient = executed
    target = tmp_path / "widgets.jtui.ipynb"
    done = jtui("run", str(source), "--store-widget-state", "--output", str(target),
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ours = json.loads(target.read_text(encoding="utf-8"))
    theirs = json.loads(by_nbclient.read_text(encoding="utf-8"))
    saved = ours["metadata"]["widgets"][STATE]
    assert (saved["version_major"], saved["version_minor"]) == (2, 0)
    mine, reference = canonical(ours), canonical(theirs)
    assert len(mine) == len(reference) == len(saved["state"])
    assert [m["model_name"] for m in mine] == [m["model_name"] for m in reference]
    assert [(m["model_module"], m["model_module_version"]) for m in mine] == \
        [(m["model_module"], m["model_module_version"]) for m in reference]
    for a, b in zip(mine, reference):
        assert a == b, a["model_name"]
    image = next(m for m in mine if m["model_name"] == "ImageModel")
    assert image["buffers"][0]["path"] == ["value"]
    assert image["buffers"][0]["encoding"] == "base64"
    bar = next(m for m in mine if m["model_name"] == "FloatProgressModel"
               and m["state"]["max"] == 200)
    assert bar["state"]["value"] == 200 and bar["state"]["bar_style"] == "success"


def test_jtui_run_without_the_flag_saves_no_widget_state(executed: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    source, _ = executed
    target = tmp_path / "plain.ipynb"
    done = jtui("run", str(source), "--output", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "widgets" not in json.loads(target.read_text(encoding="utf-8"))["metadata"]


def test_jtui_view_draws_the_saved_widgets(executed: tuple[Path, Path], tmp_path: Path) -> None:
    _, by_nbclient = executed
    done = jtui("view", str(by_nbclient), "--width", "90", "--graphics", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    text = done.stdout
    assert "IntSlider(value=7, description" not in text  # no text/plain stand-in
    slider = next(line for line in text.splitlines() if "Speed" in line and "●" in line)
    assert slider.rstrip().endswith(" 7")
    bar = next(line for line in text.splitlines() if "200/200" in line).strip()
    assert bar.startswith("100%|█") and bar.endswith("█| 200/200"), bar
    for expected in ("☑ on", "Name hello", "Go", "Pick b", "▾", "a label", "bold html",
                     "Half |", " A │ B │", "two", "captured text", "inside",
                     "nested label", "outside",
                     "[widget FancyModel (fancy-widgets): not drawn in the terminal]",
                     "Fancy()"):
        assert expected in text, expected


def test_an_output_widget_captures_a_print_and_a_plot(tmp_path: Path) -> None:
    source = widget_notebook(tmp_path / "capture.ipynb", [
        "import ipywidgets as w, matplotlib.pyplot as plt\n"
        "out = w.Output()\n"
        "display(out)\n"
        "with out:\n"
        "    print('in the widget')\n"
        "    plt.figure(figsize=(2, 1)); plt.plot([1, 3, 2]); plt.show()\n"
        "print('in the cell')"])
    target = tmp_path / "capture.out.ipynb"
    done = jtui("run", str(source), "--store-widget-state", "--output", str(target),
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    nb = json.loads(target.read_text(encoding="utf-8"))
    cell = nb["cells"][0]["outputs"]
    assert [o["output_type"] for o in cell] == ["display_data", "stream"]
    assert "".join(cell[1]["text"]) == "in the cell\n"
    [output] = [m for m in nb["metadata"]["widgets"][STATE]["state"].values()
                if m["model_name"] == "OutputModel"]
    captured = output["state"]["outputs"]
    assert captured[0]["name"] == "stdout" and captured[0]["text"] == "in the widget\n"
    assert "image/png" in captured[1]["data"]
    shown = jtui("view", str(target), "--graphics", "halfblock", "--color", "--width", "80",
                 cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "in the widget" in shown.stdout and shown.stdout.count("▀") > 50
