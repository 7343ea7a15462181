"""``jtui convert``: every format on real notebooks, through the real CLI entry point, and the
errors ``jtui validate`` style (a clear line on stderr, a non-zero status, no traceback)."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

import nbio
from tests.text.conftest import DATA, PERCENT
from tui.cli import main

SHOWCASE = DATA / "rich" / "notebooks" / "showcase.ipynb"
NBCONVERT = DATA / "rich" / "notebooks" / "nbconvert"
SCRIPT_SAME_AS_NBCONVERT = [
    SHOWCASE, NBCONVERT / "notebook1.ipynb", NBCONVERT / "svg.ipynb",
    PERCENT / "workshop.ipynb", PERCENT / "bash_session.ipynb",
    PERCENT / "jupytext" / "Notebook with metadata and long cells.ipynb",
    PERCENT / "jupytext" / "The flavors of raw cells.ipynb",
    PERCENT / "jupytext" / "ir_notebook.ipynb",
]


def convert(*args: str) -> int:
    return main(["convert", *args])


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for src in (SHOWCASE, PERCENT / "workshop.ipynb", NBCONVERT / "svg.ipynb",
                NBCONVERT / "notebook4_jpeg.ipynb"):
        shutil.copyfile(src, tmp_path / src.name)
    return tmp_path


def test_py_percent_is_jupytexts_text(work: Path, capsys) -> None:
    assert convert(str(work / "workshop.ipynb"), "--to", "py:percent") == 0
    ours = (work / "workshop.py").read_text(encoding="utf-8")
    theirs = jupytext.writes(nbformat.read(work / "workshop.ipynb", 4), "py:percent")
    assert ours == "\n".join(line for line in theirs.split("\n")
                             if "jupytext_version" not in line)
    assert "workshop.ipynb -> " in capsys.readouterr().err


def test_percent_picks_the_languages_script(tmp_path: Path) -> None:
    src = tmp_path / "session.ipynb"
    shutil.copyfile(PERCENT / "bash_session.ipynb", src)
    assert convert(str(src), "--to", "percent") == 0
    text = (tmp_path / "session.sh").read_text(encoding="utf-8")
    assert "# %%\necho $SHELL" in text


@pytest.mark.parametrize("path", SCRIPT_SAME_AS_NBCONVERT, ids=lambda p: p.name)
def test_script_is_what_nbconvert_writes(path: Path, tmp_path: Path, capfdbinary) -> None:
    assert convert(str(path), "--to", "script", "-o", "-") == 0
    ours = capfdbinary.readouterr().out
    theirs = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "script", "--stdout",
                             str(path)], capture_output=True, check=True).stdout
    assert ours == theirs


def test_markdown_writes_pictures_beside_it_as_nbconvert_does(work: Path) -> None:
    assert convert(str(work / "showcase.ipynb"), "--to", "markdown") == 0
    text = (work / "showcase.md").read_text(encoding="utf-8")
    assert "![png](showcase_files/showcase_1_1.png)" in text
    picture = (work / "showcase_files" / "showcase_1_1.png").read_bytes()
    nb = nbio.read(work / "showcase.ipynb")
    assert picture == base64.b64decode(nb.cells[1].outputs[1]["data"]["image/png"])
    assert "```python\n%matplotlib inline" in text
    assert "    <matplotlib.legend.Legend" in text  # text/plain as an indented block
    assert '<table border="1" class="dataframe">' in text  # HTML first, as nbconvert
    assert "    done" in text
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "markdown", "--output",
                    "theirs", str(work / "showcase.ipynb")], capture_output=True, check=True)
    assert (work / "theirs_files" / "theirs_1_1.png").read_bytes() == picture


def test_markdown_svg_and_jpeg_pictures(work: Path) -> None:
    assert convert(str(work / "svg.ipynb"), "--to", "md", "-o", str(work / "out.md")) == 0
    assert "![svg](out_files/out_0_1.svg)" in (work / "out.md").read_text(encoding="utf-8")
    assert (work / "out_files" / "out_0_1.svg").read_bytes().lstrip().startswith(b"<")
    assert convert(str(work / "notebook4_jpeg.ipynb"), "--to", "markdown") == 0
    jpeg = next((work / "notebook4_jpeg_files").glob("*.jpg")).read_bytes()
    assert jpeg[:2] == b"\xff\xd8"


def test_markdown_to_stdout_says_the_pictures_are_not_written(work: Path, capfd) -> None:
    assert convert(str(work / "showcase.ipynb"), "--to", "markdown", "-o", "-") == 0
    out, err = capfd.readouterr()
    assert "![png](showcase_files/showcase_1_1.png)" in out
    assert "1 picture not written" in err
    assert not (work / "showcase_files").exists()


def test_html_through_nbconvert(work: Path) -> None:
    assert convert(str(work / "showcase.ipynb"), "--to", "html") == 0
    page = (work / "showcase.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "Rich output showcase" in page
    assert "data:image/png;base64," in page


def test_html_without_nbconvert_is_a_clear_message(work: Path) -> None:
    code = ("import sys; sys.modules['nbconvert'] = None\n"
            "from tui.cli import main\n"
            f"sys.exit(main(['convert', {str(work / 'showcase.ipynb')!r}, '--to', 'html']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert "nbconvert, which is not installed" in done.stderr
    assert "pip install 'jupyter-tui[convert]'" in done.stderr
    assert "Traceback" not in done.stderr and not (work / "showcase.html").exists()


def test_jupytext_markdown_and_back(tmp_path: Path) -> None:
    src = tmp_path / "w.ipynb"
    shutil.copyfile(PERCENT / "workshop.ipynb", src)
    assert convert(str(src), "--to", "md:jupytext") == 0
    text = (tmp_path / "w.md").read_text(encoding="utf-8")
    theirs = jupytext.writes(nbformat.read(src, 4), "md")
    assert text == "\n".join(line for line in theirs.split("\n")
                              if "jupytext_version" not in line)
    assert convert(str(tmp_path / "w.md"), "--to", "ipynb", "-o", str(tmp_path / "b.ipynb")) == 0
    assert [c.source for c in nbio.read(tmp_path / "b.ipynb").cells] == [
        c.source for c in jupytext.reads(text, "md").cells]


def test_ipynb_from_a_text_notebook(tmp_path: Path) -> None:
    script = tmp_path / "analysis.py"
    script.write_text(jupytext.writes(nbformat.read(PERCENT / "workshop.ipynb", 4),
                                      "py:percent"), encoding="utf-8")
    assert convert(str(script), "--to", "ipynb") == 0
    nb = nbformat.read(tmp_path / "analysis.ipynb", 4)
    nbformat.validate(nb)
    expected = jupytext.read(script)
    assert [(c.cell_type, c.source) for c in nb.cells] == [
        (c.cell_type, c.source) for c in expected.cells]


def test_an_existing_notebook_is_not_replaced_without_o(work: Path, capsys) -> None:
    script = work / "showcase.py"
    assert convert(str(work / "showcase.ipynb"), "--to", "py:percent") == 0
    before = (work / "showcase.ipynb").read_bytes()
    assert convert(str(script), "--to", "ipynb") == 1
    assert "exists" in capsys.readouterr().err
    assert (work / "showcase.ipynb").read_bytes() == before
    assert convert(str(script), "--to", "ipynb", "-o", str(work / "showcase.ipynb")) == 0
    assert nbio.read(work / "showcase.ipynb").cells[1].outputs == []


def test_same_format_gets_nbconvert_in_the_name(work: Path) -> None:
    assert convert(str(work / "workshop.ipynb"), "--to", "ipynb") == 0
    assert nbio.read(work / "workshop.nbconvert.ipynb").cells[0].source.startswith("# Data")


@pytest.mark.parametrize(("args", "status", "message"), [
    (["missing.ipynb", "--to", "markdown"], 2, "missing.ipynb: cannot be read: No such file"),
    (["broken.ipynb", "--to", "markdown"], 2, "broken.ipynb: cannot be read:"),
    (["bad.py", "--to", "ipynb"], 2, "bad.py: cannot be read: the YAML header"),
    (["showcase.ipynb", "--to", "docx"], 2, "unknown format 'docx'; choose one of: py:percent"),
    (["showcase.ipynb", "--to", "markdown", "-o", "nowhere/out.md"], 1,
     "the folder nowhere does not exist"),
    (["showcase.ipynb", "--to", "markdown", "-o", "."], 1, "it is a folder"),
])
def test_bad_input_is_a_clear_error(work: Path, monkeypatch, capsys, args, status,
                                    message) -> None:
    monkeypatch.chdir(work)
    (work / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (work / "bad.py").write_text("# ---\n# jupyter:\n#   a: [1\n# ---\n", encoding="utf-8")
    assert convert(*args) == status
    out, err = capsys.readouterr()
    assert err.startswith("jtui convert: ") and message in err, err
    assert "Traceback" not in err and out == ""


def test_the_cli_in_a_subprocess_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tui", "convert", str(tmp_path / "x.ipynb"),
                           "--to", "script"], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot be read" in done.stderr
