"""The snapshot is detached from the live model: later edits, outputs and metadata changes do
not reach it; it shares the strings (cheap) and puts the edited cell's lines in."""

from __future__ import annotations

import json

import nbformat

import nbio
from tests.recovery.conftest import small_notebook
from tui.recovery.snapshot import Editing, copy_tree, take


def _with_outputs():
    nb = small_notebook("print(1)", "md")
    nb.cells[0].outputs = [{"output_type": "stream", "name": "stdout", "text": "1\n"},
                           {"output_type": "display_data", "metadata": {},
                            "data": {"text/plain": "x", "application/json": {"a": [1, 2]}}}]
    nb.cells[0].metadata["tags"] = ["keep"]
    return nb


def test_edits_after_the_snapshot_do_not_reach_it():
    nb = _with_outputs()
    before = nbio.writes(nb)
    snap = take(nb)
    nb.cells[0].source = "changed"
    nb.cells[0].outputs.append({"output_type": "stream", "name": "stderr", "text": "late"})
    nb.cells[0].outputs[0]["text"] = "rewritten"
    nb.cells[0].outputs[1]["data"]["application/json"]["a"].append(3)
    nb.cells[0].metadata["tags"].append("new")
    nb.metadata["kernelspec"]["name"] = "other"
    nb.cells.pop()
    assert json.loads(snap.to_json()) == json.loads(before)


def test_strings_are_shared_not_copied():
    big = "x" * 1_000_000
    nb = small_notebook(big)
    snap = take(nb)
    assert snap.notebook.cells[0].data["source"] is big
    assert snap.notebook.cells[0].data is not nb.cells[0].data


def test_the_edited_cells_lines_replace_its_source():
    nb = small_notebook("old", "other")
    lines = ["new first", "new second"]
    snap = take(nb, Editing(0, lines))
    lines.append("typed after the snapshot")  # the editor's list is copied by the caller
    snap = take(nb, Editing(0, list(lines[:2])))
    d = json.loads(snap.to_json())
    assert "".join(d["cells"][0]["source"]) == "new first\nnew second"
    assert nb.cells[0].source == "old"  # the model is untouched


def test_an_editing_index_out_of_range_is_ignored():
    nb = small_notebook("a")
    assert "".join(json.loads(take(nb, Editing(5, ["x"])).to_json())["cells"][0]["source"]) == "a"


def test_the_json_is_what_nbio_writes_and_nbformat_validates():
    nb = _with_outputs()
    data = take(nb).to_json()
    assert bytes(data).decode() == nbio.writes(nb) + "\n"
    nbformat.validate(nbformat.reads(bytes(data).decode(), as_version=4))


def test_copy_tree_handles_any_depth():
    deep: dict = {}
    node = deep
    for _ in range(50_000):
        node["k"] = {}
        node = node["k"]
    copied = copy_tree(deep)
    node["leaf"] = 1  # the original's innermost dict
    walk = copied
    depth = 0
    while "k" in walk:
        walk = walk["k"]
        depth += 1
    assert depth == 50_000 and "leaf" not in walk


def test_copy_tree_leaves_scalars_alone():
    assert copy_tree(3) == 3 and copy_tree("s") == "s" and copy_tree(None) is None
    original = [1, {"a": [2]}]
    copied = copy_tree(original)
    assert copied == original and copied[1] is not original[1]
