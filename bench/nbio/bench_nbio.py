"""Benchmark: nbio against nbformat on make_big.py's notebooks, in the same run.

Run from the repository root, with nbformat installed beside nbio::

    python bench/nbio/bench_nbio.py            # all three notebooks, 5 rounds each
    python bench/nbio/bench_nbio.py --rounds 9 --only big_cells_5000.ipynb

The notebooks are generated into ``bench/big/`` (git-ignored) by the corpus's ``make_big.py``.
Each round times, interleaved so both tools see the same machine state:

* read+validate: ``nbformat.read(path, as_version=4)`` (which validates) against
  ``nbio.read(path)`` followed by ``nbio.validate(nb)``;
* validate alone: ``nbformat.validate(nb)`` against ``nbio.validate(nb)``;
* writes: ``nbformat.writes(nb)`` against ``nbio.writes(nb)`` (the string; both must be equal);
* write file: ``nbformat.write(nb, path)`` against ``nbio.write(nb, path)`` (nbio's is atomic:
  temp file, fsync, rename; nbformat's is neither). ``os.sync()`` runs (untimed) before each,
  so that nbio's fsync does not wait for the disk to write out the file nbformat has just
  written (ext4 starts writing a truncated-and-rewritten file at once).

The best time of the rounds is reported, and the ratio nbformat / nbio. nbio uses msgspec and
orjson when they are installed; ``NBIO_NO_ACCEL=1`` measures the standard-library path.

``--floor`` adds, from the same rounds, what no reader or writer of these files can avoid on
this machine, and the best ratio that leaves (nbformat / floor):

* read floor: reading the file's bytes plus ``msgspec.json.decode`` of them (the parse alone,
  no joining of lines, no validation);
* writes floor: one copy of the string ``writes`` must return (allocating and filling that
  many bytes: four per character once one character is beyond U+FFFF).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import msgspec
import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import nbio  # noqa: E402
import nbio.accel  # noqa: E402

BIG = ROOT / "bench" / "big"
MAKE_BIG = ROOT / "tests" / "data" / "nbcorpus" / "make_big.py"
NAMES = ["big_cells_5000.ipynb", "big_mixed_2000.ipynb", "big_50mb.ipynb"]


def ensure_notebooks(names: list[str]) -> None:
    """Generate the notebooks that are missing from bench/big/."""
    missing = [n for n in names if not (BIG / n).exists()]
    if missing:
        BIG.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(MAKE_BIG), "--out", str(BIG), "--only", *missing],
                       check=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _read_floor(path: Path) -> Any:
    with open(path, "rb") as f:
        return msgspec.json.decode(f.read())


def bench_file(path: Path, rounds: int, tmp: Path,
               floor: bool = False) -> dict[str, tuple[float, float]]:
    best: dict[str, list[float]] = {}

    def note(key: str, theirs: float, ours: float) -> None:
        old = best.setdefault(key, [float("inf"), float("inf")])
        old[0] = min(old[0], theirs)
        old[1] = min(old[1], ours)

    def nbio_read() -> nbio.Notebook:
        nb = nbio.read(path)
        problems = nbio.validate(nb)
        assert not problems, problems[:3]
        return nb

    out_f, out_o = tmp / "nbformat.ipynb", tmp / "nbio.ipynb"
    for _ in range(rounds):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_nbf, nb_f = timed(partial(nbformat.read, str(path), as_version=4))
        t_nbio, nb_o = timed(nbio_read)
        note("read+validate", t_nbf, t_nbio)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_vf, _ = timed(partial(nbformat.validate, nb_f))
        t_vo, _ = timed(partial(nbio.validate, nb_o))
        note("validate", t_vf, t_vo)

        t_wf, s_f = timed(partial(nbformat.writes, nb_f))
        t_wo, s_o = timed(partial(nbio.writes, nb_o))
        if s_f != s_o:
            raise SystemExit(f"{path.name}: nbio.writes differs from nbformat.writes")
        note("writes", t_wf, t_wo)
        if floor:
            t_rfl, parsed = timed(partial(_read_floor, path))
            del parsed
            note("read floor", t_nbf, t_rfl)
            t_wfl, copied = timed(partial(s_f.__getitem__, slice(0, len(s_f) - 1)))
            del copied
            note("writes floor", t_wf, t_wfl)

        os.sync()
        t_ff, _ = timed(partial(nbformat.write, nb_f, str(out_f)))
        os.sync()
        t_fo, _ = timed(partial(nbio.write, nb_o, out_o, force=True))
        if out_f.read_bytes() != out_o.read_bytes() or out_o.read_bytes() != path.read_bytes():
            raise SystemExit(f"{path.name}: written files differ")
        note("write file", t_ff, t_fo)
    return {k: (v[0], v[1]) for k, v in best.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", choices=NAMES, default=NAMES)
    parser.add_argument("--floor", action="store_true",
                        help="also time what no tool can avoid (see the module docstring)")
    args = parser.parse_args()
    ensure_notebooks(args.only)
    accel = "standard library only"
    if nbio.accel.ENABLED:
        accel = (f"msgspec {nbio.accel.msgspec.__version__}, "
                 f"orjson {nbio.accel.orjson.__version__}")
    print(f"nbformat {nbformat.__version__}, Python {sys.version.split()[0]}, nbio with {accel}, "
          f"best of {args.rounds} rounds; identical bytes checked every round\n")
    print("| notebook | operation | nbformat | nbio | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only:
            results = bench_file(BIG / name, args.rounds, Path(tmp), args.floor)
            for op, (theirs, ours) in results.items():
                print(f"| {name} | {op} | {theirs * 1000:.0f} ms | {ours * 1000:.1f} ms "
                      f"| {theirs / ours:.1f}x |")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
