"""How many blank lines jupytext puts between two cells of a script (pep8: two around a
``def`` or ``class``); a port of jupytext 1.19's ``pep8.py`` (MIT licensed)."""

from __future__ import annotations

from collections.abc import Sequence

from nbio.text.languages import StringParser

_DEF = ("def ", "async ", "class ")


def next_instruction_is_function_or_class(lines: Sequence[str]) -> bool:
    """Whether the first line of code (past comments, decorators) is a def or a class."""
    parser = StringParser("python")
    for i, line in enumerate(lines):
        if parser.is_quoted():
            parser.read_line(line)
            continue
        parser.read_line(line)
        if not line.strip():
            if i > 0 and not lines[i - 1].strip():
                return False
            continue
        if line.startswith(_DEF):
            return True
        if line.startswith(("#", "@", " ", ")")):
            continue
        return False
    return False


def cell_ends_with_function_or_class(lines: Sequence[str]) -> bool:
    """Whether the last unindented line of code starts a def or a class."""
    kept: list[str] = []
    parser = StringParser("python")
    for line in lines:
        if not parser.is_quoted():
            kept.append(line)
        parser.read_line(line)
    reversed_lines = kept[::-1]
    for i, line in enumerate(reversed_lines):
        if not line.strip():
            if i > 0 and not reversed_lines[i - 1].strip():
                return False
            continue
        if line.startswith(("#", " ", ")")):
            continue
        return line.startswith(_DEF)
    return False


def cell_ends_with_code(lines: Sequence[str]) -> bool:
    """Whether the last line is code (not blank, not a comment)."""
    return bool(lines) and bool(lines[-1].strip()) and not lines[-1].startswith("#")


def cell_has_code(lines: Sequence[str]) -> bool:
    """Whether there is code before the first two blank lines."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if not stripped:
            if i > 0 and not lines[i - 1].strip():
                return False
            continue
        return True
    return False


def lines_between_cells(prev_lines: Sequence[str], next_lines: Sequence[str], ext: str) -> int:
    """Blank lines between two cells' texts (jupytext's ``pep8_lines_between_cells``)."""
    if not next_lines:
        return 1
    if not prev_lines:
        return 0
    if ext != ".py":
        return 1
    if cell_ends_with_function_or_class(prev_lines):
        return 2 if cell_has_code(next_lines) else 1
    if cell_ends_with_code(prev_lines) and next_instruction_is_function_or_class(next_lines):
        return 2
    return 1
