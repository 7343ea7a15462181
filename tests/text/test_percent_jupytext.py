"""py:percent against jupytext 1.19, both ways, on real notebooks.

Writing: our text is jupytext's (``jupytext.writes(nb, "py:percent")``) but for the header's
``jupytext_version`` line, which we write only when the notebook was read with one (so a
jupytext file opened and saved by jtui is left byte for byte as it was). Reading: jupytext's
text (and hand-written scripts) give the cells and metadata ``jupytext.reads`` gives.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import jupytext
import nbformat
import pytest

import nbio
from nbio.text import percent, reads_percent, suffix_for_language, writes_percent
from tests.text.conftest import NOTEBOOKS, SCRIPTS

IDS = [p.name for p in NOTEBOOKS]


def _plain(value):
    return json.loads(json.dumps(value))


def _suffix(nb) -> str:
    language = nb.metadata.get("kernelspec", {}).get("language")
    return suffix_for_language(language) or ".py"


def _without_version(text: str) -> str:
    return "\n".join(line for line in text.split("\n")
                     if not line.lstrip("#/ ").startswith("jupytext_version:"))


def _filters_as_sets(metadata: dict) -> dict:
    """jupytext lists the cell metadata keys of its filter in set order (hash-seeded)."""
    metadata = _plain(metadata)
    jt = metadata.get("jupytext", {})
    if isinstance(jt.get("cell_metadata_filter"), str):
        jt["cell_metadata_filter"] = sorted(jt["cell_metadata_filter"].split(","))
    return metadata


def _jupytext_text(path: Path) -> tuple[str, str, nbformat.NotebookNode]:
    nb = nbformat.read(path, as_version=4)
    suffix = _suffix(nb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jupytext.writes(nb, suffix[1:] + ":percent"), suffix, nb


def _cells(cells) -> list[tuple[str, str, dict]]:
    return [(c["cell_type"], c["source"], _plain(c["metadata"])) for c in cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_our_text_is_jupytexts_but_the_version_line(path: Path) -> None:
    theirs, suffix, nb = _jupytext_text(path)
    assert "jupytext_version:" in theirs
    ours = percent.writes(_plain(nb), suffix)
    assert ours == _without_version(theirs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_reading_jupytexts_text_gives_jupytexts_cells(path: Path) -> None:
    theirs, suffix, _ = _jupytext_text(path)
    expected = jupytext.reads(theirs, suffix[1:] + ":percent")
    ours = reads_percent(theirs, suffix)
    assert [c.cell_type for c in ours.cells] == [c.cell_type for c in expected.cells]
    assert [c.source for c in ours.cells] == [c.source for c in expected.cells]
    assert _cells(c.data for c in ours.cells) == _cells(expected.cells)
    assert _filters_as_sets(ours.metadata) == _filters_as_sets(expected.metadata)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_a_jupytext_file_read_and_written_back_is_what_jupytext_writes_back(path: Path) -> None:
    """Byte for byte, version line included: for nearly every file that is the file itself
    (a ``%%bash`` first line in a bash notebook is the exception, in jupytext too)."""
    theirs, suffix, _ = _jupytext_text(path)
    fmt = suffix[1:] + ":percent"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = jupytext.writes(jupytext.reads(theirs, fmt), fmt)
    assert writes_percent(reads_percent(theirs, suffix), suffix) == again + (
        "" if again.endswith("\n") else "\n")


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_hand_written_scripts_read_as_jupytext_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = jupytext.reads(text, "py:percent")
    ours = reads_percent(text, ".py")
    assert _cells(c.data for c in ours.cells) == _cells(expected.cells)
    assert _filters_as_sets(ours.metadata) == _filters_as_sets(expected.metadata)


def test_jupytext_reads_what_we_write_to_the_same_cells(tmp_path: Path) -> None:
    nb = nbio.read(Path(__file__).parents[1] / "data" / "percent" / "workshop.ipynb")
    target = tmp_path / "workshop.py"
    nbio.write(nb, target)
    back = jupytext.read(target)
    # (a trailing newline is not kept by the percent format, in jupytext either)
    assert [(c.cell_type, c.source) for c in back.cells] == [
        (c.cell_type, c.source.removesuffix("\n")) for c in nb.cells]
    tags = [c.metadata.get("tags") for c in back.cells]
    assert tags[2] == ["helpers"] and tags[13] == ["empty"]


SNIPPETS = {
    "magics": "# %%\n%matplotlib inline\n!ls -l\nx = %time 1\n",
    "cell_magic": "# %%\n%%bash\necho hi\n",
    "r_magic_args": "# %%\n%%R -w 400\nplot(x)\n",
    "defs": "# %%\nimport os\n# %%\ndef f():\n    pass\n# %%\nf()\n# %%\nclass A:\n    x = 1\n",
    "comment_then_def": ("# %%\nx = 1\n# %% [markdown]\n# text\n# %%\n# note\n"
                         "def g():\n    return 1\n"),
    "blank_lines": "# %%\na = 1\n\n\n\n# %%\nb = 2\n",
    "metadata": "# %% Title tags=[\"a\", \"b\"] key=\"v\" flag\nx\n",
    "json_metadata": "# %% {\"tags\": [\"t\"], \"n\": 1}\nx\n",
    "bad_metadata": "# %% key=[unclosed\nx\n",
    "raw_active": "# %% [raw] active=\"py\"\nprint(1)\n",
    "md_triple_quotes": "# %% [markdown]\n\"\"\"\nA *quoted* markdown cell\n\"\"\"\n",
    "fence_with_marker": "# %% [markdown]\n# ```\n# # %% inside\n# ```\n# %%\n1\n",
    "string_with_marker": "# %%\ns = '''\n# %% not a cell\n'''\n",
    "nbconvert_prompts": "# In[1]:\nx = 1\n# In[ ]:\ny = 2\n",
    "no_marker": "import sys\n\nprint(sys.argv)\n",
    "header": "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# ---\n# title: x\n# jupyter:\n"
              "#   kernelspec:\n#     name: python3\n#     display_name: Py\n# ---\n\n# %%\n1\n",
    "whitespace_line": "# %%\nx = 1\n   \n# %%\ny\n",
    "spyder_depth": "# %%% Sub cell\nx\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippets_read_as_jupytext_reads_them_and_write_back_the_same(name: str) -> None:
    text = SNIPPETS[name]
    expected = jupytext.reads(text, "py:percent")
    ours = reads_percent(text, ".py")
    assert _cells(c.data for c in ours.cells) == _cells(expected.cells)
    assert _filters_as_sets(ours.metadata) == _filters_as_sets(expected.metadata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = jupytext.writes(expected, "py:percent")
    assert writes_percent(ours, ".py") == _without_version(again) + (
        "" if again.endswith("\n") else "\n")


@pytest.mark.parametrize("suffix", [".R", ".jl", ".sh"])
def test_other_languages_use_their_comment_marker(suffix: str) -> None:
    language = {".R": "R", ".jl": "julia", ".sh": "bash"}[suffix]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Text"),
                                         nbformat.v4.new_code_cell("x <- 1")],
                                  metadata={"kernelspec": {"name": language, "language": language,
                                                           "display_name": language}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = jupytext.writes(nb, suffix[1:] + ":percent")
    ours = percent.writes(_plain(nb), suffix)
    assert ours == _without_version(theirs)
    back = reads_percent(ours, suffix)
    assert [c.source for c in back.cells] == ["Text", "x <- 1"]
