"""The completer's matching and ranking (pure functions; JupyterLab's rules, no kernel)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.notebook.completion_popup import (
    KNOWN_TYPES,
    CompletionItem,
    completion_items,
    fuzzy_match,
    item_label,
    ordered_types,
    rank,
)
from tui.notebook.inspect_view import inspect_mime, render_inspect
from tui.session import Completion


def texts(items: list[str], query: str) -> list[str]:
    return [r.item.text for r in rank([CompletionItem(t) for t in items], query)]


def test_fuzzy_match_is_lumino_match_sum_of_squares() -> None:
    assert fuzzy_match("print", "p") == (0, [0])
    assert fuzzy_match("print", "pt") == (16, [0, 4])  # 0² + 4²
    # greedy, as Lumino: the first "i", then the first "n" after it (not the best window)
    assert fuzzy_match("isinstance", "ins") == (0 + 9 + 16, [0, 3, 4])
    assert fuzzy_match("print", "P") is None  # case-sensitive, as Lumino
    assert fuzzy_match("print", "tp") is None  # order matters
    assert fuzzy_match("abc", "") == (0, [])


def test_prefix_and_contiguous_matches_rank_first_then_alphabetically() -> None:
    items = ["set_value", "setdefault", "reset", "offset", "settings", "Set"]
    # "set": prefixes (score 5) alphabetically ignoring case, then later starts
    assert texts(items, "set") == ["set_value", "setdefault", "settings", "reset", "offset"]
    assert texts(items, "sv") == ["set_value"]
    # no query: the kernel's order, nothing marked
    assert texts(items, "") == items
    assert all(r.indices == () for r in rank([CompletionItem(t) for t in items], ""))


def test_only_the_text_before_a_parenthesis_is_matched() -> None:
    assert texts(["foo(b, a, r)", "bar()"], "bar") == ["bar()"]


def test_types_and_the_label() -> None:
    completion = Completion(matches=["a", "b", "c"], cursor_start=0, cursor_end=0,
                            types=["function", "<unknown>", "magic"])
    items = completion_items(completion)
    assert [i.type for i in items] == ["function", "", "magic"]
    assert ordered_types(items) == [*KNOWN_TYPES, "magic"]
    ranked = rank([CompletionItem("alpha_one", "instance")], "ao")[0]
    label = item_label(ranked, 12, "red")
    assert label.plain == "alpha_one     instance"
    assert [(s.start, s.end) for s in label.spans if "underline" in str(s.style)] == [(0, 1),
                                                                                     (6, 7)]


def test_the_inspect_panel_prefers_markdown_then_plain_text() -> None:
    assert inspect_mime({"text/plain": "p", "text/markdown": "**m**"}) == "text/markdown"
    assert inspect_mime({"text/html": "<b>h</b>", "text/plain": "p"}) == "text/plain"
    assert inspect_mime({"text/html": "<b>h</b>"}) is None
    assert "text/html" in str(render_inspect({"text/html": "<b>h</b>"}))


@given(st.lists(st.text("abc_", min_size=1, max_size=8), max_size=12), st.text("abc_", max_size=4))
def test_ranking_keeps_exactly_the_subsequence_matches_in_score_order(
        items: list[str], query: str) -> None:
    ranked = rank([CompletionItem(t) for t in items], query)
    if not query:
        assert [r.item.text for r in ranked] == items
        return
    expected = [t for t in items if fuzzy_match(t, query) is not None]
    assert sorted(r.item.text for r in ranked) == sorted(expected)
    scores = [sum(i * i for i in r.indices) for r in ranked]
    assert scores == sorted(scores)
    for r in ranked:
        assert "".join(r.item.text[i] for i in r.indices) == query
