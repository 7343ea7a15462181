"""The sans-IO core against real kernels' bytes, with nothing of ours but the core.

jupyter_client launches the kernel (a reference launcher, so a failure here points at the core),
raw pyzmq sockets carry the frames, and our Session/Receiver/RequestTracker do the rest: our
signed requests must be accepted, every frame the kernel sends must verify and decode, and the
execution must finish (reply + idle). xeus-python's welcome, with its empty topic frame and null
parent/metadata, is checked on its real bytes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import zmq
from jupyter_client.manager import KernelManager as JCKernelManager

from protocol import messages as M
from protocol.events import ExecutionDone, KernelEvent, OtherMessage, Reply, Stream
from protocol.tracking import RequestCompleted, RequestTracker
from protocol.wire import Receiver, Session, WireStats

pytestmark = pytest.mark.kernel

CODE = {
    "python3": "print('hi from core')",
    "xpython": "print('hi from core')",
    "bash": "echo 'hi from core'",
}


@dataclass
class RawClient:
    """Just enough plumbing to move frames: two sockets, two receivers, one tracker."""

    session: Session
    shell: zmq.Socket[bytes]
    iopub: zmq.Socket[bytes]
    stats: WireStats = field(default_factory=WireStats)
    tracker: RequestTracker = field(default_factory=RequestTracker)
    events: list[KernelEvent] = field(default_factory=list)
    raw_iopub: list[list[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rx = {
            "shell": Receiver(self.session, "shell", self.stats),
            "iopub": Receiver(self.session, "iopub", self.stats),
        }
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def send(self, out: M.Outgoing, deadline: float) -> str:
        msg = self.session.build(out)
        self.tracker.register(msg.msg_id, msg.msg_type, out.channel, deadline)
        self.shell.send_multipart(self.session.serialize(msg))
        return msg.msg_id

    def pump(self, timeout_ms: int) -> list[object]:
        """Receive what is there (waiting up to timeout_ms); return completions."""
        done: list[object] = []
        for sock, _ in self.poller.poll(timeout_ms):
            channel = "shell" if sock is self.shell else "iopub"
            frames = sock.recv_multipart()
            if channel == "iopub":
                self.raw_iopub.append(frames)
            event = self.rx[channel].feed(frames)
            if event is not None:
                self.events.append(event)
                done.extend(self.tracker.feed(event))
        done.extend(self.tracker.expired(time.monotonic()))
        return done


@contextmanager
def raw_client(name: str) -> Iterator[RawClient]:
    """A kernel launched by jupyter_client, and raw sockets on its shell and IOPub."""
    km = JCKernelManager(kernel_name=name)
    km.start_kernel()
    ctx = zmq.Context()
    try:
        info = km.get_connection_info()
        session = Session(info["key"], info["signature_scheme"])
        shell = ctx.socket(zmq.DEALER)
        shell.setsockopt(zmq.IDENTITY, session.bsession)
        shell.linger = 0
        shell.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        iopub = ctx.socket(zmq.SUB)
        iopub.setsockopt(zmq.SUBSCRIBE, b"")
        iopub.linger = 0
        iopub.connect(f"{info['transport']}://{info['ip']}:{info['iopub_port']}")
        try:
            yield RawClient(session, shell, iopub)
        finally:
            shell.close(0)
            iopub.close(0)
    finally:
        km.shutdown_kernel(now=True)
        ctx.term()


@pytest.fixture(params=["python3", "xpython", "bash"])
def raw_kernel(request: pytest.FixtureRequest) -> Iterator[tuple[str, RawClient]]:
    with raw_client(request.param) as client:
        yield request.param, client


@pytest.fixture
def xeus_kernel() -> Iterator[RawClient]:
    with raw_client("xpython") as client:
        yield client


def _wait_ready(client: RawClient) -> dict[str, object]:
    """kernel_info until both its reply and IOPub proof arrived (re-sent each second).

    The reply alone is not enough (protocol.md §6.2): the SUB socket may not be subscribed yet,
    and IOPub messages sent before that (the next execution's idle included) are lost.
    """
    end = time.monotonic() + 60
    reply: dict[str, object] | None = None
    while time.monotonic() < end:
        msg_id = client.send(M.kernel_info_request(), time.monotonic() + 1.0)
        while msg_id in client.tracker:
            for c in client.pump(200):
                if isinstance(c, RequestCompleted) and c.msg_id == msg_id:
                    reply = c.reply
        if reply is not None and any(
            e.channel == "iopub" and e.msg_type != "iopub_welcome" for e in client.events
        ):
            return reply
    raise AssertionError("kernel never answered kernel_info with IOPub proof")


def test_core_talks_to_real_kernel(raw_kernel: tuple[str, RawClient]) -> None:
    name, client = raw_kernel
    info = _wait_ready(client)
    assert info["status"] == "ok" and "language_info" in info
    msg_id = client.send(M.execute_request(CODE[name]), time.monotonic() + 30)
    done: ExecutionDone | None = None
    while done is None:
        for c in client.pump(1000):
            assert not isinstance(c, RequestCompleted), c
            if isinstance(c, ExecutionDone) and c.msg_id == msg_id:
                done = c
            elif c.msg_id == msg_id:
                raise AssertionError(f"execution did not finish: {c}")
    assert done.reply["status"] == "ok"
    text = "".join(
        e.text for e in client.events if isinstance(e, Stream) and e.parent_msg_id == msg_id
    )
    assert "hi from core" in text
    replies = [e for e in client.events if isinstance(e, Reply) and e.parent_msg_id == msg_id]
    assert len(replies) == 1 and replies[0].msg_type == "execute_reply"
    # Every frame the kernel sent verified and decoded; nothing was dropped.
    assert client.stats.dropped_total == 0 and client.stats.received == len(client.events)
    # The same frames again are replays.
    frames = client.raw_iopub[-1]
    assert client.rx["iopub"].feed(frames) is None
    assert client.stats.dropped == {"replayed": 1}


def test_xeus_welcome_real_bytes(xeus_kernel: RawClient) -> None:
    client = xeus_kernel
    _wait_ready(client)
    end = time.monotonic() + 10
    while time.monotonic() < end and not any(
        e.msg_type == "iopub_welcome" for e in client.events
    ):
        client.pump(200)
    welcome = next(e for e in client.events if e.msg_type == "iopub_welcome")
    assert isinstance(welcome, OtherMessage) and welcome.msg is not None
    raw = next(f for f in client.raw_iopub if b"iopub_welcome" in b"".join(f))
    delim = raw.index(b"<IDS|MSG>")
    assert raw[delim + 3] == b"null" and raw[delim + 4] == b"null"  # what xeus really sends
    assert welcome.msg.parent_header == {} and welcome.msg.metadata == {}
    assert welcome.msg.identities == tuple(raw[:delim])
    assert welcome.content == {"subscription": ""}
