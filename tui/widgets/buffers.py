"""Binary buffers of widget state: put them where ``buffer_paths`` say, take them out to send.

A widget message carries its binary values (an Image's bytes, a numpy array) as trailing frames;
``buffer_paths`` such as ``[["value"], ["data", "x", 0]]`` say where each goes in ``state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Binary = (bytes, bytearray, memoryview)


def put_buffers(state: dict[str, Any], buffer_paths: object,
                buffers: Sequence[bytes]) -> list[str]:
    """Put ``buffers[i]`` at ``buffer_paths[i]`` inside ``state`` (in place).

    Returns the problems found (a path that is not a list, points nowhere, or has no buffer);
    each bad path is skipped, the others are applied.
    """
    problems: list[str] = []
    if not isinstance(buffer_paths, list):
        if buffer_paths not in (None, {}):
            problems.append(f"buffer_paths is not a list: {buffer_paths!r:.80}")
        return problems
    for i, path in enumerate(buffer_paths):
        if i >= len(buffers):
            problems.append(f"buffer path {path!r:.80} has no buffer")
            continue
        if not isinstance(path, list) or not path:
            problems.append(f"buffer path {path!r:.80} is not a non-empty list")
            continue
        if not _put(state, path, bytes(buffers[i])):
            problems.append(f"buffer path {path!r:.80} points nowhere in the state")
    return problems


def _put(obj: Any, path: list[Any], value: bytes) -> bool:
    for key in path[:-1]:
        in_dict = isinstance(obj, dict) and isinstance(key, str) and key in obj
        if not in_dict and not (isinstance(obj, list) and type(key) is int
                                and 0 <= key < len(obj)):
            return False
        obj = obj[key]
    last = path[-1]
    if isinstance(obj, dict) and isinstance(last, str):
        obj[last] = value
        return True
    if isinstance(obj, list) and type(last) is int and 0 <= last < len(obj):
        obj[last] = value
        return True
    return False


def remove_buffers(state: dict[str, Any]) -> tuple[dict[str, Any], list[list[Any]],
                                                  list[bytes]]:
    """A copy of ``state`` without its binary values, their paths, and the values (as
    ipywidgets' ``_remove_buffers``: a binary value in a dict is dropped from it, in a list
    replaced by None)."""
    paths: list[list[Any]] = []
    buffers: list[bytes] = []

    def walk(obj: Any, path: list[Any]) -> Any:
        if isinstance(obj, dict):
            out: dict[str, Any] = {}
            for key, value in obj.items():
                if isinstance(value, Binary):
                    paths.append([*path, key])
                    buffers.append(bytes(value))
                else:
                    out[key] = walk(value, [*path, key])
            return out
        if isinstance(obj, (list, tuple)):
            items: list[Any] = []
            for i, value in enumerate(obj):
                if isinstance(value, Binary):
                    paths.append([*path, i])
                    buffers.append(bytes(value))
                    items.append(None)
                else:
                    items.append(walk(value, [*path, i]))
            return items
        return obj

    return walk(state, []), paths, buffers
