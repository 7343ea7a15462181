"""Hypothesis strategies for notebooks nbformat would meet in the wild, and some it should not.

Text mixes unicode (astral included), control characters, CR, CRLF and every separator
``str.splitlines`` knows; numbers include floats and integers beyond 64 bits; metadata nests.
"""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import strategies as st

SEPARATORS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
              "\u2029"]

_chars = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from([c for c in SEPARATORS if len(c) == 1]
                    + ["\x1b", "\x00", "\x7f", "\t", '"', "\\", "/", "😀", "\ufeff"]),
)
# JSON-looking pieces: a line ending in '",' once broke the writer's split of line lists
_JSONISH = ['",', ",", '","', '\\",', "[", "]", '"a",',
            # a literal backslash-n (the writers break encoded text at "\n"), the control
            # character fastwrite uses as a re-indentation mark, an indented quote
            "\\n", "\\\\n", "\x01", '\n  "', "\\u2028"]
text = st.lists(st.one_of(st.text(_chars, max_size=8), st.sampled_from(SEPARATORS),
                          st.sampled_from(_JSONISH)),
                max_size=6).map("".join)
key_text = st.text(_chars, min_size=0, max_size=6)
floats = st.floats(allow_nan=False, allow_infinity=True, width=64)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), floats, text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(key_text, inner, max_size=3)),
    max_leaves=12,
)


def _deep(depth: int) -> st.SearchStrategy[Any]:
    value: st.SearchStrategy[Any] = json_values
    for _ in range(depth):
        value = st.dictionaries(key_text, value, min_size=1, max_size=2)
    return value


metadata = st.one_of(st.dictionaries(key_text, json_values, max_size=3), _deep(12))


def multiline(s: st.SearchStrategy[str] = text) -> st.SearchStrategy[Any]:
    """A multiline value as stored: one string or a list of lines (as split, or arbitrary)."""
    return st.one_of(
        s,
        s.map(lambda v: v.splitlines(True)),
        st.lists(s, max_size=3),
    )


MIMES = ["text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/svg+xml",
         "application/javascript", "application/pdf", "image/jpeg", "text/x-odd"]
JSON_MIMES = ["application/json", "application/vnd.jupyter.widget-view+json",
              "application/vnd.plotly.v1+json"]


@st.composite
def bundle(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mime in draw(st.lists(st.sampled_from(MIMES), max_size=3, unique=True)):
        out[mime] = draw(multiline())
    for mime in draw(st.lists(st.sampled_from(JSON_MIMES), max_size=1)):
        out[mime] = draw(json_values)
    return out


counts = st.one_of(st.none(), st.integers(0, 2**40))


@st.composite
def output(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["stream", "display_data", "execute_result", "error"]))
    if kind == "stream":
        return {"output_type": "stream", "name": draw(st.sampled_from(["stdout", "stderr"])),
                "text": draw(multiline())}
    if kind == "error":
        return {"output_type": "error", "ename": draw(text), "evalue": draw(text),
                "traceback": draw(st.lists(text, max_size=3))}
    out = {"output_type": kind, "data": draw(bundle()), "metadata": draw(metadata)}
    if kind == "execute_result":
        out["execution_count"] = draw(counts)
    return out


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-_", min_size=1, max_size=12)


@st.composite
def cell(draw: st.DrawFn, with_id: bool) -> dict[str, Any]:
    kind = draw(st.sampled_from(["code", "markdown", "raw"]))
    meta = draw(metadata)
    if draw(st.booleans()):
        meta["tags"] = draw(st.lists(st.text("abc", min_size=1, max_size=3), unique=True,
                                     max_size=3))
    if draw(st.booleans()):
        meta["trusted"] = draw(st.booleans())
    c: dict[str, Any] = {"cell_type": kind, "metadata": meta, "source": draw(multiline())}
    if with_id:
        c["id"] = draw(ids)
    if kind == "code":
        c["execution_count"] = draw(counts)
        c["outputs"] = draw(st.lists(output(), max_size=3))
    elif draw(st.booleans()):
        c["attachments"] = {draw(text): draw(bundle())}
    return c


@st.composite
def notebook_v4(draw: st.DrawFn) -> dict[str, Any]:
    """A v4 notebook as stored, minors 0 to 5 or a future one; mostly valid."""
    minor = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 5, 5, 7]))
    with_id = minor >= 5 if draw(st.integers(0, 9)) else not minor >= 5
    nb_meta = draw(metadata)
    if draw(st.booleans()):
        nb_meta["kernelspec"] = {"name": "python3", "display_name": draw(text)}
    if draw(st.booleans()):
        nb_meta["language_info"] = {"name": "python", "version": draw(text)}
    for key in ("orig_nbformat", "signature"):
        if draw(st.integers(0, 4)) == 0:
            nb_meta[key] = 1
    cells = draw(st.lists(cell(with_id), max_size=4))
    if with_id and len(cells) > 1 and draw(st.integers(0, 5)) == 0:
        cells[-1]["id"] = cells[0]["id"]  # a duplicate id, repaired on read
    if with_id and cells and draw(st.integers(0, 5)) == 0:
        del cells[0]["id"]  # a missing id, added on read
    return {"nbformat": 4, "nbformat_minor": minor, "metadata": nb_meta, "cells": cells}


def mutate(nb: dict[str, Any], seed: int, value: Any) -> dict[str, Any]:
    """Replace or delete one randomly chosen node of ``nb`` (to make invalid notebooks)."""
    rng = random.Random(seed)
    spots: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k in node:
                spots.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for i in range(len(node)):
                spots.append((node, i))
                walk(node[i])

    walk(nb)
    parent, key = rng.choice(spots)
    if isinstance(parent, dict) and rng.random() < 0.4:
        del parent[key]
    else:
        parent[key] = value
    return nb


@st.composite
def notebook_v3(draw: st.DrawFn) -> dict[str, Any]:
    """A v3 notebook: worksheets, headings, pyout/pyerr/stream/display_data with short keys."""
    cells = []
    for kind in draw(st.lists(st.sampled_from(["code", "markdown", "heading", "raw"]),
                              max_size=4)):
        c: dict[str, Any] = {"cell_type": kind, "metadata": draw(metadata)}
        if kind == "code":
            c["input"] = draw(multiline())
            c["language"] = "python"
            c["collapsed"] = draw(st.booleans())
            if draw(st.booleans()):
                c["prompt_number"] = draw(st.integers(0, 99))
            outs = []
            for okind in draw(st.lists(st.sampled_from(["pyout", "stream", "pyerr",
                                                        "display_data"]), max_size=3)):
                o: dict[str, Any] = {"output_type": okind}
                if okind == "stream":
                    o["stream"] = "stdout"
                    o["text"] = draw(multiline())
                elif okind == "pyerr":
                    o.update(ename="E", evalue=draw(text), traceback=draw(st.lists(text,
                                                                                 max_size=2)))
                else:
                    for short in draw(st.lists(st.sampled_from(["text", "html", "png", "latex",
                                                                "javascript", "svg"]),
                                               max_size=3, unique=True)):
                        o[short] = draw(multiline())
                    if draw(st.booleans()):
                        o["json"] = json.dumps(draw(json_values))
                    o["metadata"] = {}
                    if okind == "pyout":
                        o["prompt_number"] = draw(st.integers(0, 99))
                outs.append(o)
            c["outputs"] = outs
        else:
            c["source"] = draw(multiline())
            if kind == "heading":
                c["level"] = draw(st.integers(1, 6))
        cells.append(c)
    return {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": draw(text)},
            "worksheets": [{"cells": cells, "metadata": {}}]}
