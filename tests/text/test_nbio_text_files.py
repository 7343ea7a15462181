"""nbio.read / nbio.write on percent scripts: the same guarantees as for .ipynb files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import nbio
from nbio.text import PERCENT_SUFFIXES, is_percent_path
from tests.text.conftest import PERCENT

SCRIPT = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Title

# %% tags=["setup"]
# %matplotlib inline
import os
"""


def test_the_suffixes_are_the_line_comment_languages() -> None:
    assert {".py", ".R", ".r", ".jl", ".sh"} <= PERCENT_SUFFIXES
    assert ".ipynb" not in PERCENT_SUFFIXES and ".ml" not in PERCENT_SUFFIXES
    assert is_percent_path("a/b.py") and not is_percent_path("b.ipynb")


def test_read_gives_a_notebook_with_ids_a_path_and_a_stamp(tmp_path: Path) -> None:
    path = tmp_path / "analysis.py"
    path.write_text(SCRIPT, encoding="utf-8")
    nb = nbio.read(path)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code"]
    assert nb.cells[1].source == "%matplotlib inline\nimport os"
    assert nb.cells[1].metadata == {"tags": ["setup"]}
    assert all(c.id for c in nb.cells) and len({c.id for c in nb.cells}) == 2
    assert nb.kernel_name == "python3" and nb.path == path
    assert nb.disk_stamp is not None and nb.disk_stamp.size == len(SCRIPT.encode())
    assert nbio.validate(nb) == []


def test_write_back_is_byte_identical_and_edits_land(tmp_path: Path) -> None:
    path = tmp_path / "analysis.py"
    path.write_text(SCRIPT, encoding="utf-8")
    nb = nbio.read(path)
    nbio.write(nb, path)
    first = path.read_text(encoding="utf-8")  # the header gains jupytext's format lines
    assert first == SCRIPT.replace("# jupyter:\n", "# jupyter:\n#   jupytext:\n"
                                   "#     text_representation:\n#       extension: .py\n"
                                   "#       format_name: percent\n"
                                   "#       format_version: '1.3'\n")
    nb = nbio.read(path)
    nbio.write(nb, path)
    assert path.read_text(encoding="utf-8") == first
    nb.cells[0].source = "# New title"
    nb.cells[1].outputs = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    nbio.write(nb, path)
    text = path.read_text(encoding="utf-8")
    assert "# # New title" in text and "x\n" not in text.split("import os")[1]


def test_a_change_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "analysis.py"
    path.write_text(SCRIPT, encoding="utf-8")
    nb = nbio.read(path)
    path.write_text(SCRIPT + "\n# %%\nmore = 1\n", encoding="utf-8")
    with pytest.raises(nbio.FileChangedError):
        nbio.write(nb, path)
    assert "more = 1" in path.read_text(encoding="utf-8")


def test_an_ipynb_saved_as_a_script_and_back(tmp_path: Path) -> None:
    nb = nbio.read(PERCENT / "workshop.ipynb")
    nbio.write(nb, tmp_path / "w.py")
    back = nbio.read(tmp_path / "w.py")
    assert [c.cell_type for c in back.cells] == [c.cell_type for c in nb.cells]
    assert [c.source for c in back.cells] == [c.source.removesuffix("\n") for c in nb.cells]
    nbio.write(back, tmp_path / "w.ipynb")
    assert nbio.validate(nbio.read(tmp_path / "w.ipynb")) == []


@pytest.mark.parametrize(("text", "reason"), [
    ("# ---\n# jupyter:\n#   kernelspec: [unclosed\n# ---\n", "line 3"),
    ("# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:light\n# ---\n1\n", "light"),
    ("# -*- coding: latin-1 -*-\n1\n", "utf-8"),
])
def test_unreadable_scripts_say_why(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "bad.py"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(nbio.NotebookError) as info:
        nbio.read(path)
    assert reason in str(info.value) and str(path) in str(info.value)


def test_not_utf8_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"# %%\nx = '\xe9'\n")
    with pytest.raises(nbio.NotebookError, match="not UTF-8"):
        nbio.read(path)
    with pytest.raises(nbio.NotebookError, match="no such file"):
        nbio.read(tmp_path / "missing.py")
    os.mkdir(tmp_path / "dir.py")
    with pytest.raises(nbio.NotebookError, match="directory"):
        nbio.read(tmp_path / "dir.py")


def test_a_plain_script_is_one_code_cell(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("import sys\n\n\ndef main():\n    print(sys.argv)\n", encoding="utf-8")
    nb = nbio.read(path)
    assert [c.cell_type for c in nb.cells] == ["code"]
    assert nb.cells[0].source.startswith("import sys")


def test_a_markdown_notebook_reads_and_writes_back(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    text = ("# Notes\n\nSome text.\n\n```python\nx = 1\n```\n\n"
            "<!-- #raw -->\nraw\n<!-- #endraw -->\n")
    path.write_text(text, encoding="utf-8")
    nb = nbio.read(path)
    assert [(c.cell_type, c.source) for c in nb.cells] == [
        ("markdown", "# Notes\n\nSome text."), ("code", "x = 1"), ("raw", "raw")]
    nbio.write(nb, path)
    assert path.read_text(encoding="utf-8") == text
