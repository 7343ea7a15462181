"""Shared fixtures for the nbio tests: the nbformat corpus and nbformat-style id counters."""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec  # noqa: F401  (the accelerated paths are under test: both must be installed)
import orjson  # noqa: F401
import pytest

import nbio.accel

CORPUS = Path(__file__).resolve().parent.parent / "data" / "nbcorpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
NOTEBOOKS = sorted(p.name for p in CORPUS.glob("*.ipynb"))
UNREADABLE = sorted(
    row["file"]
    for row in MANIFEST["notebooks"]
    if str(row.get("read_as_v4", "")).startswith("raises")
)
READABLE = [n for n in NOTEBOOKS if n not in UNREADABLE]


def counter_ids() -> Callable[[], str]:
    """The id generator the corpus was made with: the k-th id is ``format(k, "08x")``."""
    counter = itertools.count()
    return lambda: format(next(counter), "08x")


@pytest.fixture(scope="session")
def big_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """big_cells_5000 and big_mixed_2000 from make_big.py, generated once per session."""
    out = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(CORPUS / "make_big.py"), "--out", str(out),
         "--only", "big_cells_5000.ipynb", "big_mixed_2000.ipynb"],
        check=True, capture_output=True,
    )
    return out


@contextlib.contextmanager
def accel_mode(fast: bool) -> Iterator[None]:
    """Run with msgspec and orjson (``fast``) or with the standard-library reference path only."""
    saved = nbio.accel.ENABLED, nbio.accel.READ_MIN_BYTES
    nbio.accel.ENABLED, nbio.accel.READ_MIN_BYTES = fast, 0  # the corpus files are small
    try:
        yield
    finally:
        nbio.accel.ENABLED, nbio.accel.READ_MIN_BYTES = saved


MODES = pytest.mark.parametrize("fast", [True, False], ids=["accel", "stdlib"])
"""Parametrize a test over both paths (it takes a ``fast`` argument, see :func:`accel_mode`)."""
