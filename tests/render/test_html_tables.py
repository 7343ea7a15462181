"""text/html tables: real pandas output (tests/data/rich/html) rendered as aligned grids."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tui.render.context import RenderContext
from tui.render.html import render_html
from tui.render.html_dom import parse_html, precut_rows

DATA = Path(__file__).resolve().parent.parent / "data" / "rich" / "html"


def sample(name: str) -> str:
    return (DATA / f"{name}.html").read_text(encoding="utf-8")


def render(html: str, width: int = 80, console_width: int | None = None, color: bool = False,
           **options: Any) -> str:
    ctx = RenderContext(width=width, options=options, color=color)
    console = Console(width=console_width or width, record=True, color_system=None,
                      file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_html(html, {}, ctx))
    return console.export_text()


def lines_with(out: str, *words: str) -> list[str]:
    return [line for line in out.splitlines() if all(w in line for w in words)]


def col_end(line: str, word: str) -> int:
    match = re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w.])", line)
    assert match, (word, line)
    return match.end()


def test_simple_frame_aligned_with_index_set_off() -> None:
    for name in ("simple_repr", "simple_to_html"):
        out = render(sample(name))
        rows = [lines_with(out, fruit)[0] for fruit in ("apple", "banana", "cherry")]
        # numbers right-aligned: the ends of 3, 12, 150 line up, and with the header
        ends = {col_end(r, v) for r, v in zip(rows, ("3", "12", "150"))}
        assert ends == {col_end(lines_with(out, "count")[0], "count")}
        prices = {col_end(r, v) for r, v in zip(rows, ("0.50", "0.25", "4.00"))}
        assert len(prices) == 1
        # text left-aligned: the names start in one column
        assert len({r.index(f) for r, f in zip(rows, ("apple", "banana", "cherry"))}) == 1
        # the index (0, 1, 2) is set off by one separator column, under a rule
        bars = {r.index("│") for r in rows}
        assert len(bars) == 1
        assert [r.split("│")[0].strip() for r in rows] == ["0", "1", "2"]
        assert "┼" in out and "─" in out


def test_header_and_index_are_bold() -> None:
    ctx = RenderContext(width=80)
    console = Console(width=80, record=True, color_system="standard",
                      file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_html(sample("simple_repr"), {}, ctx))
    styled = console.export_text(styles=True)
    assert "\x1b[1mcount" in styled.replace("\x1b[1m ", "\x1b[1m") or re.search(
        r"\x1b\[1m\s*count", styled)
    assert re.search(r"\x1b\[1m0\s*\x1b\[0m", styled)  # index label bold
    assert not re.search(r"\x1b\[1m\s*apple", styled)  # data cells are not


def test_multiindex_rows_labels_once_with_blanks_below() -> None:
    out = render(sample("multiindex_rows"))
    body = [line for line in out.splitlines() if "│" in line and "─" not in line][2:]
    assert len(body) == 6
    assert [line.split()[0] for line in body[:3]] == ["a", "2", "3"]
    assert body[0].startswith("a") and body[3].startswith("b")
    assert body[1][0] == " " and body[4][0] == " "  # rowspan: blank under the label
    assert lines_with(out, "letter", "number")  # the index-name header row is kept
    assert len({line.index("│") for line in body}) == 1


def test_multiindex_columns_span_their_columns() -> None:
    out = render(sample("multiindex_cols"))
    top = lines_with(out, "left", "right")[0]
    stats = lines_with(out, "min", "max")[0]
    mins = [m.start() for m in re.finditer("min", stats)]
    maxs = [m.end() for m in re.finditer("max", stats)]
    # each group label starts over its first column and its columns are under it
    assert top.index("left") <= maxs[0] and top.index("left") >= stats.index("│")
    assert top.index("right") > maxs[0] and top.index("right") <= mins[1] + 3
    assert top.count("left") == 1 and top.count("right") == 1
    rows = lines_with(out, "r1")
    assert col_end(rows[0], "7") == maxs[1]


def test_multiindex_both_and_styler_multiindex() -> None:
    for name in ("multiindex_both", "styler_multiindex"):
        out = render(sample(name))
        assert lines_with(out, "side", "left", "right")
        assert lines_with(out, "letter", "number")
        body = [line for line in out.splitlines() if "│" in line and re.search(r"\d\.\d", line)]
        assert len(body) == 6
        assert len({line.index("│") for line in body}) == 1
        assert body[0].split()[:2] == ["a", "1"] and body[1].split()[0] == "2"


def test_hand_written_table_with_th_in_rows_and_spans() -> None:
    html = """<table><caption>Scores &amp; ranks</caption>
      <tr><th>Name</th><th colspan="2">Results</th></tr>
      <tr><th>Ann</th><td>10</td><td>first</td></tr>
      <tr><th rowspan="2">Bob</th><td>7</td><td>second</td></tr>
      <tr><td>123</td><td>third</td></tr>
    </table>"""
    out = render(html)
    lines = out.splitlines()
    assert lines[0].strip() == "Scores & ranks"
    header = lines_with(out, "Name", "Results")[0]
    assert "│" in header  # Name is over the index column
    ann, bob, third = lines_with(out, "Ann")[0], lines_with(out, "Bob")[0], lines_with(
        out, "third")[0]
    assert third.split("│")[0].strip() == ""  # Bob's rowspan: blank below
    assert col_end(ann, "10") == col_end(bob, "7") == col_end(third, "123")
    assert header.index("Results") == ann.index("│") + 2


def test_nan_cells_aligned_with_numbers() -> None:
    out = render(sample("with_nan"))
    ends = {col_end(lines_with(out, "│ " + v)[0] if v != "NaN" else lines_with(out, "NaN")[0],
                    v) for v in ("1.0", "NaN", "3.0")}
    assert len(ends) == 1


def test_split_repeats_index_in_blocks_within_width() -> None:
    out = render(sample("wide_30"), width=80)
    assert all(len(line) <= 80 for line in out.splitlines())
    headers = [line for line in out.splitlines() if "column_" in line]
    assert len(headers) >= 3
    names = [n for h in headers for n in re.findall(r"column_\d+", h)]
    assert names == [f"column_{i}" for i in range(30)]  # each once, in order
    for block in out.split("\n\n"):
        if "column_" not in block:
            continue
        rows = [line for line in block.splitlines() if "│" in line][1:]
        assert [r.split("│")[0].strip() for r in rows] == ["0", "1", "2"]


def test_truncate_shows_what_fits_and_a_mark() -> None:
    out = render(sample("wide_30"), width=80, wide_tables="truncate")
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = lines_with(out, "column_0")[0]
    shown = len(re.findall(r"column_\d+", header))
    assert 3 <= shown < 30 and header.rstrip().endswith("…")
    assert f"{30 - shown} more columns" in out
    assert len(lines_with(out, "column_")) == 1  # one block only
    assert all(line.rstrip().endswith("…") for line in lines if line.startswith(("0 ", "1 ")))


def test_scroll_full_width_from_offset_with_index_pinned() -> None:
    out = render(sample("wide_30"), width=80, console_width=1000, wide_tables="scroll",
                 table_column_offset=5)
    header = lines_with(out, "column_5")[0]
    names = re.findall(r"column_\d+", header)
    assert names == [f"column_{i}" for i in range(5, 30)]
    assert len(header.rstrip()) > 80  # not wrapped nor split
    rows = [line for line in out.splitlines() if line[:1].isdigit() and "│" in line]
    assert [r.split("│")[0].strip() for r in rows] == ["0", "1", "2"]  # index pinned
    assert col_end(rows[0], "5000") == col_end(header, "column_5")
    assert "5 more columns to the left" in out
    full = render(sample("wide_30"), width=80, console_width=1000, wide_tables="scroll")
    assert re.findall(r"column_\d+", lines_with(full, "column_0")[0])[-1] == "column_29"


def test_pandas_truncated_repr_keeps_its_dots_and_shape() -> None:
    out = render(sample("rows_2000_repr"))
    assert "2000 rows × 3 columns" in out
    assert lines_with(out, "...")
    out = render(sample("wide_30_repr_max20"), wide_tables="truncate")
    assert "3 rows × 30 columns" in out


@pytest.mark.parametrize("name", ["rows_2000_repr_full", "rows_2000_to_html"])
def test_long_table_head_and_tail(name: str) -> None:
    out = render(sample(name), max_table_rows=10)
    index = [line.split("│")[0].strip() for line in out.splitlines() if "│" in line]
    assert index[1:] == ["0", "1", "2", "3", "4", "…", "1995", "1996", "1997", "1998", "1999"]
    assert "1,990 more rows" in out
    out = render(sample(name))  # default: 60 rows
    index = [line.split("│")[0].strip() for line in out.splitlines() if "│" in line]
    assert len(index) == 1 + 60 + 1 and index[31] == "…" and index[-1] == "1999"


def test_long_multiindex_tail_matches_a_full_parse() -> None:
    html = sample("multiindex_rows_2000")
    _, (_at, cut) = precut_rows(html, 10)
    assert cut > 900  # most rows never reach the parser
    fast = render(html, max_table_rows=10)
    slow = render(html.replace("<div>", "<div><!-- no precut -->"), max_table_rows=10)
    assert fast == slow
    tail = lines_with(fast, "245")[0]
    assert tail.split()[:3] == ["y", "s", "245"]  # labels repeated after the cut
    head = next(line for line in fast.splitlines() if line.rstrip().endswith(" 0.5"))
    assert head.split()[0] == "1"


def test_2000_rows_within_time_bound() -> None:
    for name in ("rows_2000_to_html", "rows_2000_repr_full", "multiindex_rows_2000"):
        html = sample(name)
        start = time.perf_counter()
        out = render(html)
        assert time.perf_counter() - start < 2.0, name
        assert "1999" in out or "999.5" in out
    # the tree builder bounds rows even when the source cannot be cut (a comment in it)
    html = sample("rows_2000_to_html").replace("<table", "<!-- x --><table")
    start = time.perf_counter()
    document = parse_html(html, max_rows=60)
    assert time.perf_counter() - start < 2.0
    assert "1999" in render(html)
    assert document.notes == []


def test_huge_table_bounded() -> None:
    html = sample("rows_2000_to_html")
    body = html[html.index("<tbody>") + 7: html.index("</tbody>")]
    huge = html.replace("<tbody>", "<tbody>" + body * 20)  # 42,000 rows, 4 MB
    start = time.perf_counter()
    out = render(huge)
    assert time.perf_counter() - start < 2.0
    assert "41,940 more rows" in out
    start = time.perf_counter()
    out = render(huge.replace("<table", "<!-- --><table"))  # no precut: cut at 1 MB
    assert time.perf_counter() - start < 3.0
    assert "HTML cut" in out


def test_styler_colours_kept_and_css_never_shown() -> None:
    ctx = RenderContext(width=80)
    console = Console(width=80, record=True, color_system="truecolor",
                      file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_html(sample("styler_gradient"), {}, ctx))
    styled = console.export_text(styles=True)
    assert "48;2;255;247;251" in styled  # #fff7fb background of row 0
    assert "48;2;2;56;88" in styled  # #023858 of row 3
    assert "38;2;241;241;241" in styled  # its light text colour
    out = render(sample("styler_caption"), color=True)
    assert out.splitlines()[0].strip() == "Styled counts"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.html")), ids=lambda p: p.stem)
def test_no_css_or_script_text_in_any_sample(path: Path) -> None:
    for options in ({}, {"wide_tables": "truncate"}, {"wide_tables": "scroll"}):
        out = render(path.read_text(encoding="utf-8"), console_width=2000, color=True,
                     **options)
        for leak in ("{", "}", "vertical-align", "background-color", "#T_", "<style",
                     "dataframe", "text-align"):
            assert leak not in out, (leak, options)
        assert out.strip()


def test_options_out_of_range_or_bad_are_safe() -> None:
    html = sample("wide_30")
    last = render(html, console_width=1000, wide_tables="scroll", table_column_offset=999)
    assert re.findall(r"column_\d+", lines_with(last, "column_")[0]) == ["column_29"]
    for options in ({"wide_tables": "sideways"}, {"table_column_offset": "x"},
                    {"max_table_rows": "many"}, {"max_table_rows": -5}):
        out = render(html, **options)
        assert "column_29" in out


def test_through_the_registry() -> None:
    from tui.render.registry import render_data

    data = {"text/html": sample("simple_repr").splitlines(keepends=True),
            "text/plain": "   name  count  price\n0  apple ..."}
    console = Console(width=80, record=True, color_system=None,
                      file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_data(data, {}, RenderContext(width=80)))
    out = console.export_text()
    assert "│ name" in out and "..." not in out


def test_styler_class_and_element_selectors_colour_cells() -> None:
    """set_table_styles / set_td_classes rules (`th.col_heading`, `.row_heading`, `td`,
    `td.low`) apply by class and element, ids win, `:hover` rules are ignored."""
    console = Console(width=80, record=True, color_system="truecolor",
                      file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_html(sample("styler_classes"), {}, RenderContext(width=80)))
    lines = console.export_text(styles=True, clear=False).splitlines()
    plain = [line.rstrip() for line in console.export_text().splitlines()]
    assert plain[0].split() == ["│", "a", "b", "c"]
    assert plain[2].split() == ["w", "│", "0", "1", "2"]
    assert "37;48;2;48;80;128m a" in lines[0] or "37;48;2;48;80;128ma" in lines[0]  # col_heading
    assert lines[2].startswith("\x1b[1;38;2;170;0;0mw")  # .row_heading: bold #aa0000
    assert lines[2].count("38;2;51;51;51;48;2;255;224;224m") == 3  # td + td.low
    assert "48;2;" not in lines[3].split("│", 1)[1]  # row x: td colour only (no :hover yellow)
    assert lines[5].count("48;2;144;238;144m") == 3  # highlight_max's lightgreen (by id)
    for leak in ("{", "}", "col_heading", "hover", "#T_"):
        assert leak not in "\n".join(plain)


def test_class_rules_are_bounded() -> None:
    from tui.render.html_css import MAX_CLASS_RULES, id_styles

    sheet = id_styles(["".join(f".c{i} {{ color: red }}" for i in range(5000))])
    assert len(sheet.rules) == MAX_CLASS_RULES
