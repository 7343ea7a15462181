"""Kernel text may colour, nothing more: :func:`sanitize_sgr_only` and :func:`strip_escapes`."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.render.sanitize import SGR_RE, sanitize_sgr_only, strip_escapes

ESC_OUTSIDE_SGR = re.compile(r"\x1b(?!\[[0-9;:]*m)")
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
"""Controls that must never come out (ESC is checked separately)."""

# Pieces an attacker combines: every introducer, parameters, finals, terminators, text.
PIECES = st.sampled_from([
    "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "\x1b\\", "\x07", "\x9c",
    "\x9b", "\x9d", "\x90", "\x9e", "\x9f", "\x98", "\x85", "\x1b(", "\x1b#", " ", "[",
    "31", "38;5;196", "38:2::1:2:3", ";", ":", "?", "1049", "h", "l", "m", "n", "6n", "2J", "H",
    "c", "7", "\x00", "\x08", "\x0b", "\x7f", "\n", "\r", "\t", "x", "é", "界", "\u200b",
])
HOSTILE = st.lists(PIECES, max_size=60).map("".join)


def assert_only_sgr(out: str) -> None:
    assert ESC_OUTSIDE_SGR.search(out) is None, repr(out)
    assert FORBIDDEN.search(out) is None, repr(out)


@given(HOSTILE)
@settings(max_examples=600, deadline=None)
def test_output_holds_no_escape_but_sgr_and_no_control_but_tab_newline_cr(text: str) -> None:
    out = sanitize_sgr_only(text)
    assert_only_sgr(out)
    assert sanitize_sgr_only(out) == out  # idempotent


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_unicode_text_is_safe(text: str) -> None:
    assert_only_sgr(sanitize_sgr_only(text))
    stripped = strip_escapes(text)
    assert "\x1b" not in stripped and FORBIDDEN.search(stripped) is None


@given(HOSTILE)
@settings(max_examples=300, deadline=None)
def test_strip_escapes_leaves_no_escape_at_all(text: str) -> None:
    out = strip_escapes(text)
    assert "\x1b" not in out and FORBIDDEN.search(out) is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=100))
def test_printable_text_is_untouched(text: str) -> None:
    assert sanitize_sgr_only(text) == text


def test_colours_survive_in_every_form() -> None:
    text = ("\x1b[31mred\x1b[0m \x1b[1;38;5;196mbold256\x1b[0m "
            "\x1b[38;2;10;20;30mtrue\x1b[m \x1b[38:2::10:20:30mcolon\x1b[0m")
    assert sanitize_sgr_only(text) == text
    assert strip_escapes(text) == "red bold256 true colon"


def test_the_attacks_of_issue_11_are_removed() -> None:
    assert sanitize_sgr_only("a\x1b]2;PWNED\x07b") == "ab"  # window title
    assert sanitize_sgr_only("a\x1b]0;PWNED\x1b\\b") == "ab"
    assert sanitize_sgr_only("\x1b]52;c;cHduZWQ=\x07ok") == "ok"  # clipboard write
    assert sanitize_sgr_only("x\x1b[6ny") == "xy"  # cursor position report request
    assert sanitize_sgr_only("\x1b[2J\x1b[Hclear") == "clear"
    assert sanitize_sgr_only("\x1b[?1049halt\x1b[?1049l") == "alt"
    assert sanitize_sgr_only("\x1b[1;5rscroll") == "scroll"  # scroll region
    assert sanitize_sgr_only("\x1bcreset\x1b7\x1b8") == "reset"
    assert sanitize_sgr_only("\x1b(0line\x1b(B") == "line"  # charset switch
    assert sanitize_sgr_only("\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert sanitize_sgr_only("\x1bPq#0;2;0;0;0~-\x1b\\sixel") == "sixel"  # DCS
    assert sanitize_sgr_only("\x1b_Ga=T;AAAA\x1b\\kitty") == "kitty"  # APC
    assert sanitize_sgr_only("\x1b^pm\x1b\\\x1bXsos\x1b\\.") == "."
    assert sanitize_sgr_only("\x9b6n\x9d2;T\x9cok\x9b31m") == "ok"  # 8-bit CSI / OSC / SGR
    assert sanitize_sgr_only("bell\x07 back\x08space\x00nul\x7f") == "bell backspacenul"


def test_progress_bar_controls_are_kept() -> None:
    assert sanitize_sgr_only("10%\r50%\r\x1b[32m100%\x1b[0m\n\tdone") == \
        "10%\r50%\r\x1b[32m100%\x1b[0m\n\tdone"


def test_an_unterminated_string_swallows_the_rest_and_leaves_no_lone_escape() -> None:
    assert sanitize_sgr_only("before\x1b]2;never ended\nstill title") == "before"
    assert sanitize_sgr_only("before\x1bP" + "q" * 1000) == "before"
    assert sanitize_sgr_only("end\x1b") == "end"
    assert sanitize_sgr_only("end\x1b[") == "end"
    assert sanitize_sgr_only("end\x1b[38;5") == "end"  # a cut SGR is no SGR


def test_an_escape_inside_a_string_ends_it_as_a_terminal_does() -> None:
    # The DEC parser leaves OSC on any ESC; what follows is a sequence of its own.
    assert sanitize_sgr_only("\x1b]2;x\x1b[31mred") == "\x1b[31mred"


def test_sgr_re_matches_only_sgr() -> None:
    assert SGR_RE.fullmatch("\x1b[38;2;1;2;3m")
    assert SGR_RE.fullmatch("\x1b[?25m") is None


def _timed(text: str) -> float:
    start = time.perf_counter()
    sanitize_sgr_only(text)
    return time.perf_counter() - start


def test_50_mb_of_text_sanitizes_in_about_a_second() -> None:
    # Measured on the shared 2-core machine: plain 0.09 s, coloured 0.35 s, unterminated
    # CSI/OSC 0.25 s. The bound leaves room for a loaded machine.
    plain = "x" * 50_000_000
    coloured = ("\x1b[31mred\x1b[0m plain text here " * 1_700_000)[:50_000_000]
    unterminated = "\x1b]2;" + "x" * 50_000_000
    assert _timed(plain) < 1.5
    assert _timed(coloured) < 3.0
    assert _timed(unterminated) < 1.5
    # The result of a 50 MB hostile line is still only text.
    line = "\x1b[6n" + "y" * 50_000_000 + "\x1b]2;t\x07"
    out = sanitize_sgr_only(line)
    assert out == "y" * 50_000_000


def test_dense_hostile_text_is_linear() -> None:
    # Only sequences to remove: cost per sequence, not per square of the size.
    small = "\x1b]2;a\x07\x1b[6n\x01" * 50_000
    big = small * 10
    t_small, t_big = _timed(small), _timed(big)
    assert t_big < 30 * max(t_small, 0.002)
