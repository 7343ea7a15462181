"""nbio against nbformat's own test notebooks: identical bytes, clear errors where it refuses."""

from __future__ import annotations

import warnings
from pathlib import Path

import nbformat
import pytest

import nbio
from nbio.upgrade import upgrade

from .conftest import CORPUS, MODES, READABLE, UNREADABLE, accel_mode, counter_ids


def _read_and_write(path: Path) -> str:
    ids = counter_ids()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nbio.NotebookWarning)
        nb = nbio.read(path, id_factory=ids)
        return nbio.writes(nb, id_factory=ids) + "\n"


@MODES
@pytest.mark.parametrize("name", READABLE)
def test_write_matches_expected_v4(fast: bool, name: str) -> None:
    expected = (CORPUS / "expected_v4" / name).read_text(encoding="utf-8")
    with accel_mode(fast):
        assert _read_and_write(CORPUS / name) == expected


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (CORPUS / "expected_v4_5").glob("*.ipynb"))
)
def test_upgrade_matches_expected_v4_5(name: str) -> None:
    written = (CORPUS / "expected_v4" / name).read_text(encoding="utf-8")
    nb = nbio.reads(written, id_factory=counter_ids())
    assert nb.nbformat_minor is not None and nb.nbformat_minor < 5
    upgrade(nb, id_factory=counter_ids())
    assert nb.nbformat_minor == 5
    assert all(cell.id is not None for cell in nb.cells)
    assert nbio.writes(nb) + "\n" == (CORPUS / "expected_v4_5" / name).read_text(encoding="utf-8")


def test_write_file_equals_expected(tmp_path: Path) -> None:
    target = tmp_path / "out.ipynb"
    nb = nbio.read(CORPUS / "test4.ipynb")
    nbio.write(nb, target)
    assert target.read_bytes() == (CORPUS / "expected_v4" / "test4.ipynb").read_bytes()


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("test3_no_metadata.ipynb", "", "'metadata'"),
        ("test3_no_worksheets.ipynb", "", "'worksheets'"),
        ("test3_worksheet_with_no_cells.ipynb", "/worksheets/0", "'cells'"),
    ],
)
def test_refused_like_nbformat(name: str, where: str, words: str) -> None:
    assert name in UNREADABLE
    with pytest.raises(nbio.NotebookError) as info:
        nbio.read(CORPUS / name)
    err = info.value
    assert err.path == CORPUS / name
    assert err.where == where
    assert words in err.reason
    assert name in str(err)


def test_unreadable_list_matches_manifest() -> None:
    assert UNREADABLE == [
        "test3_no_metadata.ipynb",
        "test3_no_worksheets.ipynb",
        "test3_worksheet_with_no_cells.ipynb",
    ]


def test_future_minor_warns_and_keeps_everything() -> None:
    with pytest.warns(nbio.reader.NewerMinorWarning, match="4.99"):
        nb = nbio.read(CORPUS / "test4plus.ipynb")
    assert nb.nbformat_minor == 99
    assert nb.extra  # unknown top-level keys survive in memory


def test_id_repair_on_read_warns() -> None:
    with pytest.warns(nbio.reader.CellIdRepairWarning, match="repeated the id 'dup'"):
        nb = nbio.read(CORPUS / "invalid_unique_cell_id.ipynb", id_factory=counter_ids())
    assert [c.id for c in nb.cells] == ["dup", "00000000"]


def test_v3_upgrade_gives_ids_in_cell_order() -> None:
    nb = nbio.read(CORPUS / "test3.ipynb", id_factory=counter_ids())
    assert [c.id for c in nb.cells] == [format(k, "08x") for k in range(len(nb.cells))]
    assert nb.nbformat == 4 and nb.nbformat_minor == 5
    assert nb.metadata["orig_nbformat"] == 3  # in memory only, like nbformat


@MODES
@pytest.mark.parametrize("name", ["big_cells_5000.ipynb", "big_mixed_2000.ipynb"])
def test_big_notebooks_round_trip(big_dir: Path, name: str, tmp_path: Path, fast: bool) -> None:
    raw = (big_dir / name).read_bytes()
    with accel_mode(fast):
        nb = nbio.read(big_dir / name)
        assert (nbio.writes(nb) + "\n").encode("utf-8") == raw
        nbio.write(nb, tmp_path / name)
    assert (tmp_path / name).read_bytes() == raw


def test_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:nbio -->")[1].split("<!-- /section:nbio -->")[0]
    code = section.split("```python\n")[1].split("```")[0]
    (tmp_path / "analysis.ipynb").write_bytes((CORPUS / "test4.ipynb").read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    nb = nbio.read(tmp_path / "analysis.ipynb")
    assert nb.cells[0].source == "print('hi')"


@pytest.mark.parametrize("name", ["test4.5.ipynb", "test4plus.ipynb", "test3.ipynb"])
def test_a_notebook_from_nbformat_writes_as_nbformat_writes_it(name: str) -> None:
    """Regression: nbformat's NotebookNode (a dict subclass) handed to Notebook.from_dict was
    written as plain JSON: line lists not split, ``trusted`` not dropped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        node = nbformat.read(CORPUS / name, as_version=4)
    node.cells[0].metadata["trusted"] = True
    nb = nbio.Notebook.from_dict(node)
    assert all(type(cell.data) is dict for cell in nb.cells)
    assert nbio.writes(nb) == nbformat.writes(node)
