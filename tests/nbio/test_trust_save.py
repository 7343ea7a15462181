"""A trusted notebook stays trusted when we save it: signed as jupyter_server signs on save,
in the store ``jupyter trust`` uses, checked here by nbformat's own NotebookNotary."""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
import pytest
from nbformat import sign as nbsign
from nbformat import v4

import nbio
from nbio.trust import NotebookNotary, trust_on_open
from tests.nbio_ops.fixtures import sample_nbformat_node

from .conftest import CORPUS

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
       "rkJggg==\n")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "jupyter-data"
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(path))
    return path


def nbformat_trusts(path: Path) -> bool:
    with nbsign.NotebookNotary() as notary:
        return bool(notary.check_signature(nbformat.read(path, as_version=4)))


@pytest.fixture
def trusted(tmp_path: Path, data_dir: Path) -> Path:
    """A notebook with rich outputs, signed by nbformat (as ``jupyter trust`` does)."""
    path = tmp_path / "trusted.ipynb"
    nbformat.write(sample_nbformat_node(), path)
    with nbsign.NotebookNotary() as notary:
        notary.sign(nbformat.read(path, as_version=4))
    assert nbformat_trusts(path)
    return path


def _display(text: str) -> dict[str, object]:
    return {"output_type": "display_data", "data": {"text/plain": text, "image/png": PNG},
            "metadata": {}}


def test_trusted_notebook_edited_and_saved_stays_trusted(trusted: Path, data_dir: Path) -> None:
    with NotebookNotary() as notary:
        nb = nbio.read(trusted)
        assert trust_on_open(nb, notary)
        assert all(c.metadata.get("trusted") is True for c in nb.cells if c.cell_type == "code")
        nb.cells[1].source = "print('edited')"
        nb.cells[-1].outputs.append(_display("new picture"))
        nbio.write(nb, notary=notary)
    assert nbformat_trusts(trusted)
    assert "trusted" not in trusted.read_text()  # the flags never reach the file
    nbformat.validate(nbformat.read(trusted, as_version=4))


def test_untrusted_notebook_with_rich_output_is_not_signed(tmp_path: Path,
                                                           data_dir: Path) -> None:
    path = tmp_path / "untrusted.ipynb"
    nbformat.write(sample_nbformat_node(), path)
    with NotebookNotary() as notary:
        nb = nbio.read(path)
        assert not trust_on_open(nb, notary)
        nb.cells[1].source = "print('edited')"
        nbio.write(nb, notary=notary)
    assert not nbformat_trusts(path)


def test_notebook_without_rich_output_is_signed_on_save(tmp_path: Path, data_dir: Path) -> None:
    """jupyter_server signs any notebook whose code cells have no rich output."""
    path = tmp_path / "plain.ipynb"
    nbformat.write(v4.new_notebook(cells=[v4.new_code_cell("1 + 1"),
                                          v4.new_markdown_cell("text")]), path)
    with NotebookNotary() as notary:
        nb = nbio.read(path)
        assert not trust_on_open(nb, notary)
        nbio.write(nb, notary=notary)
    assert nbformat_trusts(path)


def test_a_new_cell_with_rich_output_needs_marking(trusted: Path, data_dir: Path) -> None:
    """A cell added and run here is trusted once marked (JupyterLab marks cells it runs)."""
    with NotebookNotary() as notary:
        nb = nbio.read(trusted)
        trust_on_open(nb, notary)
        cell = nbio.Cell.new("code", "display(x)")
        cell.outputs.append(_display("from our kernel"))
        nb.cells.append(cell)
        nbio.write(nb, notary=notary)
        assert not nbformat_trusts(trusted)
        cell.metadata["trusted"] = True
        nbio.write(nb, notary=notary)
    assert nbformat_trusts(trusted)


def test_without_a_notary_nothing_is_signed(trusted: Path, data_dir: Path) -> None:
    nb = nbio.read(trusted)
    with NotebookNotary() as notary:
        trust_on_open(nb, notary)
    nb.cells[1].source = "changed without a notary"
    nbio.write(nb)
    assert not nbformat_trusts(trusted)


def test_upgraded_v3_notebook_is_signed_as_it_reads_back(tmp_path: Path,
                                                         data_dir: Path) -> None:
    """orig_nbformat is in memory but not in the file: the signature is of the file."""
    path = tmp_path / "old.ipynb"
    path.write_bytes((CORPUS / "test3.ipynb").read_bytes())
    with NotebookNotary() as notary:
        nb = nbio.read(path)
        assert nb.metadata.get("orig_nbformat") == 3
        notary.mark_cells(nb, True)  # the user trusts it (JupyterLab's "Trust notebook")
        nbio.write(nb, notary=notary)
    assert nbformat_trusts(path)


def test_signing_from_the_save_thread(trusted: Path, data_dir: Path) -> None:
    """The editor writes in a worker thread: the SQLite store is used from there."""
    with NotebookNotary() as notary:
        nb = nbio.read(trusted)
        trust_on_open(nb, notary)
        nb.cells[1].source = "saved from a thread"
        prepared = nbio.prepare_write(nb, notary=notary)
        assert prepared.signature is not None
        errors: list[BaseException] = []

        def save() -> None:
            try:
                nbio.commit_write(prepared)
            except BaseException as e:  # reported below
                errors.append(e)

        worker = threading.Thread(target=save)
        worker.start()
        worker.join(timeout=60)
        assert errors == []
    assert nbformat_trusts(trusted)


def test_a_failed_write_signs_nothing(trusted: Path, data_dir: Path) -> None:
    with NotebookNotary() as notary:
        nb = nbio.read(trusted)
        trust_on_open(nb, notary)
        nb.cells[1].source = "never written"
        prepared = nbio.prepare_write(nb, notary=notary)
        trusted.chmod(0o444)
        with pytest.raises(nbio.ReadOnlyError):
            nbio.commit_write(prepared)
        assert prepared.signature is not None
        assert not notary.store.check_signature(prepared.signature, notary.algorithm)


def test_cells_trusted_leaves_the_flags(trusted: Path, data_dir: Path) -> None:
    with NotebookNotary() as notary:
        nb = nbio.read(trusted)
        trust_on_open(nb, notary)
        assert notary.cells_trusted(nb)
        assert all("trusted" in c.metadata for c in nb.cells if c.cell_type == "code")
        nb.cells[-1].metadata["trusted"] = False
        assert not notary.cells_trusted(nb)
