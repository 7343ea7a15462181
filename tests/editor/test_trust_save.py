"""Trust survives a save: jtui re-signs a trusted notebook in the store ``jupyter trust`` uses.

The cross-check is nbformat's own ``NotebookNotary`` reading the saved file (its default data
directory is ``$JUPYTER_DATA_DIR``, a temporary folder per test)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

from tests.editor.conftest import run_editor, sample_notebook


def _notary() -> NotebookNotary:
    Path(os.environ["JUPYTER_DATA_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    return NotebookNotary(data_dir=os.environ["JUPYTER_DATA_DIR"])


def _trusted(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return bool(_notary().check_signature(nb))


async def _edit_first_code_cell_and_save(path: Path) -> None:
    async with run_editor(path) as ed:
        await ed.screen.trust_ready()
        await ed.press("j", "enter")
        await ed.settle()
        await ed.press("end", "x", "escape", "ctrl+s")
        await ed.saved()
        assert not ed.screen.dirty
        assert "x" in ed.nb.cells[1].source


async def test_a_trusted_notebook_stays_trusted_after_a_save(write_nb):
    path = write_nb(sample_notebook())  # rich output (image/png): untrusted until signed
    _notary().sign(nbformat.read(path, as_version=4))  # what `jupyter trust nb.ipynb` does
    assert _trusted(path)
    async with run_editor(path) as ed:
        await ed.screen.trust_ready()
        assert ed.screen.trusted is True
    await _edit_first_code_cell_and_save(path)
    saved = nbformat.read(path, as_version=4)
    assert saved.cells[1].source.startswith("import mathx")
    assert all("trusted" not in c.metadata for c in saved.cells)  # the flag stays in memory
    assert _trusted(path)


async def test_an_untrusted_notebook_is_not_made_trusted_by_a_save(write_nb):
    path = write_nb(sample_notebook())
    assert not _trusted(path)
    async with run_editor(path) as ed:
        await ed.screen.trust_ready()
        assert ed.screen.trusted is False
    await _edit_first_code_cell_and_save(path)
    assert not _trusted(path)


async def test_a_notebook_without_rich_output_is_signed_as_the_server_signs_it(write_nb):
    nb = sample_notebook()
    nb.cells[2].outputs = []
    path = write_nb(nb)
    await _edit_first_code_cell_and_save(path)
    assert _trusted(path)
