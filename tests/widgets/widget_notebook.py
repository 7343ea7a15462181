"""A notebook of common ipywidgets (and a tqdm.auto bar), for the widget state tests.

Run through nbclient with ``store_widget_state=True`` it gives a notebook saved as JupyterLab
and nbconvert save them; through ``jtui run --store-widget-state`` the same models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PNG_2X2 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DA8J+BkYHh////DAAe9gT9Ce00PgAAAABJRU5ErkJggg==")
"""A 2x2 PNG (red, green, blue, white)."""

CELLS = [
    "import ipywidgets as w\n"
    "s = w.IntSlider(value=7, min=0, max=10, description='Speed')\n"
    "s",
    "from tqdm.auto import tqdm\n"
    "for i in tqdm(range(200), bar_format='{l_bar}{bar}| {n_fmt}/{total_fmt}'):\n"
    "    pass",
    "w.HBox([w.Checkbox(value=True, description='on'), w.Text(value='hello', description='Name'),\n"
    "        w.Button(description='Go', button_style='success')])",
    "w.VBox([w.Dropdown(options=['a', 'b', 'c'], value='b', description='Pick'),\n"
    "        w.Label('a label'), w.HTML('<b>bold</b> html'),\n"
    "        w.FloatProgress(value=0.5, max=1.0, bar_style='danger', description='Half')])",
    "t = w.Tab(children=[w.Label('one'), w.Label('two')], titles=['A', 'B'])\n"
    "t.selected_index = 1\n"
    "t",
    "import base64\n"
    f"w.Image(value=base64.b64decode('{PNG_2X2}'), format='png', width=4)",
    "o = w.Output()\n"
    "o.append_stdout('captured text\\n')\n"
    "o",
    "cap = w.Output()\n"
    "display(cap)\n"
    "with cap:\n"
    "    print('inside')\n"
    "    display(w.Label('nested label'))\n"
    "print('outside')",
    "from traitlets import Unicode\n"
    "class Fancy(w.DOMWidget):\n"
    "    _model_name = Unicode('FancyModel').tag(sync=True)\n"
    "    _model_module = Unicode('fancy-widgets').tag(sync=True)\n"
    "    _view_name = Unicode('FancyView').tag(sync=True)\n"
    "    _view_module = Unicode('fancy-widgets').tag(sync=True)\n"
    "Fancy()",
]


def widget_notebook(path: Path, cells: list[str] | None = None) -> Path:
    """Write the (unexecuted) notebook to ``path``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (cells or CELLS)]
    nbformat.write(nb, path)
    return path


def run_with_nbclient(source: Path, target: Path) -> dict[str, Any]:
    """Execute ``source`` with nbclient (``store_widget_state=True``), save it to ``target``
    as nbformat writes it; returns the notebook (a dict)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(source, as_version=4)
    # Timeouts below the suite's 120 s per test, so a hang names its cell (one full run under
    # load hung here, no run alone did).
    NotebookClient(nb, timeout=60, startup_timeout=60, kernel_name="python3",
                   store_widget_state=True,
                   resources={"metadata": {"path": str(source.parent)}}).execute()
    nbformat.write(nb, target)
    return dict(nb)
