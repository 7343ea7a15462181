"""Read-only views over a list of lines, so that reading and writing a notebook of thousands of
cells does not copy the rest of the file at every cell (jupytext slices; we look)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import overload


class Tail(Sequence[str]):
    """``lines[start:]`` without the copy; slicing a tail open-ended gives another tail."""

    __slots__ = ("_lines", "_start")
    _lines: Sequence[str]
    _start: int

    def __init__(self, lines: Sequence[str], start: int = 0) -> None:
        if isinstance(lines, Tail):
            start += lines._start
            lines = lines._lines
        self._lines = lines
        self._start = min(start, len(lines))

    def __len__(self) -> int:
        return len(self._lines) - self._start

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if index.stop is None and step == 1:
                return Tail(self._lines, self._start + start)
            return list(self._lines[self._start + start:self._start + stop:step]) if step == 1 \
                else [self[i] for i in range(start, stop, step)]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._lines[self._start + index]

    def __iter__(self) -> Iterator[str]:
        return islice(self._lines, self._start, None)

    def __bool__(self) -> bool:
        return len(self) > 0


class Reversed(Sequence[str]):
    """The lines of ``backwards`` (a list built last line first) in file order, without the
    copy: what the writer has put after the current cell so far."""

    __slots__ = ("_rev",)

    def __init__(self, backwards: list[str]) -> None:
        self._rev = backwards

    def __len__(self) -> int:
        return len(self._rev)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._rev[len(self._rev) - 1 - index]

    def __iter__(self) -> Iterator[str]:
        return reversed(self._rev)

    def __bool__(self) -> bool:
        return bool(self._rev)
