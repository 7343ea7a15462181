"""The little CSS the ``text/html`` renderer honours: colours and weight, never shown as text.

Only what is cheap and common: pandas Styler's ``#T_xxx_row0_col1 { background-color: ...;
color: ... }`` rules (by element id) and inline ``style="..."`` attributes. Everything else in
a ``<style>`` is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.color import Color, ColorParseError
from rich.style import Style

MAX_RULES = 50_000
"""``<style>`` rules read (a Styler of 10,000 cells has about that many)."""

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ID = re.compile(r"^#([\w-]+)$")
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", re.I)
_HEX3 = re.compile(r"^#([0-9a-f])([0-9a-f])([0-9a-f])$", re.I)


def parse_color(value: str) -> Color | None:
    """A CSS colour (``#abc``, ``#aabbcc``, ``rgb(...)``, a basic name) as a Rich colour."""
    value = value.strip().lower().removesuffix("!important").strip()
    if not value or value in ("transparent", "inherit", "initial", "none", "unset"):
        return None
    if m := _HEX3.match(value):
        value = "#" + "".join(ch * 2 for ch in m.groups())
    elif m := _RGB.match(value):
        if m.group(4) is not None and float(m.group(4)) < 0.1:
            return None
        r, g, b = (min(255, int(x)) for x in m.groups()[:3])
        return Color.from_rgb(r, g, b)
    try:
        return Color.parse(value)
    except ColorParseError:
        return None


def declarations_style(declarations: str) -> Style | None:
    """``background-color: #fff; color: red; font-weight: bold`` as a Rich style."""
    fg = bg = None
    bold = italic = None
    for part in declarations.split(";"):
        name, _, value = part.partition(":")
        name = name.strip().lower()
        value = value.strip()
        if name in ("background-color", "background"):
            bg = parse_color(value.split()[0]) if value else None
        elif name == "color":
            fg = parse_color(value)
        elif name == "font-weight":
            bold = value.lower() in ("bold", "bolder", "600", "700", "800", "900") or None
        elif name == "font-style":
            italic = value.lower() == "italic" or None
    if fg is None and bg is None and bold is None and italic is None:
        return None
    return Style(color=fg, bgcolor=bg, bold=bold, italic=italic)


def id_styles(sheets: Iterable[str]) -> dict[str, Style]:
    """Element id -> style, from the ``#id`` rules of ``<style>`` texts (later rules win)."""
    styles: dict[str, Style] = {}
    rules = 0
    for sheet in sheets:
        for match in _RULE.finditer(sheet):
            rules += 1
            if rules > MAX_RULES:
                return styles
            selectors, body = match.groups()
            ids = [m.group(1) for s in selectors.split(",") if (m := _ID.match(s.strip()))]
            if not ids:
                continue
            style = declarations_style(body)
            if style is None:
                continue
            for name in ids:
                old = styles.get(name)
                styles[name] = old + style if old is not None else style
    return styles
