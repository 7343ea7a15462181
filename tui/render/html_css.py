"""The little CSS the ``text/html`` renderer honours: colours and weight, never shown as text.

Only what is cheap and common: pandas Styler's ``#T_xxx_row0_col1 { background-color: ...;
color: ... }`` rules (by element id), rules whose last compound selector is an element and/or
classes (``#T_xxx th.col_heading``, ``.row_heading``, ``td.low``: what ``set_table_styles``
and ``set_td_classes`` write; the ancestors before it are assumed to match), and inline
``style="..."`` attributes. Pseudo-classes, attribute selectors and everything else in a
``<style>`` are ignored. Element rules apply first, then class rules, then id rules (CSS
specificity, roughly), each in the order written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.color import Color, ColorParseError
from rich.style import Style

MAX_RULES = 50_000
"""``<style>`` rules read (a Styler of 10,000 cells has about that many)."""

MAX_CLASS_RULES = 256
"""Element and class rules kept (each is tried on every cell)."""

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ID = re.compile(r"^#([\w-]+)$")
_COMPOUND = re.compile(r"^([a-z][a-z0-9]*)?((?:\.[\w-]+)*)$", re.I)
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", re.I)
_HEX3 = re.compile(r"^#([0-9a-f])([0-9a-f])([0-9a-f])$", re.I)


_CSS_NAMES = {
    "lightgreen": "#90ee90", "lightblue": "#add8e6", "lightgray": "#d3d3d3",
    "lightgrey": "#d3d3d3", "darkgreen": "#006400", "darkblue": "#00008b",
    "darkred": "#8b0000", "darkorange": "#ff8c00", "orange": "#ffa500", "pink": "#ffc0cb",
    "lightpink": "#ffb6c1", "lightyellow": "#ffffe0", "lightcoral": "#f08080",
    "salmon": "#fa8072", "gold": "#ffd700", "gray": "#808080", "grey": "#808080",
    "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9", "whitesmoke": "#f5f5f5",
    "lavender": "#e6e6fa", "beige": "#f5f5dc", "tomato": "#ff6347", "crimson": "#dc143c",
    "steelblue": "#4682b4", "skyblue": "#87ceeb", "navy": "#000080", "teal": "#008080",
    "olive": "#808000", "maroon": "#800000", "purple": "#800080", "silver": "#c0c0c0",
    "lime": "#00ff00", "aqua": "#00ffff", "fuchsia": "#ff00ff",
}
"""CSS colour names Rich spells differently or lacks (those Styler users write most)."""


def parse_color(value: str) -> Color | None:
    """A CSS colour (``#abc``, ``#aabbcc``, ``rgb(...)``, a basic name) as a Rich colour."""
    value = value.strip().lower().removesuffix("!important").strip()
    if not value or value in ("transparent", "inherit", "initial", "none", "unset"):
        return None
    value = _CSS_NAMES.get(value, value)
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


class StyleSheet(dict[str, Style]):
    """Element id -> style (a plain mapping, as before), plus the element and class rules
    (:meth:`style_for` applies all of them to one element)."""

    def __init__(self) -> None:
        super().__init__()
        self.rules: list[tuple[int, int, str | None, frozenset[str], Style]] = []
        """(specificity, order, tag or ``None``, classes, style), in the order they apply."""

    def add_rule(self, tag: str | None, classes: frozenset[str], style: Style) -> None:
        """A rule for elements ``tag`` (any when ``None``) having every class of ``classes``
        (past :data:`MAX_CLASS_RULES`, ignored)."""
        if len(self.rules) < MAX_CLASS_RULES:
            self.rules.append((1 if classes else 0, len(self.rules), tag, classes, style))
            self.rules.sort(key=lambda rule: rule[:2])

    def style_for(self, tag: str, attrs: Mapping[str, str]) -> Style | None:
        """The style the rules give an element ``tag`` with attributes ``attrs``."""
        style: Style | None = None
        if self.rules:
            names = frozenset(attrs.get("class", "").split())
            for _, _, want_tag, want, rule in self.rules:
                if (want_tag is None or want_tag == tag) and want <= names:
                    style = style + rule if style is not None else rule
        by_id = self.get(attrs.get("id", ""))
        if by_id is not None:
            style = style + by_id if style is not None else by_id
        return style


def style_for(styles: Mapping[str, Style], tag: str, attrs: Mapping[str, str]) -> Style | None:
    """The style of element ``tag`` with ``attrs`` from ``styles`` (an id mapping or a
    :class:`StyleSheet`), inline ``style`` not included."""
    if isinstance(styles, StyleSheet):
        return styles.style_for(tag, attrs)
    return styles.get(attrs.get("id", ""))


def id_styles(sheets: Iterable[str]) -> StyleSheet:
    """The rules of ``<style>`` texts: element id -> style from ``#id`` rules (later rules
    win), element and class rules kept on the :class:`StyleSheet`."""
    styles = StyleSheet()
    rules = 0
    for sheet in sheets:
        for match in _RULE.finditer(sheet):
            rules += 1
            if rules > MAX_RULES:
                return styles
            selectors, body = match.groups()
            parts = [s.strip() for s in selectors.split(",")]
            ids = [m.group(1) for s in parts if (m := _ID.match(s))]
            others = [s for s in parts if not _ID.match(s)]
            if not ids and not others:
                continue
            style = declarations_style(body)
            if style is None:
                continue
            for selector in others:
                if ":" in selector or "[" in selector:
                    continue  # :hover, :nth-child, [attr]: not for a static table
                last = selector.replace(">", " ").replace("+", " ").replace("~", " ").split()
                if last and (m := _COMPOUND.match(last[-1])) and (m.group(1) or m.group(2)):
                    tag = m.group(1).lower() if m.group(1) else None
                    classes = frozenset(c for c in m.group(2).split(".") if c)
                    styles.add_rule(tag, classes, style)
            for name in ids:
                old = styles.get(name)
                styles[name] = old + style if old is not None else style
    return styles
