"""Notebooks built with nbformat (the reference), as nbio models and plain dicts."""

from __future__ import annotations

import copy
import itertools
import json
import warnings
from collections.abc import Callable
from typing import Any

import nbformat
from nbformat import v4

from nbio.model import Notebook


def sample_nbformat_node() -> Any:
    """A 4.5 notebook with every cell type, outputs, attachments and metadata."""
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n"
    )
    cells = [
        v4.new_markdown_cell("# Title\n\nSome *text* ![x](attachment:x.png)",
                             attachments={"x.png": {"image/png": png}}),
        v4.new_code_cell(
            "print('hi')\nx = 1\nx",
            execution_count=3,
            outputs=[
                v4.new_output("stream", name="stdout", text="hi\n"),
                v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3),
            ],
            metadata={"tags": ["a"], "collapsed": False},
        ),
        v4.new_raw_cell("raw text\n", metadata={"format": "text/plain"}),
        v4.new_code_cell(
            "1/0",
            execution_count=4,
            outputs=[v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                   traceback=["\x1b[31mZeroDivisionError\x1b[0m"])],
        ),
        v4.new_markdown_cell("plain markdown"),
        v4.new_code_cell("", execution_count=None),
        v4.new_code_cell(
            "display(1)",
            outputs=[v4.new_output("display_data", data={"text/plain": "1", "image/png": png},
                                   metadata={"image/png": {"width": 1}})],
        ),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                                "display_name": "Python 3",
                                                                "language": "python"}})
    nbformat.validate(nb)
    return nb


def to_plain(node: Any) -> dict[str, Any]:
    """A NotebookNode as plain dicts/lists (as nbio holds it)."""
    result: dict[str, Any] = json.loads(json.dumps(node))
    return result


def sample_notebook() -> Notebook:
    return Notebook.from_dict(to_plain(sample_nbformat_node()))


def snapshot(nb: Notebook) -> dict[str, Any]:
    """A deep copy of the notebook's dict, to compare states."""
    return copy.deepcopy(nb.to_dict())


def validate_with_nbformat(nb: Notebook) -> None:
    """Raise if ``nb`` is not a valid notebook for nbformat (warnings, such as the
    duplicate-id repair, count as failures)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nbformat.validate(nbformat.from_dict(copy.deepcopy(nb.to_dict())))


def counter_ids(prefix: str = "new") -> Callable[[], str]:
    """A deterministic id factory."""
    count = itertools.count()
    return lambda: f"{prefix}-{next(count)}"
