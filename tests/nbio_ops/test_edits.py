"""Cell edits with undo: each edit, the history, and random edit sequences (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbio.edits import (
    ChangeCellType,
    ClearOutputs,
    DeleteCells,
    Edit,
    EditError,
    History,
    InsertCells,
    MergeCells,
    MoveCells,
    SetExecutionCount,
    SetOutputs,
    SetSource,
    SplitCell,
)
from nbio.model import Cell, Notebook
from tests.nbio_ops.fixtures import (
    counter_ids,
    sample_notebook,
    snapshot,
    validate_with_nbformat,
)


def ids(nb: Notebook) -> list[str | None]:
    return [c.id for c in nb.cells]


def roundtrip(edit: Edit, nb: Notebook | None = None) -> tuple[Notebook, dict[str, Any]]:
    """Apply ``edit`` through a History, check undo/redo restore exactly; return the result."""
    nb = nb or sample_notebook()
    before = snapshot(nb)
    cells_before = list(nb.cells)
    history = History(nb)
    history.apply(edit)
    validate_with_nbformat(nb)
    after = snapshot(nb)
    assert history.undo() is edit
    assert snapshot(nb) == before
    assert all(a is b for a, b in zip(nb.cells, cells_before, strict=True))
    assert history.redo() is edit
    assert snapshot(nb) == after
    return nb, after


# single edits ------------------------------------------------------------------------------


def test_insert_cells_at_start_middle_end() -> None:
    for index in (0, 3, 7):
        new = [Cell.new("code", "a", cell_id=f"n{index}"), Cell.new("markdown", "b", cell_id="m")]
        nb, _ = roundtrip(InsertCells(index, new))
        assert nb.cells[index] is new[0] and nb.cells[index + 1] is new[1]
        assert len(nb) == 9


def test_insert_out_of_range_is_refused_and_changes_nothing() -> None:
    nb = sample_notebook()
    before = snapshot(nb)
    history = History(nb)
    with pytest.raises(EditError, match="out of range"):
        history.apply(InsertCells(8, [Cell.new("code")]))
    assert snapshot(nb) == before and not history.can_undo and not history.dirty


def test_delete_cells_unsorted_indices() -> None:
    nb, _ = roundtrip(DeleteCells([5, 0, 2]))
    assert ids(nb) == ["cell-1", "cell-3", "cell-4", "cell-6"]


def test_delete_rejects_duplicates_and_bad_indices() -> None:
    nb = sample_notebook()
    with pytest.raises(EditError, match="duplicate"):
        DeleteCells([1, 1]).do(nb)
    with pytest.raises(EditError, match="out of range"):
        DeleteCells([7]).do(nb)
    with pytest.raises(EditError, match="no cells"):
        DeleteCells([]).do(nb)
    assert len(nb) == 7


@pytest.mark.parametrize(
    ("indices", "delta", "expected"),
    [
        ([1, 2], -1, [1, 2, 0, 3, 4, 5, 6]),
        ([1, 2], 1, [0, 3, 1, 2, 4, 5, 6]),
        ([0], 6, [1, 2, 3, 4, 5, 6, 0]),
        ([4, 5, 6], -4, [4, 5, 6, 0, 1, 2, 3]),
    ],
)
def test_move_cells(indices: list[int], delta: int, expected: list[int]) -> None:
    nb, _ = roundtrip(MoveCells(indices, delta))
    assert ids(nb) == [f"cell-{i}" for i in expected]


def test_move_refuses_non_contiguous_or_past_the_ends() -> None:
    nb = sample_notebook()
    with pytest.raises(EditError, match="contiguous"):
        MoveCells([1, 3], 1).do(nb)
    with pytest.raises(EditError, match="cannot move"):
        MoveCells([0], -1).do(nb)
    with pytest.raises(EditError, match="cannot move"):
        MoveCells([5, 6], 1).do(nb)


def test_merge_code_cells_clears_outputs_and_keeps_first_id() -> None:
    nb, _ = roundtrip(MergeCells([1, 3]))
    merged = nb.cells[1]
    assert merged.id == "cell-1"
    assert merged.source == "print('hi')\nx = 1\nx\n1/0"
    assert merged.outputs == [] and merged.execution_count is None
    assert merged.metadata == {"tags": ["a"], "collapsed": False}
    assert ids(nb) == ["cell-0", "cell-1", "cell-2", "cell-4", "cell-5", "cell-6"]


def test_merge_markdown_collects_attachments_and_takes_separator() -> None:
    nb, _ = roundtrip(MergeCells([4, 0, 1], separator="\n\n"))
    merged = nb.cells[0]
    assert merged.cell_type == "markdown"
    assert merged.source.split("\n\n")[-2:] == ["print('hi')\nx = 1\nx", "plain markdown"]
    assert merged.attachments is not None and "x.png" in merged.attachments
    assert "outputs" not in merged.data


def test_merge_needs_two_cells() -> None:
    with pytest.raises(EditError, match="at least two"):
        MergeCells([1]).do(sample_notebook())


def test_split_code_cell_first_part_keeps_id() -> None:
    nb = sample_notebook()
    source = nb.cells[1].source  # "print('hi')\nx = 1\nx"
    nb, _ = roundtrip(SplitCell(1, [source.index("x = 1"), source.index("\nx", 12) + 1],
                                id_factory=counter_ids()), nb)
    parts = nb.cells[1:4]
    assert [c.id for c in parts] == ["cell-1", "new-0", "new-1"]
    assert [c.source for c in parts] == ["print('hi')", "x = 1", "x"]
    assert all(c.cell_type == "code" and c.outputs == [] for c in parts)
    assert parts[1].metadata == parts[0].metadata and parts[1].metadata is not parts[0].metadata


def test_split_keeps_newlines_when_asked_and_ids_stable_across_redo() -> None:
    nb = sample_notebook()
    edit = SplitCell(2, [3], id_factory=counter_ids(), strip_newlines=False)
    history = History(nb)
    history.apply(edit)
    made = nb.cells[3]
    assert (nb.cells[2].source, made.source) == ("raw", " text\n")
    history.undo()
    history.redo()
    assert nb.cells[3] is made and made.id == "new-0"


def test_split_attachments_follow_references() -> None:
    nb = sample_notebook()
    source = nb.cells[0].source
    nb, _ = roundtrip(SplitCell(0, [source.index("Some")], id_factory=counter_ids()), nb)
    first, second = nb.cells[0], nb.cells[1]
    assert first.attachments == {} and second.attachments is not None
    assert list(second.attachments) == ["x.png"]


def test_split_without_ids_in_old_notebooks() -> None:
    nb = sample_notebook()
    nb.nbformat_minor = 4
    for cell in nb.cells:
        cell.id = None
    nb, _ = roundtrip(SplitCell(4, [5], id_factory=counter_ids()), nb)
    assert "id" not in nb.cells[5].data and nb.cells[5].source == " markdown"


def test_split_bad_offsets() -> None:
    with pytest.raises(EditError, match="outside"):
        SplitCell(4, [100]).do(sample_notebook())


def test_change_type_code_to_markdown_and_back() -> None:
    nb, _ = roundtrip(ChangeCellType([1, 3], "markdown"))
    for i in (1, 3):
        assert nb.cells[i].cell_type == "markdown"
        assert "outputs" not in nb.cells[i].data and "execution_count" not in nb.cells[i].data
    nb, _ = roundtrip(ChangeCellType([0, 2, 5], "code"))
    assert nb.cells[0].data["outputs"] == [] and nb.cells[0].data["execution_count"] is None
    assert "attachments" not in nb.cells[0].data
    assert nb.cells[5].execution_count is None


def test_change_type_rejects_unknown_type() -> None:
    with pytest.raises(EditError, match="unknown cell type"):
        ChangeCellType([0], "python")


def test_set_source_clear_outputs_execution_count_outputs() -> None:
    nb, _ = roundtrip(SetSource(4, "new text"))
    assert nb.cells[4].source == "new text"
    nb, _ = roundtrip(ClearOutputs(list(range(7))))
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells)
    assert nb.cells[0].attachments is not None
    nb, _ = roundtrip(SetExecutionCount(5, 12))
    assert nb.cells[5].execution_count == 12
    out = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    nb, _ = roundtrip(SetOutputs(5, out))
    assert nb.cells[5].outputs is out


def test_code_only_edits_refuse_other_cells() -> None:
    nb = sample_notebook()
    with pytest.raises(EditError, match="not a code cell"):
        SetExecutionCount(0, 1).do(nb)
    with pytest.raises(EditError, match="not a code cell"):
        SetOutputs(0, []).do(nb)
    with pytest.raises(EditError, match="int or None"):
        SetExecutionCount(1, True)


# history -----------------------------------------------------------------------------------


def test_history_undo_redo_labels_and_redo_cleared() -> None:
    nb = sample_notebook()
    history = History(nb)
    assert history.undo() is None and history.redo() is None
    history.apply(SetSource(4, "a", label="type a"))
    history.apply(SetSource(4, "b", label="type b"))
    assert history.undo_label == "type b"
    history.undo()
    assert history.redo_label == "type b" and nb.cells[4].source == "a"
    history.apply(SetSource(4, "c"))
    assert not history.can_redo
    history.undo()
    history.undo()
    assert nb.cells[4].source == "plain markdown" and not history.can_undo


def test_batch_is_one_step_and_nests() -> None:
    nb = sample_notebook()
    before = snapshot(nb)
    history = History(nb)
    with history.batch("cut and paste"):
        history.apply(DeleteCells([0]))
        with history.batch("inner"):
            history.apply(InsertCells(3, [Cell.new("raw", "r", cell_id="r")]))
            history.apply(SetSource(0, "changed"))
    assert history.undo_label == "cut and paste"
    history.undo()
    assert snapshot(nb) == before and not history.can_undo
    history.redo()
    assert nb.cells[0].source == "changed" and nb.cells[3].id == "r"


def test_failed_batch_rolls_back() -> None:
    nb = sample_notebook()
    before = snapshot(nb)
    history = History(nb)
    with pytest.raises(EditError), history.batch("bad"):
        history.apply(DeleteCells([0, 1]))
        history.apply(DeleteCells([6]))  # now out of range
    assert snapshot(nb) == before and not history.can_undo and not history.dirty


def test_empty_batch_records_nothing_and_undo_inside_batch_refused() -> None:
    history = History(sample_notebook())
    with history.batch("nothing"), pytest.raises(RuntimeError):
        history.undo()
    assert not history.can_undo


def test_dirty_flag_follows_saved_point() -> None:
    nb = sample_notebook()
    history = History(nb)
    assert not history.dirty
    history.apply(SetSource(4, "a"))
    assert history.dirty
    history.mark_saved()
    assert not history.dirty
    history.undo()
    assert history.dirty
    history.redo()
    assert not history.dirty
    history.undo()
    history.apply(SetSource(4, "b"))  # the saved state is now unreachable
    assert history.dirty
    history.undo()
    assert history.dirty
    history.mark_dirty()
    assert history.dirty
    history.mark_saved()
    assert not history.dirty


def test_limit_forgets_oldest_and_dirty_stays_right() -> None:
    nb = sample_notebook()
    history = History(nb, limit=3)
    history.mark_saved()
    for i in range(5):
        history.apply(SetSource(4, str(i)))
    undone = 0
    while history.undo():
        undone += 1
    assert undone == 3 and nb.cells[4].source == "1"
    assert history.dirty  # the saved state (before "0") cannot be reached any more


def test_listeners_hear_do_undo_redo() -> None:
    heard: list[tuple[str, str]] = []
    history = History(sample_notebook(), listeners=[lambda e, a: heard.append((e.label, a))])
    history.apply(SetSource(0, "x", label="s"))
    history.undo()
    history.redo()
    assert heard == [("s", "do"), ("s", "undo"), ("s", "redo")]


# random sequences --------------------------------------------------------------------------


@st.composite
def edits_for(draw: st.DrawFn, nb: Notebook, new_ids: Callable[[], str]) -> Edit:
    n = len(nb.cells)
    idx = st.integers(0, max(n - 1, 0))
    kinds = ["insert", "settype"]
    if n:
        kinds += ["delete", "source", "clear", "split", "settype"]
        if n > 1:
            kinds += ["move", "merge"]
        if any(c.cell_type == "code" for c in nb.cells):
            kinds += ["count", "outputs"]
    kind = draw(st.sampled_from(kinds))
    if kind == "insert":
        cell_type = draw(st.sampled_from(["code", "markdown", "raw"]))
        cell = Cell.new(cell_type, draw(st.text(max_size=5)), cell_id=new_ids())
        return InsertCells(draw(st.integers(0, n)), [cell])
    if kind == "delete":
        return DeleteCells(draw(st.lists(idx, min_size=1, max_size=3, unique=True)))
    if kind == "source":
        return SetSource(draw(idx), draw(st.text(max_size=10)))
    if kind == "clear":
        return ClearOutputs(draw(st.lists(idx, min_size=1, max_size=3, unique=True)))
    if kind == "settype":
        if not n:
            return InsertCells(0, [Cell.new("code", cell_id=new_ids())])
        return ChangeCellType(draw(st.lists(idx, min_size=1, max_size=3, unique=True)),
                              draw(st.sampled_from(["code", "markdown", "raw"])))
    if kind == "split":
        i = draw(idx)
        length = len(nb.cells[i].source)
        offsets = draw(st.lists(st.integers(0, length), min_size=1, max_size=2))
        return SplitCell(i, offsets, id_factory=new_ids,
                         strip_newlines=draw(st.booleans()))
    if kind == "move":
        start = draw(st.integers(0, n - 1))
        stop = draw(st.integers(start + 1, n))
        delta = draw(st.integers(-start, n - stop))
        return MoveCells(list(range(start, stop)), delta)
    if kind == "merge":
        return MergeCells(draw(st.lists(idx, min_size=2, max_size=3, unique=True)),
                          separator=draw(st.sampled_from(["\n", "\n\n"])))
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    i = draw(st.sampled_from(code))
    if kind == "count":
        return SetExecutionCount(i, draw(st.none() | st.integers(0, 1000)))
    return SetOutputs(i, [{"output_type": "stream", "name": "stdout", "text": draw(st.text())}])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edit_sequences_undo_and_redo_exactly(data: st.DataObject) -> None:
    nb = sample_notebook()
    original = snapshot(nb)
    history = History(nb)
    new_ids = counter_ids()
    steps = data.draw(st.integers(1, 12))
    for _ in range(steps):
        if data.draw(st.booleans()):
            with history.batch("batch"):
                for _ in range(data.draw(st.integers(1, 3))):
                    history.apply(data.draw(edits_for(nb, new_ids)))
        else:
            history.apply(data.draw(edits_for(nb, new_ids)))
        validate_with_nbformat(nb)
    edited = snapshot(nb)
    while history.undo():
        validate_with_nbformat(nb)
    assert snapshot(nb) == original
    while history.redo():
        pass
    assert snapshot(nb) == edited


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_clean_history_means_saved_content(data: st.DataObject) -> None:
    """Whenever ``dirty`` is False the notebook equals what it was at ``mark_saved``."""
    nb = sample_notebook()
    history = History(nb, limit=data.draw(st.integers(1, 6)))
    new_ids = counter_ids()
    saved = snapshot(nb)
    for _ in range(data.draw(st.integers(1, 25))):
        action = data.draw(st.sampled_from(["apply", "apply", "undo", "redo", "save"]))
        if action == "apply":
            history.apply(data.draw(edits_for(nb, new_ids)))
        elif action == "undo":
            history.undo()
        elif action == "redo":
            history.redo()
        else:
            history.mark_saved()
            saved = snapshot(nb)
        if not history.dirty:
            assert snapshot(nb) == saved
