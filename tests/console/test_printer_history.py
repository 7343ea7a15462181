"""Unit tests of the console's pure parts: terminal geometry, bundles, history files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tui.console.history import ConsoleHistory, kernel_history_entries, merge, read_entries
from tui.console.printer import (
    Printer,
    collapse_cr,
    rows_above_cursor,
    strip_ansi,
)


class _Event:
    def __init__(self, msg_type: str, content: dict[str, object]) -> None:
        self.msg_type = msg_type
        self.content = content


def test_collapse_cr_keeps_what_a_terminal_shows() -> None:
    assert collapse_cr("10%\r50%\r100%") == "100%"
    assert collapse_cr("abcdef\rXY") == "XYcdef"
    assert collapse_cr("no return") == "no return"


def test_rows_above_cursor_counts_wrapped_and_wide_lines() -> None:
    assert rows_above_cursor("", 80) == 0
    assert rows_above_cursor("a\n", 80) == 1
    assert rows_above_cursor("a\nb", 80) == 1
    assert rows_above_cursor("x" * 100 + "\n", 80) == 2  # wraps once
    assert rows_above_cursor("界" * 50 + "\n", 80) == 2  # 100 cells
    assert rows_above_cursor("\x1b[31m" + "x" * 79 + "\x1b[0m\n", 80) == 1  # escapes take 0


def test_printer_writes_outputs_and_counts_errors() -> None:
    out = io.StringIO()
    printer = Printer(out, color=False, size=lambda: (80, 24))
    printer.begin_cell()
    printer.handle(_Event("stream", {"name": "stdout", "text": "partial"}))
    printer.handle(_Event("execute_result", {"execution_count": 3,
                                             "data": {"text/plain": "42"}}))
    printer.handle(_Event("error", {"ename": "E", "evalue": "v",
                                    "traceback": ["\x1b[31mTrace\x1b[0m", "E: v"]}))
    printer.handle(_Event("comm_msg", {}))  # not an output: ignored
    printer.end_cell()
    assert out.getvalue() == "partial\nOut[3]: 42\nTrace\nE: v\n\n"
    assert printer.errors_seen == 1


def test_clear_output_erases_the_live_region() -> None:
    out = io.StringIO()
    printer = Printer(out, color=False, size=lambda: (80, 24))
    printer.begin_cell()
    printer.handle(_Event("stream", {"name": "stdout", "text": "one\ntwo\n"}))
    printer.handle(_Event("clear_output", {"wait": True}))
    assert out.getvalue() == "one\ntwo\n"  # wait=True: cleared only when new output comes
    printer.handle(_Event("stream", {"name": "stdout", "text": "three\n"}))
    assert out.getvalue() == "one\ntwo\n\x1b[2A\r\x1b[Jthree\n"


def test_update_display_redraws_it_and_what_follows() -> None:
    out = io.StringIO()
    printer = Printer(out, color=False, size=lambda: (80, 24))
    printer.begin_cell()
    printer.handle(_Event("display_data", {"data": {"text/plain": "v1"},
                                           "transient": {"display_id": "d"}}))
    printer.handle(_Event("stream", {"name": "stdout", "text": "after\n"}))
    out.truncate(0)
    out.seek(0)
    printer.handle(_Event("update_display_data", {"data": {"text/plain": "v2"},
                                                  "transient": {"display_id": "d"}}))
    assert out.getvalue() == "\x1b[2A\r\x1b[Jv2\nafter\n"


def test_strip_ansi() -> None:
    assert strip_ansi("\x1b[1;31mred\x1b[0m \x1b]0;title\x07x") == "red x"


def test_history_merges_kernel_and_local_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "h" / "history-python.jsonl"
    first = ConsoleHistory(path)
    first.append_string("for i in range(3):\n    print(i)")
    first.append_string("x = 1")
    first.append_string("x = 1")  # immediate repeat dropped
    assert read_entries(path) == ["for i in range(3):\n    print(i)", "x = 1"]
    path.open("a").write("not json\n" + json.dumps(["a list"]) + "\n")  # skipped, not fatal
    assert merge(["k1", "x = 1", ""], read_entries(path)) == [
        "k1", "x = 1", "for i in range(3):\n    print(i)", "x = 1",
    ]


async def test_history_load_awaits_the_kernel_entries(tmp_path: Path) -> None:
    path = tmp_path / "history-bash.jsonl"
    path.write_text(json.dumps("local") + "\n")

    async def from_kernel() -> list[str]:
        return ["kernel"]

    history = ConsoleHistory(path, from_kernel())
    assert [item async for item in history.load()] == ["local", "kernel"]  # newest first


def test_kernel_history_entries_accept_both_reply_shapes() -> None:
    reply = {"history": [[1, 1, "a"], [1, 2, ["b", "out"]], ["bad"], [1, 3, 5]]}
    assert kernel_history_entries(reply) == ["a", "b"]
    assert kernel_history_entries({"status": "error"}) == []


def test_completions_use_code_point_offsets() -> None:
    from tui.console.reader import completions_from_reply

    # `x = 𨭎𨭎` with the cursor at the end: 6 code points (Python str indexes), not UTF-16 units.
    reply = {
        "status": "ok", "matches": ["𨭎𨭎𨭎", "𨭎𨭎𨭎", "𨭎𨭎a"],
        "cursor_start": 4, "cursor_end": 6,
        "metadata": {"_jupyter_types_experimental": [{"text": "𨭎𨭎𨭎", "type": "instance"}]},
    }
    completions = completions_from_reply(reply, cursor=6)
    assert [c.text for c in completions] == ["𨭎𨭎𨭎", "𨭎𨭎a"]  # duplicates dropped
    assert all(c.start_position == -2 for c in completions)
    assert completions[0].display_meta_text == "instance"
    assert completions_from_reply({"status": "error"}, 3) == []
    # A cursor_start after the cursor (a broken reply) never moves the insertion point forward.
    assert completions_from_reply({"matches": ["a"], "cursor_start": 9}, 3)[0].start_position == 0


def test_output_above_the_prompt_redraws_an_unfinished_line_in_place() -> None:
    out = io.StringIO()
    printer = Printer(out, color=False, prompt_active=lambda: True, size=lambda: (80, 24))
    printer.handle(_Event("stream", {"name": "stdout", "text": "progress  50%"}))
    # Shown at once, with a newline so the prompt is drawn on a line of its own.
    assert out.getvalue() == "progress  50%\n"
    printer.handle(_Event("stream", {"name": "stdout", "text": "\rprogress 100%\ndone\n"}))
    # Back to the end of the unfinished line (up one row, column 13), then the text as is:
    # the terminal's own carriage return redraws the line in place.
    assert out.getvalue() == "progress  50%\n\x1b[1A\r\x1b[13C\rprogress 100%\ndone\n"
    printer.handle(_Event("execute_result", {"execution_count": 2,
                                             "data": {"text/plain": "'x'"}}))
    assert out.getvalue().endswith("done\nOut[2]: 'x'\n")


def test_clear_output_and_update_display_work_above_the_prompt_too() -> None:
    out = io.StringIO()
    printer = Printer(out, color=False, prompt_active=lambda: True, size=lambda: (80, 24))
    printer.handle(_Event("display_data", {"data": {"text/plain": "frame 1"},
                                           "transient": {"display_id": "d"}}))
    printer.handle(_Event("update_display_data", {"data": {"text/plain": "frame 2"},
                                                  "transient": {"display_id": "d"}}))
    assert out.getvalue() == "frame 1\n\x1b[1A\r\x1b[Jframe 2\n"
    printer.handle(_Event("clear_output", {"wait": False}))
    assert out.getvalue().endswith("frame 2\n\x1b[1A\r\x1b[J")
    printer.prompt_closed()  # the accepted input now sits below: nothing above can be erased
    printer.handle(_Event("clear_output", {"wait": False}))
    assert out.getvalue().endswith("frame 2\n\x1b[1A\r\x1b[J")
