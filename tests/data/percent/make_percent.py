"""Make the hand-made notebooks of the percent-format tests (run from this folder).

Each holds what the jupytext rules are about: markdown, magics of every kind, cell metadata,
raw cells, defs and classes (pep8 blank lines), strings that look like markers.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
INFO = {"name": "python", "version": "3.11.9", "mimetype": "text/x-python",
        "file_extension": ".py", "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
        "codemirror_mode": {"name": "ipython", "version": 3}}


def workshop() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Data workshop\n\nA notebook as people write them: *markdown*,\n"
                          "magics, metadata and functions.\n\n```python\n# %% not a cell\n```"),
        new_code_cell("%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n"
                      "!pip install --quiet numpy\nfiles = !ls\nimport numpy as np"),
        new_code_cell("def mean(xs):\n    \"\"\"The mean.\n\n# %% inside a docstring\n\"\"\"\n"
                      "    return sum(xs) / len(xs)",
                      metadata={"tags": ["helpers"]}),
        new_code_cell("@staticmethod\ndef decorated():\n    pass"),
        new_code_cell("class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n\n"
                      "    def norm(self):\n        return (self.x ** 2 + self.y ** 2) ** 0.5"),
        new_code_cell("p = Point(3, 4)\np.norm()",
                      metadata={"slideshow": {"slide_type": "fragment"}, "scrolled": True,
                                "ExecuteTime": {"end_time": "2026-01-01"}}),
        new_markdown_cell("## Other languages\n\nA `%%bash` cell and a timed one:",
                          metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("%%bash\necho hello from bash\nls | head -3"),
        new_code_cell("%%time\ntotal = sum(range(10**6))"),
        new_code_cell("%%R -w 400 -h 240\nplot(cars)"),
        new_raw_cell("Raw text, exported as is.\n\n    indented"),
        new_raw_cell("\\section{LaTeX}", metadata={"raw_mimetype": "text/latex"}),
        new_code_cell("    indented_first_line = 1"),
        new_code_cell("", metadata={"tags": ["empty"]}),
        new_code_cell("x = 1\n\n\n\ny = 2\n"),
        new_code_cell("help?\nnp.mean??\nresult = %timeit -o sum([1, 2])\ncd /tmp"),
        new_markdown_cell("Unicode: café, 日本語, and a backslash \\alpha"),
        new_code_cell("# just a comment\nprint('done')", metadata={"title": "closing",
                                                                  "jupyter": {"source_hidden": True}}),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": INFO})


def paired() -> nbformat.NotebookNode:
    cells = [
        new_raw_cell("---\ntitle: A paired notebook\nauthor: Someone\n---"),
        new_markdown_cell("Paired with a script, with jupytext options."),
        new_code_cell("import os\nos.getcwd()"),
        new_code_cell("async def fetch():\n    return 1"),
        new_code_cell("value = 2"),
    ]
    meta = {"kernelspec": KERNEL, "language_info": INFO,
            "jupytext": {"formats": "ipynb,py", "notebook_metadata_filter": "language_info"},
            "widgets": {"state": {}}}
    return new_notebook(cells=cells, metadata=meta)


def bash() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Shell session"),
        new_code_cell("echo $SHELL\nfor i in 1 2 3; do\n  echo $i\ndone"),
        new_code_cell("%%bash\necho magic"),
    ]
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Bash", "language": "bash", "name": "bash"},
        "language_info": {"name": "bash", "file_extension": ".sh", "mimetype": "text/x-sh"}})


if __name__ == "__main__":
    for name, make in (("workshop", workshop), ("paired", paired), ("bash_session", bash)):
        nb = make()
        for i, cell in enumerate(nb.cells):
            cell.id = f"cell{i:04d}"
        nbformat.write(nb, f"{name}.ipynb")
