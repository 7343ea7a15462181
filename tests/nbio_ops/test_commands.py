"""`jtui validate` and `jtui trust`, run as the real CLI (``python -m tui``) on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import sign as nbsign
from nbformat.validator import isvalid

from tests.nbio_ops.fixtures import sample_nbformat_node

CORPUS = Path(__file__).resolve().parent.parent / "data" / "nbcorpus"
ALL_CORPUS = sorted(CORPUS.glob("*.ipynb"))


def jtui(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
    )


# validate ----------------------------------------------------------------------------------


def test_validate_agrees_with_nbformat_isvalid_on_corpus() -> None:
    result = jtui("validate", *ALL_CORPUS)
    verdicts: dict[str, bool] = {}
    for path in ALL_CORPUS:
        raw = json.loads(path.read_text(encoding="utf-8"))
        verdicts[str(path)] = isvalid(raw) if raw.get("nbformat", 1) >= 3 else False
    for path, valid in verdicts.items():
        if valid:
            assert f"{path}: valid (nbformat " in result.stdout
        else:
            assert f"{path}: invalid (" in result.stderr
    assert result.returncode == 2  # some corpus files cannot even be opened


def test_validate_exit_codes_and_problem_lines(tmp_path: Path) -> None:
    good = CORPUS / "test4.5.ipynb"
    ok = jtui("validate", good, CORPUS / "test4.ipynb")
    assert ok.returncode == 0 and ok.stderr == ""
    bad = jtui("validate", good, CORPUS / "invalid.ipynb")
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert f"{CORPUS / 'invalid.ipynb'}: /cells/0: missing required key 'source'" in lines
    assert any("/cells/3/outputs/0/output_type" in line for line in lines)
    quiet = jtui("validate", "-q", good, CORPUS / "invalid_unique_cell_id.ipynb")
    assert quiet.returncode == 1 and "valid (nbformat" not in quiet.stdout
    assert "/cells/1/id: duplicate cell id" in quiet.stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "No such file"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b'{"cells": [', "not JSON: line 1 column 12"),
    ],
)
def test_validate_unreadable_files(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "broken.ipynb"
    if content is not None:
        path.write_bytes(content)
    result = jtui("validate", CORPUS / "test4.5.ipynb", path, CORPUS / "invalid.ipynb")
    assert result.returncode == 2
    assert f"{path}: cannot be read: {reason}" in result.stderr
    assert "invalid.ipynb: /cells/0" in result.stdout  # the other files were still checked


def test_validate_directory_and_unopenable(tmp_path: Path) -> None:
    result = jtui("validate", tmp_path)
    assert result.returncode == 2 and "is a directory" in result.stderr
    result = jtui("validate", CORPUS / "test3_no_metadata.ipynb")
    assert result.returncode == 2
    assert "missing required key 'metadata'" in result.stdout
    assert "jtui cannot open it" in result.stderr


# trust -------------------------------------------------------------------------------------


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    return {"JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data")}


def sample_file(tmp_path: Path, name: str = "nb.ipynb") -> Path:
    path = tmp_path / name
    nbformat.write(sample_nbformat_node(), path)
    return path


def nbformat_trusts(path: Path) -> bool:
    with nbsign.NotebookNotary() as notary:
        return bool(notary.check_signature(nbformat.read(path, as_version=4)))


def test_trust_signs_for_jupyter(tmp_path: Path, data_env: dict[str, str]) -> None:
    path = sample_file(tmp_path)
    check = jtui("trust", "--check", path, env=data_env)
    assert (check.returncode, check.stdout) == (1, f"{path}: not trusted\n")
    signed = jtui("trust", path, env=data_env)
    assert (signed.returncode, signed.stdout) == (0, f"Signing notebook: {path}\n")
    assert nbformat_trusts(path)
    again = jtui("trust", path, env=data_env)
    assert again.stdout == f"Notebook already signed: {path}\n"


def test_trust_check_sees_jupyter_signatures(tmp_path: Path, data_env: dict[str, str]) -> None:
    path = sample_file(tmp_path)
    other = sample_file(tmp_path, "other.ipynb")
    node = nbformat.read(other, as_version=4)
    node.cells[0].source = "changed"
    nbformat.write(node, other)
    with nbsign.NotebookNotary() as notary:
        notary.sign(nbformat.read(path, as_version=4))
    check = jtui("trust", "--check", path, other, env=data_env)
    assert check.stdout == f"{path}: trusted\n{other}: not trusted\n"
    assert check.returncode == 1


def test_trust_refuses_what_can_never_match(tmp_path: Path, data_env: dict[str, str]) -> None:
    result = jtui("trust", CORPUS / "test3.ipynb", CORPUS / "v4_5_no_cell_id.ipynb",
                  tmp_path / "missing.ipynb", env=data_env)
    assert result.returncode == 2
    assert "nbformat 3 notebook not signed" in result.stderr
    assert "have no id or a duplicate one" in result.stderr
    assert "missing.ipynb: cannot be read" in result.stderr
    assert result.stdout == ""


def test_trust_reports_a_notebook_that_cannot_be_signed(tmp_path: Path,
                                                        data_env: dict[str, str]) -> None:
    """A lone surrogate has no UTF-8 form: `jupyter trust` crashes on it, jtui says why."""
    path = sample_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('"metadata": {}',
                                                             '"metadata": {"x": "\\ud800"}', 1),
                    encoding="utf-8")
    for args in (("trust", path), ("trust", "--check", path)):
        result = jtui(*args, env=data_env)
        assert result.returncode == 1, result.stderr
        assert "cannot be signed" in result.stderr and "lone surrogate" in result.stderr
        assert "Traceback" not in result.stderr
