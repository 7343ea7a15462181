"""The console's output path without a kernel: sanitized text, cut lines, rich bundles."""

from __future__ import annotations

import io
import time

from tests.render.test_sanitize import assert_only_sgr
from tui.console.linecut import LineCutter, bounded_prompt, bounded_text
from tui.console.piped import PipedPrinter
from tui.console.printer import Printer
from tui.console.rich_output import ConsoleRenderer, holds_pixels
from tui.render.ansi import cut_mark
from tui.render.sanitize import strip_escapes


class _Event:
    def __init__(self, msg_type: str, content: dict[str, object]) -> None:
        self.msg_type = msg_type
        self.content = content


def _printer(color: bool = True, size: tuple[int, int] = (100, 30),
             renderer: ConsoleRenderer | None = None) -> tuple[Printer, io.StringIO]:
    out = io.StringIO()
    return Printer(out, color=color, size=lambda: size, renderer=renderer), out


def _stream(printer: Printer, text: str, name: str = "stdout") -> None:
    printer.handle(_Event("stream", {"name": name, "text": text}))


def test_hostile_stream_output_keeps_only_colours() -> None:
    printer, out = _printer()
    printer.begin_cell()
    _stream(printer, "\x1b]2;PWNED\x07\x1b[6n\x1b[2J\x1b[H\x1b[31mred\x1b[0m\x9b6n\x1bc ok\n")
    printer.end_cell()
    assert out.getvalue() == "\x1b[31mred\x1b[0m ok\n\n"


def test_every_kernel_text_is_sanitized() -> None:
    printer, out = _printer()
    printer.begin_cell()
    printer.handle(_Event("execute_result", {"execution_count": 1,
                                             "data": {"text/plain": "'\x1b]2;T\x07x'"}}))
    printer.handle(_Event("error", {"traceback": ["\x1b[31mTrace\x1b[0m\x1b[6n",
                                                  "\x1b]52;c;Zm9v\x07E: v"]}))
    printer.handle(_Event("error", {"ename": "E\x1b[2J", "evalue": "v\x1b]0;t\x07"}))
    printer.handle(_Event("display_data", {"data": {"text/markdown": "**b**\x1b]2;T\x07"}}))
    printer.note("could not show: '\x1b]2;x\x07'", "warning")
    printer.banner("Banner\x1b[?1049h\n")
    printer.end_cell()
    text = out.getvalue()
    assert_only_sgr(text)
    plain = strip_escapes(text)
    assert "'x'" in plain and "Trace" in plain and "E: v" in plain and "b" in plain


def test_a_huge_line_arriving_in_chunks_is_cut_once_with_its_count() -> None:
    printer, out = _printer(size=(100, 30))
    limit = printer.line_limit
    assert limit == 100 * 24
    printer.begin_cell()
    start = time.perf_counter()
    for _ in range(50):  # 50 MB in 1 MB messages, as ipykernel sends a big print
        _stream(printer, "x" * 1_000_000)
    _stream(printer, "\nnext line\n")
    assert time.perf_counter() - start < 2.0
    printer.end_cell()
    lines = strip_escapes(out.getvalue()).split("\n")
    assert lines[0] == "x" * limit + cut_mark(50_000_000 - limit)
    assert lines[1] == "next line"


def test_a_cut_line_that_never_ends_gets_its_mark_when_the_cell_ends() -> None:
    printer, out = _printer(size=(100, 30))
    printer.begin_cell()
    _stream(printer, "y" * 5000)
    printer.handle(_Event("execute_result", {"execution_count": 2,
                                             "data": {"text/plain": "2"}}))
    printer.end_cell()
    lines = strip_escapes(out.getvalue()).split("\n")
    assert lines[0] == "y" * 2400 + cut_mark(2600)
    assert lines[1] == "Out[2]: 2"


def test_progress_bars_are_not_cut() -> None:
    cutter = LineCutter(20)
    text = "".join(cutter.feed(f"\r{k:3d}% [{'#' * (k // 20)}]") for k in range(0, 101, 10))
    assert "more character" not in text
    assert text.endswith("\r100% [#####]")


def test_a_cut_keeps_colours_balanced() -> None:
    text = bounded_text("\x1b[31m" + "r" * 500 + "\n", 100)
    assert text.startswith("\x1b[31m" + "r" * 100 + "\x1b[0m\x1b[2m … (400 more")
    assert text.endswith("\x1b[0m\n")


def test_input_prompt_is_bounded() -> None:
    start = time.perf_counter()
    prompt = bounded_prompt("x" * 5_000_000)
    assert time.perf_counter() - start < 0.5
    assert strip_escapes(prompt) == "x" * 400 + cut_mark(5_000_000 - 400)
    many = bounded_prompt("".join(f"line {k}\n" for k in range(1000)) + "Name? \x1b]2;t\x07")
    assert strip_escapes(many).splitlines()[0] == "… (981 earlier lines)"
    assert strip_escapes(many).endswith("line 999\nName? ")


def test_markdown_goes_through_the_registry() -> None:
    renderer = ConsoleRenderer(color=False)
    text = renderer.render({"text/markdown": "# Title\n\n**bold** text",
                            "text/plain": "<IPython.core.display.Markdown object>"}, None, 60)
    assert "bold text" in text and "**" not in text and "<IPython" not in text


def test_plain_results_stay_the_kernels_text() -> None:
    renderer = ConsoleRenderer(color=True)
    long_repr = "[" + ", ".join(str(k) for k in range(100)) + "]"
    assert renderer.render({"text/plain": long_repr}, None, 40) == long_repr  # not re-wrapped


def test_an_image_without_graphics_is_a_placeholder_with_its_alt_text() -> None:
    renderer = ConsoleRenderer(graphics="none", color=False)
    text = renderer.render({"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480>"},
                           None, 80)
    assert text.splitlines() == ["[image/png, 8 B]", "<Figure size 640x480>"]


def test_piped_mode_prints_text_only() -> None:
    out, err = io.StringIO(), io.StringIO()
    printer = PipedPrinter(out, err, color=False, live=False, cut_lines=False)
    printer.handle(_Event("display_data", {"data": {"image/png": "iVBORw0KGgo=",
                                                    "text/plain": "<Figure>\x1b]2;t\x07"}}))
    printer.handle(_Event("display_data", {"data": {"text/html": "<b>x</b>"}}))
    _stream(printer, "z" * 10_000 + "\x1b[6n\n")
    assert out.getvalue() == "<Figure>\n[text/html, 8 B]\n" + "z" * 10_000 + "\n"


def test_output_with_pixel_graphics_is_never_erased_in_place() -> None:
    assert holds_pixels("\x1bPq#0;2;0;0;0~\x1b\\")
    assert holds_pixels("\x1b_Ga=T,f=100;AAAA\x1b\\")
    assert not holds_pixels("\x1b[38;2;1;2;3m▀\x1b[0m")


class _PixelImage:
    """Stands in for the image renderer: an upload sequence, then the rows it draws."""

    def __rich_console__(self, console: object, options: object) -> object:
        from rich.segment import Segment

        yield Segment("\x1b_Ga=T,f=100,q=2;AAAA\x1b\\")
        yield Segment("\U0010eeee\u0305\u0305")
        yield Segment.line()


def test_pixel_escapes_reach_the_terminal_raw_and_text_modes_are_sanitized(
        monkeypatch: object) -> None:
    from tui.render import registry

    def fake(value: object, metadata: object, ctx: object) -> _PixelImage:
        return _PixelImage()

    monkeypatch.setitem(registry._LOADED, "image/png", fake)  # type: ignore[attr-defined]
    bundle = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480>"}
    printer, out = _printer(renderer=ConsoleRenderer(graphics="kitty"))
    printer.begin_cell()
    printer.handle(_Event("display_data", {"data": bundle}))
    printer.end_cell()
    assert "\x1b_Ga=T,f=100,q=2;AAAA\x1b\\\U0010eeee" in out.getvalue()
    assert "<Figure" not in out.getvalue()
    # In half-block mode nothing but colours may come out, whatever a renderer returns.
    text = ConsoleRenderer(graphics="halfblock").render(bundle, None, 80)
    assert_only_sgr(text)
    assert "\U0010eeee" in text


def test_a_colour_split_between_two_messages_still_colours() -> None:
    cutter = LineCutter(100)
    first, second = cutter.feed("a\x1b[3"), cutter.feed("1mred\x1b[0m\n")
    assert first + second == "a\x1b[31mred\x1b[0m\n"
    cutter.feed("tail\x1b[")
    assert cutter.finish() == ""  # an unfinished sequence is dropped, never printed
