"""Syntax highlighting of cell sources with Pygments (through Rich's Syntax)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pygments.lexer import Lexer
from pygments.util import ClassNotFound
from rich.syntax import Syntax

CODE_THEME = "monokai"
"""The Pygments style for code cells (Rich downgrades it to 256 or 16 colours as needed)."""


def language_of(metadata: dict[str, Any]) -> str:
    """The Pygments lexer name for a notebook's code cells.

    In order: ``language_info.pygments_lexer``, ``language_info.codemirror_mode`` (a name or
    ``{"name": ...}``), ``language_info.name``, ``kernelspec.language``; ``"python"`` when
    none is given (the format's default).
    """
    info = metadata.get("language_info")
    candidates: list[str] = []
    if isinstance(info, dict):
        lexer = info.get("pygments_lexer")
        if isinstance(lexer, str):
            candidates.append(lexer)
        mode = info.get("codemirror_mode")
        if isinstance(mode, dict):
            mode = mode.get("name")
        if isinstance(mode, str):
            candidates.append(mode)
        if isinstance(info.get("name"), str):
            candidates.append(info["name"])
    spec = metadata.get("kernelspec")
    if isinstance(spec, dict) and isinstance(spec.get("language"), str):
        candidates.append(spec["language"])
    for name in candidates:
        if get_lexer(name) is not None:
            return name
    return "python"


IPYTHON_LEXERS = {"ipython3": "IPython3Lexer", "ipython": "IPython3Lexer",
                  "ipython2": "IPythonLexer"}
"""Lexer names Pygments only finds through plugins (ipykernel's ``pygments_lexer``)."""


@lru_cache(maxsize=64)
def get_lexer(name: str) -> Lexer | None:
    """The Pygments lexer called ``name`` (cached), or ``None`` when Pygments has none.

    The IPython lexers are imported directly: asking Pygments for ``ipython3`` scans every
    installed package's entry points for plugins, which costs a quarter of a second at start-up.
    Without the ``ipython_pygments_lexers`` package they fall back to the Python lexer.
    """
    from pygments.lexers import get_lexer_by_name

    key = name.lower()
    options = {"stripnl": False, "ensurenl": True}
    if key in IPYTHON_LEXERS:
        try:
            import ipython_pygments_lexers as ipl

            return getattr(ipl, IPYTHON_LEXERS[key])(**options)  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            return get_lexer_by_name("python", **options)
    try:
        return get_lexer_by_name(key, **options)
    except ClassNotFound:
        return None


def highlight(source: str, language: str, *, line_numbers: bool = False) -> Syntax:
    """A Rich :class:`Syntax` for ``source`` in ``language`` (plain text when unknown)."""
    lexer = get_lexer(language) or get_lexer("text")
    return Syntax(
        source,
        lexer if lexer is not None else "text",
        theme=CODE_THEME,
        line_numbers=line_numbers,
        word_wrap=True,
        code_width=None,
    )
