"""Random notebooks made of the lines jupytext's rules are about: our percent text is
jupytext's, and reading it gives jupytext's cells."""

from __future__ import annotations

import json
import warnings

import jupytext
import nbformat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbio.text import percent

LINES = ["x = 1", "", "    y = 2", "def f():", "    return 1", "class A:", "    pass",
         "@decorator", "async def g():", "# a comment", "# %% not a marker?", "%matplotlib inline",
         "%%time", "!ls -l", "files = !ls", "cd /tmp", "help?", "np.mean??", "'''", '"""',
         "s = '''", "print('# %%')", "# + light marker", "# # + escaped", "```", "```python",
         "# ```", "\\alpha", "%%bash", "%%R -w 3", "echo hi", ")", "# In[1]:", "# %% [markdown]",
         "   ", "é ü 日本", "\t tab", "x = 1  # %% trailing"]
sources = st.lists(st.sampled_from(LINES), max_size=6).map("\n".join) | st.sampled_from(
    ["", "\n", "x\n", "%%bash\necho 1\n"])
metadata = st.fixed_dictionaries({}, optional={
    "tags": st.lists(st.sampled_from(["a", "b c", "active-py", "remove_input"]), max_size=2,
                     unique=True),
    "slideshow": st.fixed_dictionaries({"slide_type": st.sampled_from(["slide", "fragment"])}),
    "scrolled": st.booleans(),
    "title": st.sampled_from(["Intro", "A title"]),
    "key": st.one_of(st.integers(-3, 3), st.text("ab\"'", max_size=3), st.none()),
    "raw_mimetype": st.sampled_from(["text/latex", "text/x-python"]),
    "active": st.sampled_from(["py", "ipynb", "py,ipynb"]),
    "run_control": st.fixed_dictionaries({"frozen": st.booleans()}),
})
cells = st.tuples(st.sampled_from(["code", "code", "markdown", "raw"]), sources, metadata)
notebooks = st.lists(cells, max_size=6)


def _notebook(spec) -> nbformat.NotebookNode:
    made = []
    for i, (kind, source, meta) in enumerate(spec):
        new = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
               "raw": nbformat.v4.new_raw_cell}[kind]
        cell = new(source, metadata=dict(meta))
        cell.id = f"c{i}"
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notebooks)
def test_random_notebooks_write_and_read_as_jupytext(spec) -> None:
    nb = _notebook(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = jupytext.writes(nb, "py:percent")
        expected = jupytext.reads(theirs, "py:percent")
    ours = percent.writes(json.loads(json.dumps(nb)), ".py")
    assert ours == "\n".join(line for line in theirs.split("\n")
                             if "jupytext_version" not in line)
    back = percent.reads(theirs, ".py")
    assert [(c["cell_type"], c["source"], c["metadata"]) for c in back["cells"]] == [
        (c.cell_type, c.source, json.loads(json.dumps(c.metadata))) for c in expected.cells]


FRAGMENTS = ["# %%", "# %% [markdown]", "# %% [raw]", "# %% tags=", "[", "]", "{", "}", '"',
             "'", "'''", "=", " ", "\n", "\n\n", "# ---", "# jupyter:", "#   kernelspec:",
             "#     name: x", "#   a: [1", "%%bash", "%time", "def f():", "    x", "#!", "é",
             "\t", "\r", "\x0c", "\u2028", "\\", ": ", "- ", "?", "&a", "# -*- coding: x -*-"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_any_text_reads_or_is_refused_with_a_notebook_error(text: str) -> None:
    import nbio
    from nbio.text import reads_percent

    try:
        nb = reads_percent(text, ".py")
    except nbio.NotebookError:
        return
    from nbio.text import writes_percent

    writes_percent(nb, ".py")  # and whatever was read can be written
