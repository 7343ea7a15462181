"""jupytext markdown (``.md``) against jupytext 1.19, both ways, as the percent format is."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import jupytext
import nbformat
import pytest
from hypothesis import HealthCheck, given, settings

from nbio.text import markdown, reads_percent, writes_percent
from tests.text.conftest import MARKDOWN, NOTEBOOKS
from tests.text.test_percent_jupytext import _cells, _filters_as_sets, _plain, _without_version
from tests.text.test_percent_properties import _notebook, notebooks


def _jupytext_md(path: Path) -> tuple[str, nbformat.NotebookNode]:
    nb = nbformat.read(path, as_version=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jupytext.writes(nb, "md"), nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_our_markdown_is_jupytexts_but_the_version_line(path: Path) -> None:
    theirs, nb = _jupytext_md(path)
    assert markdown.writes(_plain(nb), ".md") == _without_version(theirs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_reading_jupytexts_markdown_gives_jupytexts_cells(path: Path) -> None:
    theirs, _ = _jupytext_md(path)
    expected = jupytext.reads(theirs, "md")
    ours = reads_percent(theirs, ".md")
    assert _cells(c.data for c in ours.cells) == _cells(expected.cells)
    assert _filters_as_sets(ours.metadata) == _filters_as_sets(expected.metadata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = jupytext.writes(expected, "md")
    assert writes_percent(ours, ".md") == again + ("" if again.endswith("\n") else "\n")


@pytest.mark.parametrize("path", MARKDOWN, ids=[p.name for p in MARKDOWN])
def test_hand_written_markdown_reads_as_jupytext_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = jupytext.reads(text, "md")
    ours = reads_percent(text, ".md")
    assert _cells(c.data for c in ours.cells) == _cells(expected.cells)
    assert _filters_as_sets(ours.metadata) == _filters_as_sets(expected.metadata)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notebooks)
def test_random_notebooks_as_markdown(spec) -> None:
    nb = _notebook(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = jupytext.writes(nb, "md")
        expected = jupytext.reads(theirs, "md")
    assert markdown.writes(json.loads(json.dumps(nb)), ".md") == _without_version(theirs)
    back = markdown.reads(theirs, ".md")
    assert _cells(back["cells"]) == _cells(expected.cells)
