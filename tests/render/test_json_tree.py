"""application/json as a folded tree (tui.render.json_tree), on IPython.display.JSON outputs
and on hostile values."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from rich.console import Console, Group

from tui.render.context import RenderContext
from tui.render.json_tree import render_json
from tui.render.registry import RenderError, render_mime

DATA = Path(__file__).resolve().parents[1] / "data" / "rich" / "json"


def shown(renderable: object, width: int = 80) -> list[str]:
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(Group(renderable))  # type: ignore[arg-type]
    return [line.rstrip() for line in console.export_text().splitlines()]


def load(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


def test_expanded_output_opens_everything() -> None:
    out = load("expanded")
    assert shown(render_json(out["data"], out["metadata"], RenderContext())) == [
        "{",
        '  "name": "jupyter-tui",',
        '  "renderers": {',
        '    "html": true,',
        '    "image": true',
        "  },",
        '  "tags": null,',
        '  "version": [0, 1]',
        "}",
    ]


def test_schema_is_folded_below_the_depth() -> None:
    out = load("schema")
    assert out["metadata"].get("expanded") is not True
    lines = shown(render_json(out["data"], out["metadata"], RenderContext()))
    assert lines[0] == "{"
    assert '  "$schema": "http://json-schema.org/draft-04/schema#",' in lines
    assert '  "definitions": {' in lines
    assert '    "cell_id": {…} 5 keys,' in lines
    assert all(len(line) - len(line.lstrip()) <= 4 for line in lines)  # depth 2 shown
    deeper = shown(render_json(out["data"], {}, RenderContext(options={"json_depth": 3})))
    assert len(deeper) > len(lines)


def test_styles_differ_by_kind() -> None:
    tree = render_json({"k": "s", "n": 1, "b": True, "z": None}, {}, RenderContext())
    styles = {tree.plain[span.start:span.end]: str(span.style) for span in tree.spans}
    assert len({styles['"k"'], styles['"s"'], styles["1"], styles["true"]}) == 4
    assert styles["true"] == styles["null"]


def test_string_value_is_parsed_and_bad_json_is_a_reason() -> None:
    assert shown(render_json('{"a": [1, 2]}', {}, RenderContext())) == [
        "{", '  "a": [1, 2]', "}"]
    with pytest.raises(RenderError, match="invalid JSON"):
        render_json('{"a": ', {}, RenderContext())
    out = shown(render_mime("application/json", "{nope", {}, RenderContext()))
    assert out[0].startswith("[application/json, 5 B: invalid JSON")


def test_scalars_at_the_root() -> None:
    assert shown(render_json(3.5, {}, RenderContext())) == ["3.5"]
    assert shown(render_json([], {}, RenderContext())) == ["[]"]


def test_long_containers_and_strings_are_cut() -> None:
    lines = shown(render_json({"xs": list(range(1000)), "s": "y" * 10_000}, {},
                              RenderContext()))
    assert "    … 950 more items" in lines
    assert len(lines) == 56
    assert lines[-2].endswith('…" (10,000 characters)')
    assert len(lines[-2]) <= 80
    big = {f"k{i}": i for i in range(120)}
    assert shown(render_json(big, {}, RenderContext()))[-2] == "  … 70 more keys"


def test_deep_nesting_does_not_recurse() -> None:
    deep: list = []
    node = deep
    for _ in range(10_000):
        child: list = []
        node.append(child)
        node = child
    start = time.perf_counter()
    assert shown(render_json(deep, {}, RenderContext())) == [
        "[", "  [", "    […] 1 item", "  ]", "]"]
    lines = shown(render_json(deep, {"expanded": True}, RenderContext()))
    assert any("[…] 1 item" in line for line in lines)
    assert len(lines) < 250
    source = "[" * 100_000 + "]" * 100_000
    with pytest.raises(RenderError, match="nested too deeply"):
        render_json(source, {}, RenderContext())
    assert time.perf_counter() - start < 2.0


def test_huge_integer_and_odd_keys() -> None:
    lines = shown(render_json({1: 10 ** 5000, "k" * 300: 2}, {}, RenderContext()))
    assert lines[1] == '  "1": <huge integer>,'
    assert lines[2].endswith("k…")  # the line is cut at the width, not wrapped
    assert len(lines) == 4


def test_line_cap() -> None:
    many = {f"k{i}": {f"j{j}": {"x": [1, 2]} for j in range(50)} for i in range(50)}
    start = time.perf_counter()
    lines = shown(render_json(many, {"expanded": True}, RenderContext()))
    assert lines[-1].strip() == "… (cut: too many lines)"
    assert len(lines) < 2010 and time.perf_counter() - start < 2.0


def test_mixed_list_is_one_child_a_line() -> None:
    assert shown(render_json([[0, {"a": 0}]], {}, RenderContext())) == [
        "[", "  [", "    0,", "    {…} 1 key", "  ]", "]"]
