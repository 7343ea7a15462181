"""The grid layout of tui.render.table, on hand-built grids."""

from __future__ import annotations

from rich.text import Text

from tui.render.table import Grid, GridCell, is_number, render_grid


def cell(text: str, header: bool = False) -> GridCell:
    return GridCell(Text(text), header)


def grid_of(rows: list[list[str]], header_rows: int = 1, index_cols: int = 1) -> Grid:
    return Grid([[cell(v, r < header_rows or c < index_cols) if v else None
                  for c, v in enumerate(row)] for r, row in enumerate(rows)],
                header_rows=header_rows, index_cols=index_cols)


def lines(text: Text) -> list[str]:
    return [line.rstrip() for line in text.plain.split("\n")]


def test_is_number() -> None:
    for value in ("12", "-3.5", "1,234", "1e-05", "45%", "inf", "-inf", "1+2j", "$3.50",
                  ".5", "3.", "1 234"):
        assert is_number(value), value
    for value in ("abc", "1.2.3.4x", "", "12 apples and more", "NaN", "2020-01-01"):
        assert not is_number(value), value


def test_numbers_right_text_left_index_separated() -> None:
    grid = grid_of([["", "name", "n"], ["0", "a", "5"], ["1", "bbbb", "123"],
                    ["2", "cc", "NaN"]])
    text, notes = render_grid(grid, width=40)
    assert lines(text) == [
        "  │ name    n",
        "──┼──────────",
        "0 │ a       5",
        "1 │ bbbb  123",
        "2 │ cc    NaN",
    ]
    assert notes == []
    assert text.no_wrap


def test_colspan_header_spans_and_widens() -> None:
    wide = cell("a long group label", header=True)
    rows: list[list[GridCell | None]] = [
        [None, wide, wide], [None, cell("x", True), cell("y", True)],
        [cell("r", True), cell("1"), cell("2")],
    ]
    text, _ = render_grid(Grid(rows, header_rows=2, index_cols=1), width=80)
    out = lines(text)
    assert out[0] == "  │ a long group label"
    assert out[3].endswith("2") and len(out[3]) == len(out[0])  # last column widened


def test_split_repeats_index_and_group_labels() -> None:
    group = cell("group", header=True)
    head: list[GridCell | None] = [cell("idx", True)] + [group] * 6
    names: list[GridCell | None] = [None] + [cell(f"col{i}", True) for i in range(6)]
    body: list[GridCell | None] = [cell("row", True)] + [cell(str(1000 * i)) for i in range(6)]
    text, notes = render_grid(Grid([head, names, body], header_rows=2, index_cols=1),
                              width=30)
    blocks = text.plain.split("\n\n")
    assert len(blocks) >= 2 and notes == []
    for block in blocks:
        block_lines = block.split("\n")
        assert block_lines[0].startswith("idx │ group")  # the label in every block
        assert block_lines[3].startswith("row │")
        assert all(len(line) <= 30 for line in block_lines)
    assert [w for b in blocks for w in b.split() if w.startswith("col")] == [
        f"col{i}" for i in range(6)]


def test_truncate_and_scroll() -> None:
    rows = [[""] + [f"c{i}" for i in range(20)], ["0"] + [str(i * 111) for i in range(20)]]
    text, notes = render_grid(grid_of(rows), width=40, mode="truncate")
    out = lines(text)
    assert all(len(line) <= 40 for line in out)
    assert out[0].endswith("…") and out[2].endswith("…")
    shown = sum(1 for w in out[0].split() if w.startswith("c"))
    assert notes == [f"{20 - shown} more columns"]
    text, notes = render_grid(grid_of(rows), width=40, mode="scroll", offset=18)
    out = lines(text)
    assert out[0] == "  │ …  c18   c19" and out[2] == "0 │ … 1998  2109"
    assert notes == ["18 more columns to the left"]
    text, notes = render_grid(grid_of(rows), width=40, mode="scroll", offset=0,
                              max_line_cells=50)
    assert all(len(line) <= 50 for line in lines(text))
    assert notes and notes[0].endswith("more columns")


def test_elided_rows_mark_and_note() -> None:
    grid = grid_of([["", "v"], ["0", "1.5"], ["9", "2.25"]])
    grid.elided_after, grid.elided = 1, 7
    text, notes = render_grid(grid, width=40)
    assert lines(text) == ["  │    v", "──┼─────", "0 │  1.5", "… │    …", "9 │ 2.25"]
    assert notes == ["7 more rows"]


def test_long_cells_cut_and_no_index() -> None:
    grid = grid_of([["h"], ["x" * 200]], index_cols=0)
    text, _ = render_grid(grid, width=30)
    out = lines(text)
    assert out[1] == "─" * 26 and out[2].endswith("…") and len(out[2]) == 26
    assert "│" not in text.plain
