"""A :class:`~textual.widgets.TextArea` highlighted with Pygments, like the command-mode view.

Textual's own TextArea highlighting needs tree-sitter (not a dependency of ours), so
:class:`HighlightedTextArea` lexes the document with the same Pygments lexer and theme as
:func:`tui.render.highlight.highlight` and styles each line in :meth:`get_line`, the hook
TextArea documents for styling its lines (selection, cursor line and cursor are drawn on top).

Spans are kept per line in code-point columns (``(start, end, token type)``). A document of
up to :attr:`HighlightedTextArea.SYNC_LIMIT` characters is re-lexed on every change. A larger
one is patched at once (the lines that changed are lexed on their own, the others keep their
spans) and then re-lexed whole, exactly, after a pause in typing, in slices of a few
milliseconds so keys are still handled while it runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from pygments.lexer import Lexer
from pygments.token import _TokenType
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from textual.timer import Timer
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from tui.render.highlight import CODE_THEME, get_lexer

LineSpans = tuple[Any, ...]
"""The highlighted runs of one line, flat: ``(start, end, token type, start, end, ...)`` with
columns in code points. Flat, so a whole lex makes one object per line, not one per token
(fewer allocations, fewer full garbage collections while typing in a large cell)."""


@lru_cache(maxsize=8)
def pygments_theme(name: str = CODE_THEME) -> TextAreaTheme:
    """A TextArea theme with the background and text colour of the Pygments style ``name``.

    Cursor, cursor line, selection and gutter styles come from Textual's theme of the same name
    when it has one (it has ``monokai``); otherwise Textual derives them from the CSS.
    """
    syntax_theme = Syntax.get_theme(name)
    background = syntax_theme.get_background_style().bgcolor
    text_colour = syntax_theme.get_style_for_token(_text_token()).color
    base = Style(color=text_colour, bgcolor=background)
    builtin = TextAreaTheme.get_builtin_theme(name)
    if builtin is not None:
        return dataclasses.replace(builtin, name=f"pygments-{name}", base_style=base,
                                   syntax_styles={})
    return TextAreaTheme(name=f"pygments-{name}", base_style=base)


def _text_token() -> _TokenType:
    from pygments.token import Text as TextToken

    return TextToken


@lru_cache(maxsize=512)
def token_style(token: _TokenType, theme: str = CODE_THEME) -> Style:
    """The Rich style of a Pygments token type, exactly as Rich's ``Syntax`` draws it."""
    return Syntax.get_theme(theme).get_style_for_token(token)


def _lexer_input(lines: list[str]) -> str:
    text = "\n".join(lines)
    # Pygments drops a leading byte-order mark; keep the columns of the first line.
    return " " + text[1:] if text.startswith("\ufeff") else text


def spans_by_line(tokens: Iterable[tuple[_TokenType, str]], n_lines: int
                  ) -> Iterator[tuple[int, LineSpans]]:
    """Group a token stream into ``(line index, spans)``, one item per finished line.

    Adjacent runs of the same token type are merged.
    """
    row, col = 0, 0
    spans: list[Any] = []
    for token, value in tokens:
        parts = value.split("\n")
        for k, part in enumerate(parts):
            if k:
                yield row, tuple(spans)
                row, col, spans = row + 1, 0, []
                if row >= n_lines:
                    return
            if part:
                end = col + len(part)
                if spans and spans[-1] is token and spans[-2] == col:
                    spans[-2] = end
                else:
                    spans += (col, end, token)
                col = end
    if row < n_lines:
        yield row, tuple(spans)


def lex_lines(lexer: Lexer, lines: list[str]) -> list[LineSpans]:
    """The spans of every line of ``lines`` lexed as one text."""
    out: list[LineSpans] = [() for _ in lines]
    for row, spans in spans_by_line(lexer.get_tokens(_lexer_input(lines)), len(lines)):
        out[row] = spans
    return out


class HighlightedTextArea(TextArea):
    """A TextArea whose text is highlighted by Pygments for ``highlight_language``.

    ``highlight_language`` is a Pygments lexer name (``"python"``, ``"ipython3"``, ``"bash"``
    ...), unknown names are shown as plain text in the code colours, and ``None`` keeps the
    plain TextArea look (for markdown and raw cells).
    """

    SYNC_LIMIT = 2_000
    """Documents up to this many characters are re-lexed whole on every change."""

    DEBOUNCE = 0.15
    """Seconds without changes before a larger document is re-lexed whole."""

    SLICE = 0.008
    """Seconds of lexing between two looks at the event loop during a whole re-lex."""

    REPAINT_EVERY = 0.25
    """Seconds between repaints while a whole re-lex is running."""

    _lexer: Lexer | None = None  # TextArea.__init__ calls _build_highlight_map before ours ends

    def __init__(self, text: str = "", *, highlight_language: str | None = None,
                 **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.exact = asyncio.Event()
        """Set while the spans are those of a whole lex of the current text."""
        self._timer: Timer | None = None
        self._version = 0
        self._line_spans: list[LineSpans] = []
        self._lexed_lines: list[str] = []
        if highlight_language is not None:
            self._lexer = get_lexer(highlight_language) or get_lexer("text")
            theme = pygments_theme()
            self.register_theme(theme)
            self.theme = theme.name
        self._build_highlight_map()

    @property
    def pygments_lexer(self) -> Lexer | None:
        """The Pygments lexer in use (``None`` when not highlighting)."""
        return self._lexer

    def line_highlights(self, row: int) -> list[tuple[int, int, str]]:
        """The highlighted runs of line ``row``: ``(start, end, "Token.Keyword")`` and so on."""
        spans = self._line_spans[row] if row < len(self._line_spans) else ()
        return [(spans[k], spans[k + 1], str(spans[k + 2])) for k in range(0, len(spans), 3)]

    def get_line(self, line_index: int) -> Text:
        """The line styled with its Pygments spans (TextArea draws selection etc. over it)."""
        line = super().get_line(line_index)
        if line_index < len(self._line_spans):
            spans = self._line_spans[line_index]
            stylize = line.stylize
            for k in range(0, len(spans), 3):
                stylize(token_style(spans[k + 2]), spans[k], spans[k + 1])
        return line

    def _build_highlight_map(self) -> None:
        """Called by TextArea after every change of the document: update the spans."""
        super()._build_highlight_map()  # clears the line cache (and tree-sitter's map)
        lexer = self._lexer
        if lexer is None:
            return
        self._version += 1
        lines = self.document.lines
        if sum(map(len, lines)) <= self.SYNC_LIMIT:
            self._line_spans = lex_lines(lexer, lines)
            self._lexed_lines = list(lines)
            self.exact.set()
            return
        self.exact.clear()
        self._patch(lexer, lines)
        self._schedule_relex()

    def _patch(self, lexer: Lexer, lines: list[str]) -> None:
        """Keep the spans of unchanged lines; lex the changed ones on their own if few."""
        old, old_spans = self._lexed_lines, self._line_spans
        n_old, n_new = len(old), len(lines)
        top = 0
        limit = min(n_old, n_new)
        while top < limit and old[top] == lines[top]:
            top += 1
        tail = 0
        while tail < limit - top and old[n_old - 1 - tail] == lines[n_new - 1 - tail]:
            tail += 1
        changed = lines[top:n_new - tail]
        middle = (lex_lines(lexer, changed) if sum(map(len, changed)) <= self.SYNC_LIMIT
                  else [() for _ in changed])
        self._line_spans = old_spans[:top] + middle + old_spans[n_old - tail:]
        self._lexed_lines = list(lines)

    def _schedule_relex(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.is_mounted:
            return  # on_mount starts it
        if not self._lexed_lines or not any(self._line_spans):
            self._start_relex()  # nothing to show yet: no reason to wait
        else:
            self._timer = self.set_timer(self.DEBOUNCE, self._start_relex)

    def on_mount(self) -> None:
        """Start the whole lex of a large document (there was no timer before mounting)."""
        if self._lexer is not None and not self.exact.is_set():
            self._start_relex()

    def _start_relex(self) -> None:
        self._timer = None
        self.run_worker(self._relex(self._version), group="pygments", exclusive=True)

    async def _relex(self, version: int) -> None:
        """Lex the whole document in slices, installing the finished lines after each.

        The screen is repainted after the first slice (the top of a cell that had no spans
        yet), every :attr:`REPAINT_EVERY` seconds and at the end, not after every slice: a
        repaint costs more than a slice.
        """
        lexer = self._lexer
        assert lexer is not None
        lines = list(self.document.lines)
        rows = spans_by_line(lexer.get_tokens(_lexer_input(lines)), len(lines))
        done = False
        painted = 0.0
        while not done:
            if version != self._version:
                return  # the text changed since: a newer run is scheduled
            spans = self._line_spans  # this version's own list (made by _patch)
            start = time.perf_counter()
            for row, line_spans in rows:
                spans[row] = line_spans
                if time.perf_counter() - start > self.SLICE:
                    break
            else:
                done = True
            self._line_cache.clear()
            if done or start - painted > self.REPAINT_EVERY:
                self.refresh()
                painted = start
            if not done:
                await asyncio.sleep(0)
        self.exact.set()
