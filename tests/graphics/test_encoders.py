"""The encoders, byte for byte on tiny images, and sixel decoded back on a real one."""

from __future__ import annotations

import re

from PIL import Image

from tests.graphics.conftest import IMAGES
from tui.graphics.halfblock import halfblock_ansi, halfblock_runs
from tui.graphics.iterm import iterm_image
from tui.graphics.kitty import (
    DIACRITICS,
    MAX_CELLS,
    kitty_id_color,
    kitty_image_id,
    kitty_placeholder_ansi,
    kitty_placeholder_rows,
    kitty_transmit,
)
from tui.graphics.raster import scaled_rgb
from tui.graphics.sixel import sixel, sixel_from_indices
from tui.graphics.tmux import wrap_tmux

RED, GREEN, BLUE, WHITE, BLACK = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)


def image(rows: list[list[tuple[int, int, int]]]) -> Image.Image:
    img = Image.new("RGB", (len(rows[0]), len(rows)))
    img.putdata([px for row in rows for px in row])
    return img


SQUARE = image([[RED, GREEN], [BLUE, WHITE]])


def test_halfblock_2x2() -> None:
    assert halfblock_ansi(SQUARE) == (
        "\x1b[38;2;255;0;0;48;2;0;0;255m▀\x1b[38;2;0;255;0;48;2;255;255;255m▀\x1b[0m\n")


def test_halfblock_odd_height_leaves_the_last_lower_half_to_the_background() -> None:
    img = image([[RED, GREEN], [BLUE, WHITE], [BLACK, BLACK]])
    assert halfblock_ansi(img).split("\n")[1] == "\x1b[38;2;0;0;0;49m▀▀\x1b[0m"
    assert halfblock_runs(img)[1] == [(BLACK, None, 2)]


def test_halfblock_runs_merge_equal_cells() -> None:
    img = image([[RED, RED, RED, GREEN], [BLUE, BLUE, BLUE, BLUE], [RED] * 4, [RED] * 4])
    assert halfblock_runs(img) == [[(RED, BLUE, 3), (GREEN, BLUE, 1)], [(RED, RED, 4)]]


def test_kitty_transmit_one_chunk() -> None:
    assert kitty_transmit(b"PNGDATA", 7, 2, 1) == (
        "\x1b_Ga=T,U=1,f=100,q=2,i=7,c=2,r=1,m=0;UE5HREFUQQ==\x1b\\")


def test_kitty_transmit_chunks_of_4096() -> None:
    out = kitty_transmit(bytes(range(256)) * 20, 42, 3, 4)  # 5120 bytes: 6828 base64 chars
    parts = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", out)
    assert [head for head, _ in parts] == ["a=T,U=1,f=100,q=2,i=42,c=3,r=4,m=1", "m=0"]
    assert [len(body) for _, body in parts] == [4096, 6828 - 4096]
    assert "".join(re.findall(r"\x1b_G[^;]*;([^\x1b]*)\x1b\\", out)) == \
        __import__("base64").b64encode(bytes(range(256)) * 20).decode()


def test_kitty_placeholders_2x2() -> None:
    p = "\U0010eeee"
    assert kitty_placeholder_rows(2, 2) == [
        f"{p}\u0305\u0305{p}\u0305\u030d", f"{p}\u030d\u0305{p}\u030d\u030d"]
    assert kitty_placeholder_ansi(0x010203, 1, 1) == f"\x1b[38;2;1;2;3m{p}\u0305\u0305\x1b[39m\n"
    assert kitty_id_color(0xABCDEF) == (0xAB, 0xCD, 0xEF)


def test_kitty_diacritics_table_is_kittys() -> None:
    assert MAX_CELLS == 297 and len(set(DIACRITICS)) == 297
    assert DIACRITICS[0] == "\u0305" and DIACRITICS[-1] == "\U0001d244"
    assert list(DIACRITICS) == sorted(DIACRITICS)


def test_kitty_image_ids_are_stable_24_bit_and_nonzero() -> None:
    a = kitty_image_id(("abc", "kitty", 40, 10))
    assert a == kitty_image_id(("abc", "kitty", 40, 10))
    assert a != kitty_image_id(("abc", "kitty", 41, 10))
    assert 0 < a < 1 << 24


def test_iterm() -> None:
    assert iterm_image(b"PNGDATA", 2, 1) == (
        "\x1b]1337;File=inline=1;width=2c;height=1r;preserveAspectRatio=0:UE5HREFUQQ==\x07")


def test_tmux_wrap_doubles_escapes() -> None:
    assert wrap_tmux("\x1b_Ga=q\x1b\\") == "\x1bPtmux;\x1b\x1b_Ga=q\x1b\x1b\\\x1b\\"


def test_sixel_2x2() -> None:
    assert sixel(SQUARE) == (
        '\x1bPq"1;1;2;2#0;2;0;0;100#1;2;0;100;0#2;2;100;0;0#3;2;100;100;100'
        "#0A$#1?@$#2@$#3?A\x1b\\")


def test_sixel_run_length_and_bands() -> None:
    assert sixel(image([[RED] * 8])) == '\x1bPq"1;1;8;1#0;2;100;0;0#0!8@\x1b\\'
    assert sixel(image([[BLACK]] * 7)) == '\x1bPq"1;1;1;7#0;2;0;0;0#0~-#0@\x1b\\'
    assert sixel_from_indices(bytes([0, 1, 1, 1, 1, 0]), 3, 2, [BLACK, WHITE]) == (
        '\x1bPq"1;1;3;2#0;2;0;0;0#1;2;100;100;100#0@?A$#1AB@\x1b\\')


def decode_sixel(text: str) -> tuple[dict[tuple[int, int], int], dict[int, tuple[int, ...]]]:
    """A small sixel reader for the tests: (x, y) -> colour index, and the palette."""
    body = text[text.index("q") + 1:-2]
    body = re.sub(r'^"[0-9;]*', "", body)
    pixels: dict[tuple[int, int], int] = {}
    palette: dict[int, tuple[int, ...]] = {}
    x = band = color = 0
    for token in re.finditer(r"#(\d+)(?:;2;(\d+);(\d+);(\d+))?|!(\d+)(.)|([?-~])|(\$)|(-)", body):
        if token.group(1) is not None:
            color = int(token.group(1))
            if token.group(2) is not None:
                palette[color] = tuple(int(token.group(i)) for i in (2, 3, 4))
            continue
        if token.group(8):
            x = 0
            continue
        if token.group(9):
            x, band = 0, band + 1
            continue
        if token.group(5):
            count, char = int(token.group(5)), token.group(6)
        else:
            count, char = 1, token.group(7)
        for _ in range(count):
            bits = ord(char) - 63
            for n in range(6):
                if bits & (1 << n):
                    pixels[(x, band * 6 + n)] = color
            x += 1
    return pixels, palette


def test_sixel_of_a_real_plot_decodes_back_to_its_quantised_pixels() -> None:
    img = scaled_rgb((IMAGES / "matplotlib_plot.png").read_bytes(), (86, 58))
    pixels, palette = decode_sixel(sixel(img))
    quantised = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    flat = quantised.getpalette() or []
    data = quantised.tobytes()
    assert len(pixels) == 86 * 58
    for (x, y), color in pixels.items():
        expected = data[y * 86 + x]
        assert color == expected, (x, y)
        r, g, b = flat[3 * color:3 * color + 3]
        assert palette[color] == tuple((v * 100 + 127) // 255 for v in (r, g, b))
