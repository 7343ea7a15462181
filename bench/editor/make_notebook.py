"""Deterministic benchmark notebooks: ``n`` cells (1 in 5 markdown), small outputs.

The first cell's source contains ``FIRST_MARKER`` and the last one's ``LAST_MARKER``, so a
harness can tell when each is on screen.
"""

from __future__ import annotations

import json
from pathlib import Path

FIRST_MARKER = "first_cell_marker"
LAST_MARKER = "last_cell_marker"


def notebook_dict(n: int) -> dict:
    """The notebook as nbformat's on-disk JSON structure (v4.5)."""
    cells = []
    for k in range(n):
        cid = f"{k:08x}"
        if k == 0:
            source = [f"{FIRST_MARKER} = 0\n", "print('hello')"]
        elif k == n - 1:
            source = [f"{LAST_MARKER} = {k}"]
        elif k % 5 == 0:
            cells.append({"cell_type": "markdown", "id": cid, "metadata": {},
                          "source": [f"## Section {k}\n", "\n",
                                     f"Some *text* for section {k}, with `code` and a list:\n",
                                     "\n", "- one\n", "- two"]})
            continue
        else:
            source = [f"# cell {k}\n", f"x_{k} = {k} * 2\n", f"y_{k} = x_{k} + 1\n",
                      f"print(x_{k}, y_{k})"]
        cells.append({
            "cell_type": "code", "execution_count": k, "id": cid, "metadata": {},
            "outputs": [
                {"name": "stdout", "output_type": "stream", "text": [f"{2 * k} {2 * k + 1}\n"]},
                {"data": {"text/plain": [str(k)]}, "execution_count": k, "metadata": {},
                 "output_type": "execute_result"},
            ],
            "source": source,
        })
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                           "name": "python3"},
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(path: Path, n: int) -> Path:
    """Write the ``n``-cell notebook in nbformat's canonical form."""
    text = json.dumps(notebook_dict(n), indent=1, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
