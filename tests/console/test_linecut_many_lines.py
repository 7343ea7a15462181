"""Many short lines in one stream message pass through the line cutter whole (no per-line
Python loop), and a long line among them is still cut."""

from __future__ import annotations

import time

from tui.console.linecut import LineCutter


def test_ten_mb_of_short_lines_pass_whole_and_fast() -> None:
    text = "line\n" * 2_000_000
    cutter = LineCutter(2400)
    start = time.perf_counter()
    out = cutter.feed(text)
    assert time.perf_counter() - start < 3  # generous: one regex scan and the sanitizer
    assert out == text and cutter.col == 0


def test_a_long_line_among_short_ones_is_still_cut() -> None:
    cutter = LineCutter(10)
    out = cutter.feed("abc\n" + "y" * 30 + "\nok\n")
    assert out.startswith("abc\n" + "y" * 10) and "(20 more characters)" in out
    assert out.endswith("\nok\n")


def test_the_first_line_counts_from_the_column_already_used() -> None:
    cutter = LineCutter(10)
    assert cutter.feed("12345678") == "12345678"
    out = cutter.feed("abcd\nshort\n")
    assert out.startswith("ab") and "(2 more characters)" in out and out.endswith("short\n")
