"""Trust signatures agree with nbformat's NotebookNotary in both directions, on one shared
secret and database in a temporary Jupyter data directory."""

from __future__ import annotations

import copy
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

import jupyter_core.paths
import nbformat
import pytest
from nbformat import sign as nbsign

import nbio
from nbio.jupyter_paths import jupyter_data_dir
from nbio.model import Notebook
from nbio.trust import NotebookNotary, SQLiteSignatureStore, yield_everything
from tests.nbio_ops.fixtures import sample_nbformat_node, to_plain

CORPUS = Path(__file__).resolve().parent.parent / "data" / "nbcorpus"
V4_FILES = ["test4.ipynb", "test4.5.ipynb", "test4custom.ipynb", "test4docinfo.ipynb",
            "test4jupyter_metadata.ipynb", "many_tracebacks.ipynb", "no_min_version.ipynb"]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "jupyter-data"
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(path))
    return path


def write_sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.ipynb"
    nbformat.write(sample_nbformat_node(), path)
    return path


def nbformat_trusts(path: Path) -> bool:
    with nbsign.NotebookNotary() as notary:
        return bool(notary.check_signature(nbformat.read(path, as_version=4)))


def nbformat_sign(path: Path) -> None:
    with nbsign.NotebookNotary() as notary:
        notary.sign(nbformat.read(path, as_version=4))


# data directory ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({"JUPYTER_DATA_DIR": "/x/data"}, "linux"),
        ({}, "linux"),
        ({"XDG_DATA_HOME": "/xdg"}, "linux"),
        ({"XDG_DATA_HOME": ""}, "linux"),
        ({}, "darwin"),
        ({"APPDATA": "/appdata"}, "win32"),
        ({"JUPYTER_CONFIG_DIR": "/cfg"}, "win32"),
        ({}, "win32"),
        ({"JUPYTER_PLATFORM_DIRS": "1", "XDG_DATA_HOME": "/xdg"}, "linux"),
        ({"JUPYTER_PLATFORM_DIRS": "0"}, "linux"),
        ({"JUPYTER_PLATFORM_DIRS": "1"}, "linux"),
    ],
)
def test_data_dir_like_jupyter_core(
    env: dict[str, str], platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("JUPYTER_DATA_DIR", "XDG_DATA_HOME", "APPDATA", "JUPYTER_CONFIG_DIR",
                 "JUPYTER_PLATFORM_DIRS", "JUPYTER_NO_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    assert str(jupyter_data_dir()) == jupyter_core.paths.jupyter_data_dir()


# hashing -----------------------------------------------------------------------------------


def test_yield_everything_is_nbformats() -> None:
    node = sample_nbformat_node()
    node.metadata["n"] = [1, 2.5, True, None, 1e-07, {"b": "é", "a": ""}]
    assert list(yield_everything(to_plain(node))) == list(nbsign.yield_everything(node))


@pytest.mark.parametrize("name", V4_FILES)
def test_compute_signature_equals_nbformat_on_corpus(name: str, data_dir: Path) -> None:
    path = CORPUS / name
    with NotebookNotary() as ours, nbsign.NotebookNotary() as theirs:
        assert ours.secret == theirs.secret  # one secret file, made by whoever came first
        assert ours.compute_signature(nbio.read(path)) == theirs.compute_signature(
            nbformat.read(path, as_version=4))


def test_upgraded_v3_notebook_hashes_the_same_data(data_dir: Path) -> None:
    node = nbformat.read(CORPUS / "test3.ipynb", as_version=4)  # fresh random ids
    with NotebookNotary() as ours, nbsign.NotebookNotary() as theirs:
        assert ours.compute_signature(Notebook.from_dict(to_plain(node))) == (
            theirs.compute_signature(node))


def test_signature_ignores_signature_and_trusted_flags_without_changing_nb(
    data_dir: Path,
) -> None:
    nb = Notebook.from_dict(to_plain(sample_nbformat_node()))
    with NotebookNotary() as notary:
        plain = notary.compute_signature(nb)
        nb.metadata["signature"] = "sha256:abc"
        notary.mark_cells(nb, True)
        before = copy.deepcopy(nb.to_dict())
        assert notary.compute_signature(nb) == plain
        assert nb.to_dict() == before


# both directions ---------------------------------------------------------------------------


def test_signed_by_us_trusted_by_nbformat(tmp_path: Path, data_dir: Path) -> None:
    path = write_sample(tmp_path)
    assert not nbformat_trusts(path)
    with NotebookNotary() as notary:
        nb = nbio.read(path)
        assert not notary.check_signature(nb)
        notary.sign(nb)
        assert notary.check_signature(nb)
    assert nbformat_trusts(path)
    assert (data_dir / "nbsignatures.db").exists()
    secret = data_dir / "notebook_secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_bytes()) == 1386  # base64 text of 1024 bytes, as nbformat writes


def test_signed_by_nbformat_trusted_by_us(tmp_path: Path, data_dir: Path) -> None:
    path = write_sample(tmp_path)
    nbformat_sign(path)
    with NotebookNotary() as notary:
        assert notary.check_signature(nbio.read(path))


def test_modified_notebook_untrusted_for_both(tmp_path: Path, data_dir: Path) -> None:
    path = write_sample(tmp_path)
    with NotebookNotary() as notary:
        notary.sign(nbio.read(path))
    nb = nbio.read(path)
    nb.cells[1].outputs[0]["text"] = "changed\n"
    nbio.write(nb, path)
    assert not nbformat_trusts(path)
    with NotebookNotary() as notary:
        assert not notary.check_signature(nbio.read(path))


def test_unsign_by_us_untrusts_for_nbformat(tmp_path: Path, data_dir: Path) -> None:
    path = write_sample(tmp_path)
    nbformat_sign(path)
    with NotebookNotary() as notary:
        notary.unsign(nbio.read(path))
    assert not nbformat_trusts(path)


def test_explicit_secret_and_memory_db(tmp_path: Path) -> None:
    node = sample_nbformat_node()
    nb = Notebook.from_dict(to_plain(node))
    with NotebookNotary(tmp_path, secret=b"k", db_file=":memory:") as ours, nbsign.NotebookNotary(
        data_dir=str(tmp_path), secret=b"k", db_file=":memory:"
    ) as theirs:
        assert ours.compute_signature(nb) == theirs.compute_signature(node)
        ours.sign(nb)
        assert ours.check_signature(nb)
    assert not (tmp_path / "nbsignatures.db").exists()
    assert not (tmp_path / "notebook_secret").exists()


def test_other_algorithm_matches_nbformat(tmp_path: Path) -> None:
    node = sample_nbformat_node()
    nb = Notebook.from_dict(to_plain(node))
    ours = NotebookNotary(tmp_path, secret=b"s", db_file=":memory:", algorithm="sha512")
    theirs = nbsign.NotebookNotary(secret=b"s", db_file=":memory:", algorithm="sha512",
                                   data_dir=str(tmp_path))
    assert ours.compute_signature(nb) == theirs.compute_signature(node)
    with pytest.raises(ValueError, match="unknown algorithm"):
        NotebookNotary(tmp_path, algorithm="shake_128")


# cells -------------------------------------------------------------------------------------


def test_mark_and_check_cells_like_nbformat(tmp_path: Path) -> None:
    node = sample_nbformat_node()
    nb = Notebook.from_dict(to_plain(node))
    ours = NotebookNotary(tmp_path, secret=b"s", db_file=":memory:")
    theirs = nbsign.NotebookNotary(secret=b"s", db_file=":memory:", data_dir=str(tmp_path))
    assert ours.check_cells(nb) is theirs.check_cells(node) is False  # rich outputs
    ours.mark_cells(nb, True)
    theirs.mark_cells(node, True)
    assert to_plain(node) == nb.to_dict()
    assert ours.check_cells(nb) is theirs.check_cells(node) is True
    assert to_plain(node) == nb.to_dict()  # both popped the flags
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o["output_type"] in ("stream", "error")]
    assert ours.check_and_sign(nb) and ours.check_signature(nb)


# the store ---------------------------------------------------------------------------------


def test_cull_keeps_most_recently_seen(tmp_path: Path) -> None:
    store = SQLiteSignatureStore(tmp_path / "db.sqlite", cache_size=4)
    for i in range(4):
        store.store_signature(f"sig{i}", "sha256")
    assert store.check_signature("sig0", "sha256")  # seen again: survives
    store.store_signature("sig4", "sha256")  # 5 > 4: keep the 3 most recent
    kept = [s for s in ("sig0", "sig1", "sig2", "sig3", "sig4")
            if store.check_signature(s, "sha256")]
    assert kept == ["sig0", "sig3", "sig4"]
    store.close()


def test_schema_is_nbformats(tmp_path: Path) -> None:
    ours = SQLiteSignatureStore(tmp_path / "ours.db")
    ours.store_signature("abc", "sha256")
    ours.close()
    theirs = nbsign.SQLiteSignatureStore(str(tmp_path / "theirs.db"))
    theirs.store_signature("abc", "sha256")
    theirs.close()

    def schema(path: Path) -> list[Any]:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")
            return [(t, n, " ".join(sql.replace("(", " ( ").split())) for t, n, sql in rows]

    def row(path: Path) -> tuple[Any, ...]:
        with sqlite3.connect(path) as db:
            return tuple(db.execute("SELECT algorithm, signature, path, last_seen FROM "
                                    "nbsignatures").fetchone())

    assert schema(tmp_path / "ours.db") == schema(tmp_path / "theirs.db")
    ours_row, theirs_row = row(tmp_path / "ours.db"), row(tmp_path / "theirs.db")
    assert ours_row[:3] == theirs_row[:3] == ("sha256", "abc", None)
    assert ours_row[3].endswith("+00:00") and len(ours_row[3]) == len(theirs_row[3])


def test_corrupt_database_is_moved_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "nbsignatures.db"
    db.write_bytes(b"this is not a database" * 100)
    store = SQLiteSignatureStore(db)
    assert (tmp_path / "nbsignatures.db.bak").exists()
    store.store_signature("x", "sha256")
    assert store.check_signature("x", "sha256")
    assert "cannot be opened" in caplog.text
    store.close()


def test_big_mixed_notebook_signature_equals_nbformat(tmp_path: Path) -> None:
    """2,000 cells, every output type, attachments, odd line separators (make_big.py)."""
    import subprocess

    subprocess.run([sys.executable, str(CORPUS / "make_big.py"), "--out", str(tmp_path),
                    "--only", "big_mixed_2000.ipynb"], check=True, capture_output=True)
    path = tmp_path / "big_mixed_2000.ipynb"
    ours = NotebookNotary(tmp_path, secret=b"k", db_file=":memory:")
    theirs = nbsign.NotebookNotary(data_dir=str(tmp_path), secret=b"k", db_file=":memory:")
    assert ours.compute_signature(nbio.read(path)) == theirs.compute_signature(
        nbformat.read(path, as_version=4))
    ours.close()
    theirs.close()
