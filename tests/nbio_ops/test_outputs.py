"""Kernel output messages to notebook outputs: nbformat parity, live merging, \\r and \\b,
clear_output, display ids across cells, huge streams, and a real ipykernel run."""

from __future__ import annotations

import copy
import queue
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat import v4

from nbio.outputs import (
    DisplayIndex,
    OutputArea,
    OutputError,
    Preview,
    output_from_msg,
    stream_preview,
)

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n"
)

MESSAGES: list[tuple[str, dict[str, Any]]] = [
    ("stream", {"name": "stdout", "text": "hello\n"}),
    ("stream", {"name": "stderr", "text": "warn\r\n"}),
    ("display_data", {"data": {"text/plain": "x", "image/png": PNG}, "metadata": {},
                      "transient": {"display_id": "abc"}}),
    ("display_data", {"data": {"application/json": {"a": [1, 2]}, "text/html": "<b>x</b>"},
                      "metadata": {"image/png": {"width": 3}}}),
    ("execute_result", {"data": {"text/plain": "42"}, "metadata": {}, "execution_count": 7}),
    ("execute_result", {"data": {"text/plain": "None"}, "metadata": {},
                        "execution_count": None}),
    ("error", {"ename": "ZeroDivisionError", "evalue": "division by zero",
               "traceback": ["\x1b[31m---\x1b[0m", "ZeroDivisionError: division by zero"]}),
]


def validate_outputs(outputs: list[dict[str, Any]]) -> None:
    cell = v4.new_code_cell("x", outputs=copy.deepcopy(outputs))
    nbformat.validate(v4.new_notebook(cells=[cell]))


def stream(text: str, name: str = "stdout") -> tuple[str, dict[str, Any]]:
    return "stream", {"name": name, "text": text}


def feed(area: OutputArea, *messages: tuple[str, dict[str, Any]]) -> list[bool]:
    return [area.apply(t, c) for t, c in messages]


# output_from_msg ---------------------------------------------------------------------------


@pytest.mark.parametrize(("msg_type", "content"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_output_from_msg_matches_nbformat(msg_type: str, content: dict[str, Any]) -> None:
    ours = output_from_msg(msg_type, content)
    theirs = v4.output_from_msg({"header": {"msg_type": msg_type}, "content": content})
    assert ours == theirs
    assert ours is not None and "transient" not in ours
    validate_outputs([ours])


@pytest.mark.parametrize("msg_type", ["status", "clear_output", "update_display_data",
                                      "execute_input", "comm_msg"])
def test_non_output_messages_give_none(msg_type: str) -> None:
    assert output_from_msg(msg_type, {"execution_state": "busy", "wait": False}) is None


@pytest.mark.parametrize(
    ("msg_type", "content", "problem"),
    [
        ("stream", {"name": "stdout"}, "text"),
        ("stream", {"name": 1, "text": "x"}, "name"),
        ("display_data", {"data": {"text/plain": 5}, "metadata": {}}, "text/plain"),
        ("display_data", {"data": [], "metadata": {}}, "data"),
        ("execute_result", {"data": {}, "metadata": {}, "execution_count": -1}, "execution"),
        ("error", {"ename": "E", "evalue": "v", "traceback": "tb"}, "traceback"),
    ],
)
def test_malformed_content_raises_and_area_counts_it(
    msg_type: str, content: dict[str, Any], problem: str
) -> None:
    with pytest.raises(OutputError, match=problem):
        output_from_msg(msg_type, content)
    area = OutputArea()
    assert area.apply(msg_type, content) is False
    assert area.dropped == 1 and area.outputs == []


def test_list_values_are_joined_like_nbformat_reads() -> None:
    out = output_from_msg("display_data", {"data": {"text/plain": ["a\n", "b"]}, "metadata": {}})
    assert out == {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "a\nb"}}


# streams -----------------------------------------------------------------------------------


def test_consecutive_streams_of_same_name_merge() -> None:
    area = OutputArea()
    changed = feed(area, stream("a\n"), stream("b"), stream("c\n"), stream("e\n", "stderr"),
                   stream("d\n"))
    assert changed == [True] * 5
    assert area.outputs == [
        {"output_type": "stream", "name": "stdout", "text": "a\nbc\n"},
        {"output_type": "stream", "name": "stderr", "text": "e\n"},
        {"output_type": "stream", "name": "stdout", "text": "d\n"},
    ]
    validate_outputs(area.outputs)


def test_non_stream_output_ends_the_merge() -> None:
    area = OutputArea()
    feed(area, stream("a\n"), MESSAGES[4], stream("b\n"))
    assert [o["output_type"] for o in area.outputs] == ["stream", "execute_result", "stream"]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (["0%\r", "50%\r", "100%\n"], "100%\n"),  # tqdm: ends as one line
        (["0%", "\r50%", "\r100%", "\n"], "100%\n"),
        (["a\r", "\nb\n"], "a\nb\n"),  # "\r\n" split across messages is a newline
        (["a\r\r\nb"], "a\nb"),
        (["long line\rshort\n"], "short\n"),  # erase, not overwrite
        (["abc\b\bX\n"], "aX\n"),
        (["ab\n\b\bc\n"], "ab\nc\n"),  # backspace never removes a newline
        (["ab", "\b", "c"], "ac"),
        (["x\ry\b\bz\n"], "z\n"),
        (["done\r"], "done\r"),  # a last "\r" waits for the next chunk
        (["one\ntwo\rTWO\nthree"], "one\nTWO\nthree"),
    ],
)
def test_carriage_return_and_backspace(chunks: list[str], expected: str) -> None:
    area = OutputArea()
    feed(area, *(stream(c) for c in chunks))
    assert area.outputs[0]["text"] == expected


def test_merging_into_a_loaded_stream_output() -> None:
    outputs = [{"output_type": "stream", "name": "stdout", "text": "from file\n50%\r"}]
    area = OutputArea(outputs)
    area.apply(*stream("100%\n"))
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "from file\n100%\n"}]


def test_outputs_list_is_edited_in_place() -> None:
    outputs: list[dict[str, Any]] = []
    area = OutputArea(outputs)
    area.apply(*MESSAGES[0])
    assert area.outputs is outputs and len(outputs) == 1


# clear_output ------------------------------------------------------------------------------


def test_clear_output_wait_defers_until_next_output() -> None:
    area = OutputArea()
    feed(area, stream("old\n"))
    assert area.apply("clear_output", {"wait": True}) is False
    assert area.outputs[0]["text"] == "old\n"
    assert area.apply("status", {"execution_state": "idle"}) is False  # not an output
    assert area.outputs[0]["text"] == "old\n"
    assert area.apply(*stream("new\n")) is True
    assert area.outputs == [{"output_type": "stream", "name": "stdout", "text": "new\n"}]


def test_clear_output_now() -> None:
    area = OutputArea()
    assert area.apply("clear_output", {"wait": False}) is False  # nothing to clear
    feed(area, stream("old\n"), MESSAGES[2])
    assert area.apply("clear_output", {"wait": False}) is True
    assert area.outputs == []
    area.apply(*stream("x"))
    assert area.outputs[0]["text"] == "x"


def test_animation_with_clear_wait_keeps_one_output() -> None:
    area = OutputArea()
    for i in range(50):
        area.apply("clear_output", {"wait": True})
        area.apply("display_data", {"data": {"text/plain": f"frame {i}"}, "metadata": {}})
    assert area.outputs == [
        {"output_type": "display_data", "data": {"text/plain": "frame 49"}, "metadata": {}}
    ]


# display ids -------------------------------------------------------------------------------


def display(text: str, display_id: str | None = None, update: bool = False) -> tuple[str, Any]:
    content: dict[str, Any] = {"data": {"text/plain": text}, "metadata": {}}
    if display_id:
        content["transient"] = {"display_id": display_id}
    return ("update_display_data" if update else "display_data"), content


def test_update_display_data_across_cells() -> None:
    index = DisplayIndex()
    heard: list[object] = []
    index.listeners.append(lambda area: heard.append(area.key))
    first = OutputArea(display_index=index, key="cell-1")
    second = OutputArea(display_index=index, key="cell-2")
    feed(first, display("a", "d1"), stream("s\n"), display("other", "d2"), display("a2", "d1"))
    assert index.locations("d1") == [("cell-1", 0), ("cell-1", 3)]
    assert second.apply(*display("updated", "d1", update=True)) is False  # not in this cell
    assert [o.get("data") for o in first.outputs] == [
        {"text/plain": "updated"}, None, {"text/plain": "other"}, {"text/plain": "updated"}
    ]
    assert heard == ["cell-1"]
    assert first.apply(*display("again", "d2", update=True)) is True
    assert first.outputs[2]["data"] == {"text/plain": "again"}
    validate_outputs(first.outputs)
    assert all("transient" not in o for o in first.outputs)


def test_update_of_unknown_or_cleared_display_changes_nothing() -> None:
    area = OutputArea()
    assert area.apply(*display("x", "nope", update=True)) is False
    feed(area, display("a", "d"))
    area.apply("clear_output", {"wait": False})
    assert "d" not in area.display_index
    assert area.apply(*display("b", "d", update=True)) is False
    assert area.apply("update_display_data", {"data": {}, "metadata": {}}) is False
    assert area.dropped == 1  # the update without a display_id


def test_update_keeps_output_type_and_execution_count() -> None:
    area = OutputArea()
    area.apply("execute_result", {"data": {"text/plain": "1"}, "metadata": {},
                                  "execution_count": 3, "transient": {"display_id": "r"}})
    area.apply(*display("2", "r", update=True))
    assert area.outputs == [{"output_type": "execute_result", "data": {"text/plain": "2"},
                             "metadata": {}, "execution_count": 3}]


# huge streams and previews -----------------------------------------------------------------


def test_million_lines_in_many_messages() -> None:
    area = OutputArea()
    line = "0123456789\n"
    for _ in range(10_000):
        area.apply(*stream(line * 100))
    preview = area.stream_preview(0, 3, 2)
    assert preview == Preview(line * 3, 1_000_000 - 5, line * 2)
    text = area.outputs[0]["text"]
    assert len(text) == 11_000_000 and text.count("\n") == 1_000_000
    assert stream_preview(text, 3, 2) == preview


def test_progress_bar_without_newlines_stays_one_line() -> None:
    area = OutputArea()
    for i in range(20_000):
        area.apply(*stream(f"\r{i:6d}/20000 |{'#' * (i // 1000)}", "stderr"))
    area.apply(*stream("\n", "stderr"))
    assert area.outputs[0]["text"] == f" 19999/20000 |{'#' * 19}\n"


def test_raw_outputs_lag_for_big_streams_until_sync() -> None:
    area = OutputArea()
    area.apply(*stream("x" * 400_000 + "\n"))
    area.apply(*stream("tail\n"))
    assert area.raw_outputs[0]["text"].endswith("x\n")  # not rebuilt for 5 more characters
    area.sync()
    assert area.raw_outputs[0]["text"].endswith("x\ntail\n")


@pytest.mark.parametrize(
    ("text", "head", "tail", "expected"),
    [
        ("", 2, 2, Preview("", 0, "")),
        ("a\nb\nc", 2, 1, Preview("a\nb\nc", 0, "")),
        ("a\nb\nc\nd\n", 1, 1, Preview("a\n", 2, "d\n")),
        ("a\nb\nc\nd", 1, 1, Preview("a\n", 2, "d")),
        ("a\nb\nc\nd", 2, 0, Preview("a\nb\n", 2, "")),
        ("a\nb\nc\nd\n", 0, 1, Preview("", 3, "d\n")),
        ("a\r\nb\rc\nd\n", 1, 1, Preview("a\r\n", 1, "d\n")),  # only "\n" splits lines
    ],
)
def test_stream_preview(text: str, head: int, tail: int, expected: Preview) -> None:
    assert stream_preview(text, head, tail) == expected
    area = OutputArea([{"output_type": "stream", "name": "stdout", "text": text}])
    assert area.stream_preview(0, head, tail) == expected


def test_area_preview_of_live_stream_matches_function() -> None:
    area = OutputArea()
    for i in range(300):
        area.apply(*stream(f"line {i}\n" if i % 7 else f"part {i} "))
    live = area.stream_preview(0, 4, 4)
    assert live == stream_preview(area.outputs[0]["text"], 4, 4)
    area.apply(*MESSAGES[4])
    with pytest.raises(ValueError, match="not a stream"):
        area.stream_preview(1, 1, 1)


# a real kernel -----------------------------------------------------------------------------

CELLS = [
    "import sys\nprint('a', flush=True)\nsys.stderr.write('e\\n'); sys.stderr.flush()\n"
    "print('b', flush=True)",
    "import sys\nfor i in range(0, 101, 25):\n"
    "    sys.stdout.write(f'\\r{i:3d}%'); sys.stdout.flush()\nprint()",
    "h = display('first', display_id=True)",
    "h.update('second')\nprint('x', end='')",
    "from IPython.display import clear_output\nprint('old', flush=True)\n"
    "clear_output(wait=True)\nprint('new')",
    "6 * 7",
    "1/0",
]


@pytest.fixture(scope="module")
def kernel_messages() -> Iterator[list[list[dict[str, Any]]]]:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        per_cell: list[list[dict[str, Any]]] = []
        for code in CELLS:
            msg_id = kc.execute(code)
            messages = []
            while True:
                try:
                    msg = kc.get_iopub_msg(timeout=30)
                except queue.Empty:
                    raise AssertionError(f"no idle status for {code!r}") from None
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                messages.append(msg)
                if (msg["msg_type"] == "status"
                        and msg["content"]["execution_state"] == "idle"):
                    break
            per_cell.append(messages)
        yield per_cell
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.kernel
def test_real_ipykernel_messages(kernel_messages: list[list[dict[str, Any]]]) -> None:
    index = DisplayIndex()
    areas = [OutputArea(display_index=index, key=i) for i in range(len(CELLS))]
    for area, messages in zip(areas, kernel_messages, strict=True):
        for msg in messages:
            msg_type, content = msg["msg_type"], msg["content"]
            if msg_type in ("stream", "display_data", "execute_result", "error"):
                assert output_from_msg(msg_type, content) == v4.output_from_msg(msg)
            area.apply(msg_type, content)
    texts = [[o.get("text") for o in a.outputs] for a in areas]
    assert texts[0] == ["a\n", "e\n", "b\n"]
    assert texts[1] == ["100%\n"]
    assert areas[2].outputs == [
        {"output_type": "display_data", "data": {"text/plain": "'second'"}, "metadata": {}}
    ]
    assert texts[3] == ["x"]
    assert texts[4] == ["new\n"]
    assert areas[5].outputs[0]["data"] == {"text/plain": "42"}
    assert areas[5].outputs[0]["execution_count"] == kernel_messages[5][1]["content"][
        "execution_count"]
    assert areas[6].outputs[0]["ename"] == "ZeroDivisionError"
    for area in areas:
        assert area.dropped == 0
        validate_outputs(area.outputs)


def test_rebind_follows_a_replaced_list() -> None:
    first: list[dict[str, Any]] = []
    area = OutputArea(first)
    area.apply(*display("a", "d"))
    area.apply(*stream("x"))
    second: list[dict[str, Any]] = []
    area.rebind(second)
    area.apply(*stream("y"))
    assert first[1]["text"] == "x" and second == [
        {"output_type": "stream", "name": "stdout", "text": "y"}]
    assert "d" not in area.display_index


# random chunking ---------------------------------------------------------------------------


def reference_stream(text: str) -> str:
    """Character by character: "\\n" ends a line, "\\r" erases the line when more text follows
    on it, "\\b" deletes the previous character of the line."""
    lines: list[str] = []
    line: list[str] = []
    pending_cr = False
    for ch in text:
        if ch == "\n":
            lines.append("".join(line) + "\n")
            line, pending_cr = [], False
        elif ch == "\r":
            pending_cr = True
        else:
            if pending_cr:
                line, pending_cr = [], False
            if ch == "\b":
                if line:
                    line.pop()
            else:
                line.append(ch)
    return "".join(lines) + "".join(line) + ("\r" if pending_cr else "")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab \n\r\b", max_size=60), cuts=st.lists(st.integers(0, 60)))
def test_stream_result_does_not_depend_on_chunking(text: str, cuts: list[int]) -> None:
    bounds = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    chunks = [text[a:b] for a, b in pairwise(bounds)] or [""]
    area = OutputArea()
    for chunk in chunks:
        area.apply(*stream(chunk))
    assert area.outputs[0]["text"] == reference_stream(text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab\n", max_size=40), head=st.integers(0, 5),
       tail=st.integers(0, 5))
def test_stream_preview_against_splitting(text: str, head: int, tail: int) -> None:
    lines = text.splitlines(keepends=True) if "\r" not in text else []
    preview = stream_preview(text, head, tail)
    if len(lines) <= head + tail:
        assert preview == Preview(text, 0, "")
    else:
        assert preview == Preview("".join(lines[:head]), len(lines) - head - tail,
                                  "".join(lines[len(lines) - tail:]))
    area = OutputArea()
    for line in lines:
        area.apply(*stream(line))
    if lines:
        assert area.stream_preview(0, head, tail) == preview


def test_lagging_big_stream_gets_its_full_text_when_another_stream_starts() -> None:
    area = OutputArea()
    area.apply(*stream("x" * 400_000 + "\n"))
    area.apply(*stream("last line\n"))
    area.apply(*stream("err\n", "stderr"))
    assert area.raw_outputs[0]["text"].endswith("x\nlast line\n")
    area.apply(*stream("y" * 400_000 + "\n", "stdout"))
    area.apply(*stream("more\n", "stdout"))
    area.apply(*MESSAGES[4])
    assert area.raw_outputs[2]["text"].endswith("y\nmore\n")
