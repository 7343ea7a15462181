"""Micro benchmark: CPU per received IOPub message, ours vs jupyter_client.

Frames are made by jupyter_client's Session exactly as ipykernel publishes them (topic frame,
hmac-sha256, its JSON style). Each side then does what a client does with one IOPub message:

* jupyter_client: ``Session.feed_identities`` + ``Session.deserialize`` (split, verify the HMAC,
  replay check, unpack the four dicts, parse dates, adapt) - the dict a jupyter_client user gets.
* ours: ``Receiver.feed`` (split, verify the HMAC, replay check, unpack, typed event).

A last row times the send path: an execute_request built, signed and serialized.

Run: ``.venv/bin/python bench/protocol_core/bench_decode.py [N] [--repeat R]``
Prints microseconds of CPU (process_time) per message, best of R runs, and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any, TypeVar

from jupyter_client.session import Session as JCSession

from protocol.messages import execute_request
from protocol.wire import Receiver, Session, WireStats

KEY = b"0f6d6a9e-5b0a-4f71-9f3c-2b51f1c4a7d3"


def make_frames(n: int, kind: str) -> list[list[bytes]]:
    """``n`` distinct IOPub messages of one kind, signed as ipykernel signs them."""
    kernel = JCSession(key=KEY, username="kernel")
    parent = kernel.msg_header("execute_request")
    out = []
    for i in range(n):
        content: dict[str, Any]
        if kind == "stream":
            msg_type, content = "stream", {"name": "stdout", "text": f"line {i} of output\n"}
        elif kind == "status":
            msg_type, content = "status", {"execution_state": "busy" if i % 2 else "idle"}
        else:
            msg_type = "display_data"
            content = {
                "data": {"text/plain": f"<Figure {i}>", "text/html": f"<b>{i}</b>" * 20},
                "metadata": {},
                "transient": {"display_id": f"d{i}"},
            }
        msg = kernel.msg(msg_type, content=content, parent=parent)
        out.append(kernel.serialize(msg, ident=[f"kernel.abc.{msg_type}".encode()]))
    return out


T = TypeVar("T")


def cpu_per_message(fn: Callable[[T], object], items: list[T]) -> float:
    """Microseconds of CPU per call of ``fn`` over ``items`` (gc off while timing)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        for item in items:
            fn(item)
        return (time.process_time() - start) / len(items) * 1e6
    finally:
        gc.enable()


def run(n: int, repeat: int, kind: str) -> tuple[float, float]:
    batches = make_frames(n, kind)
    best_jc = best_ours = float("inf")
    for _ in range(repeat):
        jc = JCSession(key=KEY)  # fresh digest history each run

        def jc_decode(frames: list[bytes], jc: JCSession = jc) -> object:
            _idents, rest = jc.feed_identities(frames)
            return jc.deserialize(rest)

        rx = Receiver(Session(KEY), "iopub", WireStats())
        best_jc = min(best_jc, cpu_per_message(jc_decode, batches))
        best_ours = min(best_ours, cpu_per_message(rx.feed, batches))
        assert rx.stats.received == n and rx.stats.dropped_total == 0
    return best_jc, best_ours


def run_encode(n: int, repeat: int) -> tuple[float, float]:
    """CPU per execute_request built, signed and serialized (the send path)."""
    code = [f"x = {i}" for i in range(n)]
    best_jc = best_ours = float("inf")
    jc = JCSession(key=KEY)
    ours = Session(KEY)

    def jc_encode(c: str) -> object:
        content = {
            "code": c,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": True,
            "stop_on_error": True,
        }
        return jc.serialize(jc.msg("execute_request", content=content))

    def ours_encode(c: str) -> object:
        return ours.serialize(ours.build(execute_request(c)))

    for _ in range(repeat):
        best_jc = min(best_jc, cpu_per_message(jc_encode, code))
        best_ours = min(best_ours, cpu_per_message(ours_encode, code))
    return best_jc, best_ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'message':<14}{'jupyter_client':>16}{'ours':>10}{'ours/jc':>10}")
    for kind in ("stream", "status", "display_data"):
        jc, ours = run(args.n, args.repeat, kind)
        print(f"{kind:<14}{jc:>13.2f} us{ours:>7.2f} us{ours / jc:>10.2f}")
    jc, ours = run_encode(args.n, args.repeat)
    print(f"{'send execute':<14}{jc:>13.2f} us{ours:>7.2f} us{ours / jc:>10.2f}")


if __name__ == "__main__":
    main()
