"""Regenerate the JSON outputs: what ``IPython.display.JSON`` puts in a bundle.

Run: /work/main/.venv/bin/python tests/data/rich/json/make_json.py
"""

import json
from pathlib import Path

import nbformat
from IPython.display import JSON

HERE = Path(__file__).parent
schema = Path(nbformat.__file__).parent / "v4" / "nbformat.v4.5.schema.json"
outputs = {
    # IPython.display.JSON(filename=...) of nbformat's own schema (BSD), folded by default
    "schema": JSON(filename=str(schema)),
    # the showcase notebook's value, expanded=True as JupyterLab users ask for it
    "expanded": JSON({"name": "jupyter-tui", "renderers": {"html": True, "image": True},
                      "tags": None, "version": [0, 1]}, expanded=True),
}
for name, obj in outputs.items():
    data, metadata = obj._repr_json_()
    (HERE / f"{name}.json").write_text(json.dumps({"data": data, "metadata": metadata},
                                                  indent=1) + "\n")
