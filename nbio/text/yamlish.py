"""The YAML of a text notebook's header, without a YAML library.

:func:`dump` writes what ``yaml.safe_dump(data, default_flow_style=False)`` (PyYAML) writes for
JSON-like data: block mappings with sorted keys, indentless sequences in mappings, ``{}`` and
``[]`` for empty ones, PyYAML's choice of plain, single- or double-quoted scalars (ASCII only,
``\\u`` escapes) and its line folding at 80 columns. :func:`load` reads that back, and the
hand-written headers people keep (comments, flow ``[a, b]`` lists, ``yes``/``no``, quoted
strings over several lines); anything else is a :class:`YamlError` naming the line.
"""

from __future__ import annotations

import math
import re
from typing import Any


class YamlError(ValueError):
    """YAML outside the subset this module reads; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


# -- how PyYAML resolves a plain scalar ----------------------------------------------------
_BOOL_RE = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
                      r"|on|On|ON|off|Off|OFF)$")
_FLOAT_RE = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""", re.X)
_INT_RE = re.compile(r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""", re.X)
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_TIMESTAMP_RE = re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X)
_OTHER_RE = re.compile(r"^(?:<<|=)$")


def _plain_is_str(value: str) -> bool:
    """Whether PyYAML reads ``value``, unquoted, back as a string."""
    return not any(p.match(value) for p in (_BOOL_RE, _FLOAT_RE, _INT_RE, _NULL_RE,
                                            _TIMESTAMP_RE, _OTHER_RE))


def _resolve_plain(value: str) -> Any:
    """A plain scalar's value as PyYAML's safe loader gives it (timestamps stay strings)."""
    if _NULL_RE.match(value):
        return None
    if _BOOL_RE.match(value):
        return value.lower() in ("yes", "true", "on")
    if _INT_RE.match(value):
        text = value.replace("_", "")
        sign = -1 if text[0] == "-" else 1
        if text[0] in "+-":
            text = text[1:]
        if text == "0":
            return 0
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text.startswith("0"):
            return sign * int(text, 8)
        if ":" in text:
            total = 0
            for part in text.split(":"):
                total = total * 60 + int(part)
            return sign * total
        return sign * int(text)
    if _FLOAT_RE.match(value):
        digits = value.replace("_", "").lower()
        fsign = -1.0 if digits[0] == "-" else 1.0
        if digits[0] in "+-":
            digits = digits[1:]
        if digits == ".inf":
            return fsign * math.inf
        if digits == ".nan":
            return math.nan
        if ":" in digits:
            ftotal = 0.0
            for part in digits.split(":"):
                ftotal = ftotal * 60 + float(part)
            return fsign * ftotal
        return fsign * float(digits)
    return value


# -- dumping --------------------------------------------------------------------------------
_BREAKS = "\n\x85\u2028\u2029"
_WS = "\0 \t\r\n\x85\u2028\u2029"
_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v",
            "\x0c": "f", "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
            "\xa0": "_", "\u2028": "L", "\u2029": "P"}
_WIDTH = 80


def _analyze(s: str) -> tuple[bool, bool, bool]:
    """PyYAML's scalar analysis: (multiline, allow_block_plain, allow_single_quoted)."""
    if not s:
        return False, True, True
    block_ind = s.startswith(("---", "..."))
    line_breaks = special = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = False
    preceded_ws = True
    followed_ws = len(s) == 1 or s[1] in _WS
    prev_space = prev_break = False
    n = len(s)
    for index, ch in enumerate(s):
        if index == 0:
            if ch in "#,[]{}&*!|>'\"%@`":
                block_ind = True
            if ch in "?:" and followed_ws:
                block_ind = True
            if ch == "-" and followed_ws:
                block_ind = True
        else:
            if ch == ":" and followed_ws:
                block_ind = True
            if ch == "#" and preceded_ws:
                block_ind = True
        if ch in _BREAKS:
            line_breaks = True
        if not (ch == "\n" or "\x20" <= ch <= "\x7e"):
            special = True  # allow_unicode is off in safe_dump: every non-ASCII is escaped
        if ch == " ":
            leading_space = leading_space or index == 0
            trailing_space = trailing_space or index == n - 1
            break_space = break_space or prev_break
            prev_space, prev_break = True, False
        elif ch in _BREAKS:
            leading_break = leading_break or index == 0
            trailing_break = trailing_break or index == n - 1
            space_break = space_break or prev_space
            prev_space, prev_break = False, True
        else:
            prev_space = prev_break = False
        preceded_ws = ch in _WS
        followed_ws = index + 2 >= n or s[index + 2] in _WS
    block_plain = single = True
    if leading_space or leading_break or trailing_space or trailing_break:
        block_plain = False
    if break_space:
        block_plain = single = False
    if space_break or special:
        block_plain = single = False
    if line_breaks:
        block_plain = False
    if block_ind:
        block_plain = False
    return line_breaks, block_plain, single


class _Writer:
    """PyYAML's emitter state for one document: column, indent and whitespace flags."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.indent = 0
        self.whitespace = True
        self.indention = True

    def write(self, data: str) -> None:
        self.out.append(data)
        self.column += len(data)

    def indicator(self, text: str, need_ws: bool, whitespace: bool = False,
                  indention: bool = False) -> None:
        data = text if self.whitespace or not need_ws else " " + text
        self.whitespace = whitespace
        self.indention = self.indention and indention
        self.write(data)

    def line_break(self, data: str = "\n") -> None:
        self.out.append(data)
        self.whitespace = self.indention = True
        self.column = 0

    def write_indent(self) -> None:
        indent = self.indent
        if (not self.indention or self.column > indent
                or (self.column == indent and not self.whitespace)):
            self.line_break()
        if self.column < indent:
            self.whitespace = True
            self.write(" " * (indent - self.column))

    # scalars (ports of PyYAML's write_plain / write_single_quoted / write_double_quoted)
    def plain(self, text: str, split: bool) -> None:
        if not text:
            return
        if not self.whitespace:
            self.write(" ")
        self.whitespace = self.indention = False
        spaces = breaks = False
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch != " ":
                    if start + 1 == end and self.column > _WIDTH and split:
                        self.write_indent()
                        self.whitespace = self.indention = False
                    else:
                        self.write(text[start:end])
                    start = end
            elif breaks:
                if ch is None or ch not in _BREAKS:
                    if text[start] == "\n":
                        self.line_break()
                    for br in text[start:end]:
                        self.line_break(br)
                    self.write_indent()
                    self.whitespace = self.indention = False
                    start = end
            elif ch is None or ch in " " + _BREAKS:
                self.write(text[start:end])
                start = end
            if ch is not None:
                spaces = ch == " "
                breaks = ch in _BREAKS
            end += 1

    def single_quoted(self, text: str, split: bool) -> None:
        self.indicator("'", True)
        spaces = breaks = False
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch is None or ch != " ":
                    if (start + 1 == end and self.column > _WIDTH and split and start != 0
                            and end != len(text)):
                        self.write_indent()
                    else:
                        self.write(text[start:end])
                    start = end
            elif breaks:
                if ch is None or ch not in _BREAKS:
                    if text[start] == "\n":
                        self.line_break()
                    for br in text[start:end]:
                        self.line_break(br)
                    self.write_indent()
                    start = end
            elif (ch is None or ch in " " + _BREAKS or ch == "'") and start < end:
                self.write(text[start:end])
                start = end
            if ch == "'":
                self.write("''")
                start = end + 1
            if ch is not None:
                spaces = ch == " "
                breaks = ch in _BREAKS
            end += 1
        self.indicator("'", False)

    def double_quoted(self, text: str, split: bool) -> None:
        self.indicator('"', True)
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if ch is None or ch in '"\\\x85\u2028\u2029\ufeff' or not "\x20" <= ch <= "\x7e":
                if start < end:
                    self.write(text[start:end])
                    start = end
                if ch is not None:
                    if ch in _ESCAPES:
                        data = "\\" + _ESCAPES[ch]
                    elif ch <= "\xff":
                        data = f"\\x{ord(ch):02X}"
                    elif ch <= "\uffff":
                        data = f"\\u{ord(ch):04X}"
                    else:
                        data = f"\\U{ord(ch):08X}"
                    self.write(data)
                    start = end + 1
            if (0 < end < len(text) - 1 and (ch == " " or start >= end)
                    and self.column + (end - start) > _WIDTH and split):
                data = text[start:end] + "\\"
                if start < end:
                    start = end
                self.write(data)
                self.write_indent()
                self.whitespace = self.indention = False
                if text[start] == " ":
                    self.write("\\")
            end += 1
        self.indicator('"', False)

    def scalar(self, value: Any, simple_key: bool) -> None:
        """One scalar at the current position (``simple_key``: a mapping key)."""
        if value is None:
            text, implicit = "null", True
        elif value is True or value is False:
            text, implicit = ("true" if value else "false"), True
        elif isinstance(value, int):
            text, implicit = str(value), True
        elif isinstance(value, float):
            if value != value:
                text = ".nan"
            elif value == math.inf:
                text = ".inf"
            elif value == -math.inf:
                text = "-.inf"
            else:
                text = repr(value).lower()
                if "." not in text and "e" in text:
                    text = text.replace("e", ".0e", 1)
            implicit = True
        else:
            text = str(value)
            implicit = _plain_is_str(text)
        multiline, block_plain, single = _analyze(text)
        split = not simple_key
        if implicit and not (simple_key and (not text or multiline)) and block_plain:
            self.plain(text, split)
        elif single and not (simple_key and multiline):
            self.single_quoted(text, split)
        else:
            self.double_quoted(text, split)


def _node(w: _Writer, value: Any, in_mapping: bool, in_sequence: bool) -> None:
    if isinstance(value, dict) and value:
        saved = w.indent
        if in_mapping or in_sequence:
            w.indent = saved + 2
        for key in sorted(value):
            w.write_indent()
            key_indent = w.indent
            w.indent = key_indent + 2
            text = str(key) if isinstance(key, str) else ""
            if isinstance(key, str) and not (0 < len(text) < 128 and "\n" not in text
                                             and not any(b in text for b in _BREAKS)):
                w.indicator("?", True, indention=True)  # PyYAML's explicit ("complex") key
                w.scalar(key, simple_key=False)
                w.indent = key_indent
                w.write_indent()
                w.indicator(":", True, indention=True)
            else:
                w.scalar(key, simple_key=True)
                w.indent = key_indent
                w.indicator(":", False)
            _node(w, value[key], True, False)
        w.indent = saved
    elif isinstance(value, list) and value:
        saved = w.indent
        indentless = in_mapping and not w.indention
        if (in_mapping or in_sequence) and not indentless:
            w.indent = saved + 2
        for item in value:
            w.write_indent()
            w.indicator("-", True, whitespace=False, indention=True)
            _node(w, item, False, True)
        w.indent = saved
    elif isinstance(value, (dict, list)):
        w.indicator("{" if isinstance(value, dict) else "[", True, whitespace=True)
        w.indicator("}" if isinstance(value, dict) else "]", False)
    else:
        saved = w.indent
        w.indent = saved + 2
        w.scalar(value, simple_key=False)
        w.indent = saved


def dump(data: dict[str, Any]) -> str:
    """``yaml.safe_dump(data, default_flow_style=False)`` for a non-empty JSON-like dict."""
    w = _Writer()
    w.indent = 0
    _node(w, data, False, False)
    w.line_break()
    return "".join(w.out)


# -- loading --------------------------------------------------------------------------------
_KEY_RE = re.compile(r"""^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'  # a quoted key
                       |(?:[^\s#'"\[\]{},&*!|>%@`?:-]|[-?:](?=\S))  # or a plain one
                        (?:\S|[ \t]+(?!\#))*?)
                       \s*:(?:\s|$)""", re.X)


class _Line:
    __slots__ = ("indent", "number", "text")

    def __init__(self, number: int, indent: int, text: str) -> None:
        self.number = number
        self.indent = indent
        self.text = text


def _strip_comment(text: str) -> str:
    """A plain scalar without its trailing `` # comment``."""
    match = re.search(r"(^|\s)#", text)
    return (text[:match.start()] if match else text).rstrip()


def _fold(pieces: list[str]) -> str:
    """Join the lines of a multi-line scalar as YAML folds them (a blank line is a newline)."""
    out = pieces[0]
    blank = 0
    for piece in pieces[1:]:
        if not piece:
            blank += 1
            continue
        out += ("\n" * blank) if blank else " "
        out += piece
        blank = 0
    return out


class _Loader:
    def __init__(self, text: str) -> None:
        self.lines: list[_Line] = []
        for number, raw in enumerate(text.split("\n"), start=1):
            if "\t" in raw[:len(raw) - len(raw.lstrip())]:
                raise YamlError("a tab in the indentation", number)
            stripped = raw.strip()
            self.lines.append(_Line(number, len(raw) - len(raw.lstrip(" ")), stripped))
        self.pos = 0

    # helpers
    def _skip_blank(self) -> None:
        while self.pos < len(self.lines) and (
                not self.lines[self.pos].text or self.lines[self.pos].text.startswith("#")):
            self.pos += 1

    def _current(self) -> _Line | None:
        self._skip_blank()
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def _error(self, message: str) -> YamlError:
        line = self.lines[min(self.pos, len(self.lines) - 1)].number if self.lines else 1
        return YamlError(message, line)

    # structure
    def node(self, parent_indent: int) -> Any:
        line = self._current()
        if line is None or line.indent <= parent_indent:
            return None
        if line.text == "-" or line.text.startswith("- "):
            return self.sequence(line.indent)
        if _KEY_RE.match(line.text):
            return self.mapping(line.indent)
        self.pos += 1
        return self.scalar(line.text, parent_indent, line)

    def mapping(self, indent: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while True:
            line = self._current()
            if line is None or line.indent < indent:
                return result
            if line.indent > indent:
                raise self._error("unexpected indentation")
            match = _KEY_RE.match(line.text)
            if not match:
                if line.text == "-" or line.text.startswith("- "):
                    return result  # an indentless sequence's end is the caller's business
                raise self._error("expected 'key: value'")
            key_text = match.group(0).rstrip()[:-1].rstrip()
            key = self._key(key_text, line)
            rest = line.text[match.end():].strip()
            self.pos += 1
            if rest and not rest.startswith("#"):
                result[key] = self.scalar(rest, indent, line)
                continue
            nxt = self._current()
            if nxt is not None and nxt.indent == indent and (
                    nxt.text == "-" or nxt.text.startswith("- ")):
                result[key] = self.sequence(indent)
            else:
                result[key] = self.node(indent)

    def sequence(self, indent: int) -> list[Any]:
        result: list[Any] = []
        while True:
            line = self._current()
            if line is None or line.indent != indent or not (
                    line.text == "-" or line.text.startswith("- ")):
                if line is not None and line.indent > indent:
                    raise self._error("unexpected indentation")
                return result
            rest = line.text[1:]
            if not rest.strip() or rest.strip().startswith("#"):
                self.pos += 1
                result.append(self.node(indent))
                continue
            inner = indent + 1 + (len(rest) - len(rest.lstrip(" ")))
            self.lines[self.pos] = _Line(line.number, inner, rest.strip())
            result.append(self.node(indent))

    def _key(self, text: str, line: _Line) -> str:
        value = self.scalar(text, line.indent, line, continuation=False)
        return value if isinstance(value, str) else str(value).lower() if isinstance(
            value, bool) else "null" if value is None else str(value)

    # scalars
    def _continuation(self, parent_indent: int) -> list[str]:
        """Following lines more indented than the parent (blank ones as ``""``)."""
        pieces: list[str] = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.text and line.indent <= parent_indent:
                break
            if line.text.startswith("#") and not pieces:
                break
            pieces.append(line.text)
            self.pos += 1
        while pieces and not pieces[-1]:
            pieces.pop()
            self.pos -= 1
        return pieces

    def scalar(self, text: str, parent_indent: int, line: _Line, continuation: bool = True
               ) -> Any:
        if text[0] in "\"'":
            quote = text[0]
            pieces = [text]
            while not _closed(" ".join(pieces), quote):
                if not continuation or self.pos >= len(self.lines):
                    raise YamlError("an unterminated quoted string", line.number)
                pieces.append(self.lines[self.pos].text)
                self.pos += 1
            value, rest = _quoted(pieces, quote, line.number)
            if rest.strip() and not rest.strip().startswith("#"):
                raise YamlError("text after a quoted string", line.number)
            return value
        if text[0] in "[{":
            pieces = [text]
            while not _balanced(" ".join(pieces)):
                if not continuation or self.pos >= len(self.lines):
                    raise YamlError("an unterminated flow collection", line.number)
                pieces.append(self.lines[self.pos].text)
                self.pos += 1
            parser = _Flow(" ".join(pieces), line.number)
            value = parser.value()
            if _strip_comment(parser.text[parser.i:]).strip():
                raise YamlError("text after a flow collection", line.number)
            return value
        if text == "?" or text.startswith("? "):
            raise YamlError("explicit '? ' keys are not supported here", line.number)
        if text[0] in "|>&*!%@`":
            raise YamlError(f"YAML feature not supported here ({text[0]!r})", line.number)
        first = _strip_comment(text)
        if continuation:
            more = self._continuation(parent_indent)
            if more:
                return _fold([first, *(_strip_comment(p) for p in more)])
        return _resolve_plain(first)


def _closed(text: str, quote: str) -> bool:
    i = 1
    while i < len(text):
        ch = text[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return True
        i += 1
    return False


_DQ_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n",
               "v": "\x0b", "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ", '"': '"',
               "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def _quoted(pieces: list[str], quote: str, number: int) -> tuple[str, str]:
    """The value of a quoted scalar over ``pieces`` (stripped lines), and the text after it."""
    out: list[str] = []
    first = True
    blank = 0
    escaped_break = False
    for index, piece in enumerate(pieces):
        text = piece[1:] if first else piece
        if not first:
            if not text:
                blank += 1
                continue
            if escaped_break:
                out.append("\n" * blank)
            else:
                out.append("\n" * blank if blank else " ")
            blank = 0
        first = False
        escaped_break = False
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    out.append("'")
                    i += 2
                    continue
                return "".join(out), text[i + 1:]
            if quote == '"' and ch == "\\":
                nxt = text[i + 1:i + 2]
                if not nxt:
                    escaped_break = True
                    i += 1
                    continue
                if nxt in "xuU":
                    size = {"x": 2, "u": 4, "U": 8}[nxt]
                    code = text[i + 2:i + 2 + size]
                    try:
                        out.append(chr(int(code, 16)))
                    except ValueError:
                        raise YamlError("a bad escape in a quoted string", number) from None
                    i += 2 + size
                    continue
                if nxt not in _DQ_ESCAPES:
                    raise YamlError(f"an unknown escape \\{nxt}", number)
                out.append(_DQ_ESCAPES[nxt])
                i += 2
                continue
            out.append(ch)
            i += 1
        if index < len(pieces) - 1 and not escaped_break:
            while out and out[-1] in " \t":
                out.pop()
    raise YamlError("an unterminated quoted string", number)


def _balanced(text: str) -> bool:
    depth = 0
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if quote == '"' and ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return True
        i += 1
    return False


class _Flow:
    """``[a, 'b', {c: 1}]`` and ``{a: 1, b: [x]}`` on one (joined) line."""

    def __init__(self, text: str, number: int) -> None:
        self.text = text
        self.i = 0
        self.number = number

    def _ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i] == " ":
            self.i += 1

    def _expect(self, ch: str) -> None:
        self._ws()
        if self.text[self.i:self.i + 1] != ch:
            raise YamlError(f"expected {ch!r} in a flow collection", self.number)
        self.i += 1

    def value(self) -> Any:
        self._ws()
        ch = self.text[self.i:self.i + 1]
        if ch == "[":
            self.i += 1
            items: list[Any] = []
            self._ws()
            while self.text[self.i:self.i + 1] != "]":
                items.append(self.value())
                self._ws()
                if self.text[self.i:self.i + 1] == ",":
                    self.i += 1
                    self._ws()
                elif self.text[self.i:self.i + 1] != "]":
                    raise YamlError("expected ',' or ']'", self.number)
            self.i += 1
            return items
        if ch == "{":
            self.i += 1
            mapping: dict[str, Any] = {}
            self._ws()
            while self.text[self.i:self.i + 1] != "}":
                key = self.value()
                self._expect(":")
                mapping[str(key)] = self.value()
                self._ws()
                if self.text[self.i:self.i + 1] == ",":
                    self.i += 1
                    self._ws()
                elif self.text[self.i:self.i + 1] != "}":
                    raise YamlError("expected ',' or '}'", self.number)
            self.i += 1
            return mapping
        if ch in ("'", '"'):
            start = self.i
            j = start + 1
            while j < len(self.text):
                if ch == '"' and self.text[j] == "\\":
                    j += 2
                    continue
                if self.text[j] == ch:
                    if ch == "'" and self.text[j + 1:j + 2] == "'":
                        j += 2
                        continue
                    break
                j += 1
            value, _ = _quoted([self.text[start:j + 1]], ch, self.number)
            self.i = j + 1
            return value
        match = re.compile(r"[^,\[\]{}]*?(?=\s*(?:[,\]}]|:\s|:$|$))").match(self.text, self.i)
        if not match or not match.group(0).strip():
            raise YamlError("an empty value in a flow collection", self.number)
        self.i = match.end()
        return _resolve_plain(match.group(0).strip())


def load(text: str) -> Any:
    """The data of a block YAML document in the subset described in the module docstring."""
    loader = _Loader(text)
    line = loader._current()
    if line is None:
        return None
    value = loader.node(-1)
    if loader._current() is not None:
        raise loader._error("unexpected text")
    return value
