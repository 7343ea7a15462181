"""Malformed complete/inspect replies (what a buggy kernel may send) give safe records.

A stand-in manager answers with crafted replies: real kernels cannot be made to send these.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from nbio.model import Notebook
from tui.session import KernelSession, KernelState


def session_answering(reply: dict[str, Any]) -> KernelSession:
    async def answer(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return reply

    session = KernelSession(Notebook.new())
    session.manager = SimpleNamespace(  # type: ignore[assignment]
        client=SimpleNamespace(complete=answer, inspect=answer))
    session.state = KernelState.IDLE
    return session


async def test_malformed_completion_metadata_gives_empty_types_and_signatures() -> None:
    session = session_answering({
        "status": "ok", "matches": ["alpha", "beta", "gamma"], "cursor_start": "x",
        "metadata": {"_jupyter_types_experimental": [
            {"type": 3, "signature": None}, "not a dict", {"type": "function",
                                                          "signature": "(a)"}]},
    })
    completion = await session.complete("al", 2)
    assert completion is not None
    assert completion.types == ["", "", "function"]
    assert completion.signatures == ["", "", "(a)"]
    assert (completion.cursor_start, completion.cursor_end) == (2, 2)


@pytest.mark.parametrize("extra", [None, "junk", [{"type": "function"}]])
async def test_completion_metadata_of_the_wrong_shape_or_length_is_ignored(extra: Any) -> None:
    session = session_answering({"status": "ok", "matches": ["a", "b"],
                                 "metadata": {"_jupyter_types_experimental": extra}})
    completion = await session.complete("", 0)
    assert completion is not None and completion.types == [] and completion.signatures == []


async def test_inspect_with_non_dict_data_is_not_found() -> None:
    session = session_answering({"status": "ok", "found": True, "data": ["text"]})
    assert await session.inspect("x", 1) is None
