"""Benchmark: opening a notebook as an application does, nbio against nbformat.

``bench_nbio.py`` times many rounds in one long-lived process, where each tool also runs on the
heap the other one (and the earlier notebooks) left behind. An editor or ``jtui run`` reads a
notebook once, early, in a fresh process. This benchmark measures that case: every sample is a
new interpreter that imports one tool, warms it up on a small corpus notebook (so imports,
schema compilation and first-call costs are excluded for both tools), then times, once each:

* read+validate: ``nbformat.read(path, as_version=4)`` against ``nbio.read`` + ``nbio.validate``;
* writes: ``nbformat.writes(nb)`` against ``nbio.writes(nb)``;
* write file: ``nbformat.write`` against ``nbio.write`` (atomic: temp file, fsync, rename).
  ``os.sync()`` runs (untimed) before it, so that nbio's fsync does not wait for the disk to
  write out the file an earlier sample left (ext4 starts writing a truncated-and-rewritten file,
  as ``nbformat.write`` leaves it, at once).

Samples of the two tools alternate; the median and the best of ``--runs`` samples are reported
with the ratio nbformat / nbio of each. Run from the repository root::

    python bench/nbio/bench_open.py --runs 15
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_nbio import BIG, NAMES, ensure_notebooks  # noqa: E402

WARM_UP = ROOT / "tests" / "data" / "nbcorpus" / "test4.5.ipynb"
OPERATIONS = ("read+validate", "writes", "write file")

CHILD = r"""
import json, os, sys, time, warnings
tool, path, warm, out = sys.argv[1:5]
warnings.simplefilter("ignore")
if tool == "nbformat":
    import nbformat

    def read(p):
        return nbformat.read(p, as_version=4)

    writes = nbformat.writes

    def write(nb, p):
        nbformat.write(nb, p)
else:
    sys.path.insert(0, sys.argv[5])
    import nbio

    def read(p):
        nb = nbio.read(p)
        problems = nbio.validate(nb)
        assert not problems, problems[:3]
        return nb

    writes = nbio.writes

    def write(nb, p):
        nbio.write(nb, p, force=True)

for _ in range(3):
    small = read(warm)
    writes(small)
    write(small, out)
clock = time.perf_counter
t0 = clock()
nb = read(path)
t1 = clock()
text = writes(nb)
t_writes = clock() - t1
os.sync()
t2 = clock()
write(nb, out)
t3 = clock()
print(json.dumps({"read+validate": t1 - t0, "writes": t_writes, "write file": t3 - t2,
                  "length": len(text)}))
"""


def sample(tool: str, path: Path, out: Path) -> dict[str, float]:
    """One fresh interpreter's timings for ``tool`` on ``path``."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, tool, str(path), str(WARM_UP), str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def bench(path: Path, runs: int, tmp: Path) -> dict[str, dict[str, list[float]]]:
    """``runs`` alternating samples of both tools; the written files must be identical."""
    times: dict[str, dict[str, list[float]]] = {
        tool: {op: [] for op in OPERATIONS} for tool in ("nbformat", "nbio")}
    outs = {"nbformat": tmp / "nbformat.ipynb", "nbio": tmp / "nbio.ipynb"}
    for _ in range(runs):
        lengths = set()
        for tool in ("nbformat", "nbio"):
            result = sample(tool, path, outs[tool])
            lengths.add(result["length"])
            for op in OPERATIONS:
                times[tool][op].append(result[op])
        if len(lengths) != 1 or outs["nbformat"].read_bytes() != outs["nbio"].read_bytes():
            raise SystemExit(f"{path.name}: the two tools wrote different notebooks")
    return times


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--only", nargs="*", choices=NAMES, default=NAMES)
    args = parser.parse_args()
    ensure_notebooks(args.only)
    print("| notebook | operation | nbformat median (best) | nbio median (best) "
          "| ratio of medians (of bests) |")
    print("| --- | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only:
            times = bench(BIG / name, args.runs, Path(tmp))
            for op in OPERATIONS:
                theirs, ours = times["nbformat"][op], times["nbio"][op]
                mt, mo = statistics.median(theirs), statistics.median(ours)
                bt, bo = min(theirs), min(ours)
                print(f"| {name.removesuffix('.ipynb')} | {op} | {mt * 1e3:.0f} ms "
                      f"({bt * 1e3:.0f}) | {mo * 1e3:.1f} ms ({bo * 1e3:.1f}) "
                      f"| {mt / mo:.1f}x ({bt / bo:.1f}x) |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
