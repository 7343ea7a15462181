"""v1 and v2 notebooks (and odd v3/v4 shapes) read as nbformat reads them, byte for byte."""

from __future__ import annotations

import json
from typing import Any

import nbformat
import pytest

import nbio

from .test_properties import _nbformat_round_trip, _nbio_round_trip

V1 = {"nbformat": 1, "cells": [
    {"cell_type": "code", "code": "x = 1\nprint(x)", "prompt_number": 3},
    {"cell_type": "text", "text": "some *text*"},
    {"cell_type": "code", "code": ["not", "a string"]},
    {"cell_type": "code", "prompt_number": "7"},
    {"cell_type": "text"},
]}
V2 = {"nbformat": 2, "metadata": {"name": "old"}, "worksheets": [{"cells": [
    {"cell_type": "code", "input": ["a = 1", "b = 2"], "language": "python", "collapsed": True,
     "prompt_number": 1, "outputs": [
         {"output_type": "pyout", "prompt_number": 1, "text": ["1", "2"], "png": "iVBOR=",
          "json": "{\"a\": [1, 2]}"},
         {"output_type": "stream", "stream": "stderr", "text": ["err"]},
         {"output_type": "pyerr", "etype": "E", "evalue": "v", "traceback": ["t1", "t2"]},
         {"output_type": "display_data", "html": ["<b>", "</b>"], "metadata": {"png": {}}},
     ]},
    {"cell_type": "markdown", "source": ["# Title", "text"], "rendered": ["x"]},
    {"cell_type": "heading", "source": "Head\nline", "level": 3},
]}, {"cells": [{"cell_type": "raw", "source": "second sheet"}]}]}
V3_ODD = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"signature": "sha256:x", "name": "n"},
          "worksheets": [{"cells": [
              {"cell_type": "code", "input": ["no newline", "here"], "outputs": [
                  {"output_type": "pyout", "pdf": "JVBER", "text": "x", "metadata": {"text": 1},
                   "prompt_number": 2}], "metadata": {"trusted": True}},
              {"cell_type": "html", "source": ["<p>", "</p>"]},
              {"cell_type": "heading", "source": ["a\n", "b"]},
          ]}]}
V4_ODD = {"nbformat": 4, "nbformat_minor": 4, "metadata": {"orig_nbformat_minor": 1},
          "cells": [{"cell_type": "code", "metadata": {}, "source": [], "execution_count": None,
                     "outputs": {}},
                    {"cell_type": "code", "metadata": {}, "source": "", "execution_count": 1.0,
                     "outputs": [{"output_type": "weird", "text": ["a", "b"]},
                                 {"output_type": "display_data", "metadata": {},
                                  "data": {"image/png": ["iVBOR\n", "AAA"],
                                           "application/json": ["kept", "as list"],
                                           "text/plain": ["a", 1]}}]}]}


@pytest.mark.parametrize("raw", [V1, V2, V3_ODD, V4_ODD, {"nbformat": 1, "cells": []}],
                         ids=["v1", "v2", "v3-odd", "v4-odd", "v1-empty"])
def test_old_and_odd_shapes_like_nbformat(raw: dict[str, Any]) -> None:
    text = json.dumps(raw)
    theirs, their_text = _nbformat_round_trip(text)
    ours, our_text = _nbio_round_trip(text)
    assert our_text == their_text
    assert ours.to_dict() == theirs


def test_v1_unknown_cell_type_is_refused() -> None:
    with pytest.raises(nbio.NotebookError) as info:
        nbio.reads(json.dumps({"nbformat": 1, "cells": [{"cell_type": "weird"}]}))
    assert info.value.where == "/cells/0/cell_type"
    assert "converting v1 to v2" in info.value.reason


def test_v3_bad_json_output_is_refused_like_nbformat() -> None:
    raw = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "", "outputs": [
            {"output_type": "pyout", "json": "{not json", "metadata": {}}]}]}]}
    with pytest.raises(nbio.NotebookError) as info:
        nbio.reads(json.dumps(raw))
    assert info.value.where == "/worksheets/0/cells/0/outputs/0/json"
    with pytest.raises(ValueError):
        nbformat.reads(json.dumps(raw), as_version=4)


def test_writes_what_nbformat_cannot() -> None:
    """nbformat.writes raises AttributeError on a cell without cell_type; nbio keeps it."""
    raw = {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
           "cells": [{"metadata": {}, "source": "a\nb"}]}
    nb = nbio.reads(json.dumps(raw))
    with pytest.raises(AttributeError):
        nbformat.writes(nbformat.reads(json.dumps(raw), as_version=4))
    assert json.loads(nbio.writes(nb))["cells"] == [{"metadata": {}, "source": ["a\n", "b"]}]
    assert nbio.validate(nb)[0].path == "/cells/0"
