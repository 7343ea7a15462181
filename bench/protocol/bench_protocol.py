"""Benchmark: our protocol client against jupyter_client, in one run, on the same kernels.

Measures (each side on a fresh kernel it started itself):

1. start to ready: launch ipykernel until kernel_info answered and IOPub live (median of N);
2. execute round trip: ``execute("pass")`` until both the reply and IOPub idle arrived
   (median and p99 over M runs);
3. client CPU per IOPub message: bash_kernel running ``seq 1 100000`` (one stream message per
   line); CPU seconds of this process (all threads, zmq I/O threads included) from sending the
   request to seeing the execution done, divided by the IOPub messages received;
4. shutdown: ``KernelManager.shutdown()`` against jupyter_client's ``shutdown_kernel()`` on
   ipykernel, bash_kernel and xeus-python, each kernel freshly started and idle after one no-op
   execute (mean, median and max of N, and how often SIGTERM was needed).

Run: ``.venv/bin/python bench/protocol/bench_protocol.py [--starts 5] [--runs 500]
[--shutdowns 10] [--only shutdown]`` (``--lines 100000`` is the default). With ``PYTHONPATH``
pointing at another copy of the ``protocol`` package, "ours" is that copy (before/after).
Our kernels run with ``encryption="off"`` so both sides do the same work (jupyter_client's
default is no encryption); ``--curve`` measures ours with CurveZMQ on as well.
"""

from __future__ import annotations

import argparse
import asyncio
import queue
import signal
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from protocol.events import ExecutionDone, Stream
from protocol.manager import KernelManager


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


# -- ours -----------------------------------------------------------------------------------------


async def ours_start(encryption: str) -> tuple[float, KernelManager]:
    t = time.perf_counter()
    km = await KernelManager.start("python3", encryption=encryption)
    return time.perf_counter() - t, km


async def ours_roundtrip(km: KernelManager, runs: int) -> list[float]:
    client = km.client
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        msg_id = await client.execute("pass")
        await client.wait_for_execution(msg_id, timeout=30)
        out.append(time.perf_counter() - t)
    return out


async def ours_flood(lines: int) -> tuple[float, int]:
    km = await KernelManager.start("bash", encryption="off")
    try:
        client = km.client
        events = client.events()
        await _drain_ours(events)
        cpu = time.process_time()
        msg_id = await client.execute(f"seq 1 {lines}")
        count = lines_seen = 0
        async for event in events:
            if event.channel == "iopub":
                count += 1
            if isinstance(event, Stream):
                lines_seen += event.text.count("\n")
            if isinstance(event, ExecutionDone) and event.msg_id == msg_id:
                break
        cpu = time.process_time() - cpu
        events.close()
        print(f"ours: {count} IOPub messages, {lines_seen} output lines")
        return cpu, count
    finally:
        await km.shutdown()


async def _drain_ours(events: Any) -> None:
    while events.get_nowait() is not None:
        pass


# -- jupyter_client -------------------------------------------------------------------------------


async def jc_start(kernel: str = "python3") -> tuple[float, AsyncKernelManager, Any]:
    t = time.perf_counter()
    km = AsyncKernelManager(kernel_name=kernel)
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    return time.perf_counter() - t, km, kc


async def jc_stop(km: AsyncKernelManager, kc: Any) -> None:
    kc.stop_channels()
    await km.shutdown_kernel()


async def jc_roundtrip(kc: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        await kc.execute_interactive("pass", timeout=30, output_hook=lambda msg: None)
        out.append(time.perf_counter() - t)
    return out


async def jc_flood(lines: int) -> tuple[float, int]:
    _, km, kc = await jc_start("bash")
    try:
        # execute_interactive's loop, written out: jupyter_client's default IOPub HWM drops
        # messages when the client falls behind, and a lost idle would make it wait forever, so
        # stop after 10 s of silence too (waiting costs no CPU).
        count = lines_seen = 0
        cpu = time.process_time()
        msg_id = kc.execute(f"seq 1 {lines}")
        while True:
            try:
                msg = await kc.get_iopub_msg(timeout=10)
            except queue.Empty:
                print(f"jupyter_client: no idle after {count} messages (lost by the HWM)")
                break
            count += 1
            if msg["msg_type"] == "stream":
                lines_seen += msg["content"]["text"].count("\n")
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
            ):
                break
        cpu = time.process_time() - cpu
        await kc.get_shell_msg(timeout=10)
        print(f"jupyter_client: {count} IOPub messages, {lines_seen} output lines")
        return cpu, count
    finally:
        await jc_stop(km, kc)


# -- shutdown -------------------------------------------------------------------------------------

SHUTDOWN_KERNELS = ("python3", "bash", "xpython")
NOOP = {"python3": "pass", "bash": "true", "xpython": "pass"}


def _ended_by(returncode: int | None) -> str:
    if returncode == -signal.SIGTERM:
        return "SIGTERM"
    if returncode == -signal.SIGKILL:
        return "SIGKILL"
    return "exit"


async def ours_shutdown(kernel: str) -> tuple[float, str]:
    km = await KernelManager.start(kernel, encryption="off", ready_timeout=60)
    msg_id = await km.client.execute(NOOP[kernel])
    await km.client.wait_for_execution(msg_id, timeout=30)
    t = time.perf_counter()
    await km.shutdown()
    elapsed = time.perf_counter() - t
    assert km.process is not None
    return elapsed, _ended_by(km.process.returncode)


async def jc_shutdown(kernel: str) -> tuple[float, str]:
    _, km, kc = await jc_start(kernel)
    await kc.execute_interactive(NOOP[kernel], timeout=30, output_hook=lambda msg: None)
    kc.stop_channels()
    process = km.provisioner.process  # type: ignore[union-attr]
    t = time.perf_counter()
    await km.shutdown_kernel()
    elapsed = time.perf_counter() - t
    return elapsed, _ended_by(process.returncode)


async def shutdown_rows(n: int) -> list[tuple[str, float, float]]:
    rows = []
    for kernel in SHUTDOWN_KERNELS:
        ours: list[tuple[float, str]] = []
        theirs: list[tuple[float, str]] = []
        for _ in range(n):  # interleaved, so machine noise hits both alike
            ours.append(await ours_shutdown(kernel))
            theirs.append(await jc_shutdown(kernel))
        for side, results in (("ours", ours), ("jupyter_client", theirs)):
            times = [t for t, _ in results]
            ends = {e: sum(1 for _, x in results if x == e) for _, e in results}
            print(f"shutdown {kernel} {side}: mean {1e3 * statistics.mean(times):.0f} ms, "
                  f"median {1e3 * statistics.median(times):.0f} ms, "
                  f"max {1e3 * max(times):.0f} ms, ended by {ends}")
        # The mean, not the median: with bash_kernel the times are bimodal (it exits, or hangs
        # after replying until SIGTERM), and the mean is what a user waits on average.
        rows.append((f"shutdown {kernel}, mean (ms)",
                     1e3 * statistics.mean(t for t, _ in ours),
                     1e3 * statistics.mean(t for t, _ in theirs)))
    return rows


# -- driver ---------------------------------------------------------------------------------------


async def timed_starts(
    n: int,
    start: Callable[[], Awaitable[tuple[float, Any]]],
    stop: Callable[[Any], Awaitable[None]],
) -> list[float]:
    times = []
    for _ in range(n):
        elapsed, handle = await start()
        times.append(elapsed)
        await stop(handle)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--curve", action="store_true", help="also time ours with CurveZMQ")
    parser.add_argument("--shutdowns", type=int, default=5, help="shutdowns per kernel and side")
    parser.add_argument("--only", choices=["shutdown"], help="run only these rows")
    args = parser.parse_args()
    if args.only == "shutdown":
        _print_rows(await shutdown_rows(args.shutdowns))
        return

    async def ours_start_off() -> tuple[float, Any]:
        return await ours_start("off")

    async def ours_start_curve() -> tuple[float, Any]:
        return await ours_start("require")

    async def ours_stop(km: Any) -> None:
        await km.shutdown()

    async def jc_start_py() -> tuple[float, Any]:
        elapsed, km, kc = await jc_start()
        return elapsed, (km, kc)

    async def jc_stop_pair(pair: Any) -> None:
        await jc_stop(*pair)

    rows: list[tuple[str, float, float]] = []

    # Interleave the two so machine noise hits both alike.
    ours_s: list[float] = []
    jc_s: list[float] = []
    for _ in range(args.starts):
        ours_s += await timed_starts(1, ours_start_off, ours_stop)
        jc_s += await timed_starts(1, jc_start_py, jc_stop_pair)
    rows.append(("start to ready, median (s)", statistics.median(ours_s), statistics.median(jc_s)))
    if args.curve:
        curve_s = await timed_starts(args.starts, ours_start_curve, ours_stop)
        print(f"ours with CurveZMQ: start to ready median {statistics.median(curve_s):.3f} s")

    _, km = await ours_start("off")
    _, jkm, jkc = await jc_start()
    try:
        await ours_roundtrip(km, 20)  # warm up
        await jc_roundtrip(jkc, 20)
        ours_rt: list[float] = []
        jc_rt: list[float] = []
        for _ in range(0, args.runs, 10):  # interleaved, so machine noise hits both alike
            ours_rt += await ours_roundtrip(km, 10)
            jc_rt += await jc_roundtrip(jkc, 10)
    finally:
        await km.shutdown()
        await jc_stop(jkm, jkc)
    rows.append(("execute round trip, median (ms)", 1e3 * statistics.median(ours_rt),
                 1e3 * statistics.median(jc_rt)))
    rows.append(("execute round trip, p99 (ms)", 1e3 * p99(ours_rt), 1e3 * p99(jc_rt)))

    ours_cpu, ours_n = await ours_flood(args.lines)
    jc_cpu, jc_n = await jc_flood(args.lines)
    rows.append(("client CPU per IOPub message (us)", 1e6 * ours_cpu / ours_n, 1e6 * jc_cpu / jc_n))
    print(f"IOPub messages received: ours {ours_n}, jupyter_client {jc_n}")
    print(f"client CPU total: ours {ours_cpu:.2f} s, jupyter_client {jc_cpu:.2f} s")
    rows += await shutdown_rows(args.shutdowns)
    _print_rows(rows)


def _print_rows(rows: list[tuple[str, float, float]]) -> None:
    print()
    print("| measure | jtui protocol | jupyter_client | ratio (ours / theirs) |")
    print("| --- | --- | --- | --- |")
    for name, ours_v, theirs_v in rows:
        print(f"| {name} | {ours_v:.3f} | {theirs_v:.3f} | {ours_v / theirs_v:.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
