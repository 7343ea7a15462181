"""Reconnecting a dropped kernel WebSocket: the backoff policy and the events it emits.

A socket to a Jupyter Server drops for reasons that have nothing to do with the kernel (a proxy's
idle timeout, a laptop's Wi-Fi, a server restart). :class:`ReconnectPolicy` says how the
:class:`~protocol.remote.websocket.WebSocketKernelClient` tries again: after 1 s, doubling up to
30 s, 5 tries (jupyter_server's own gateway client does the same), all configurable. The client
emits :class:`Reconnecting` before each try and :class:`Reconnected` once a new socket is proven
live (IOPub answered a probe); a kernel that is gone, or tries that run out, end in the usual
:class:`~protocol.events.KernelDied`. All three are synthetic events (``channel="client"``,
``msg=None``) on the client's ordinary event stream.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from protocol.events import KernelEvent
from protocol.messages import fast_frozen_init

__all__ = ["INCOMPLETE_REPLY", "ReconnectPolicy", "Reconnected", "Reconnecting"]


@dataclass(frozen=True)
class ReconnectPolicy:
    """How often and how patiently a dropped socket is reopened (``tries=0``: never)."""

    first_delay: float = 1.0
    factor: float = 2.0
    max_delay: float = 30.0
    tries: int = 5
    probe_timeout: float = 30.0
    """Seconds a reopened socket may take to prove IOPub live before the try counts as failed."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ReconnectPolicy:
        """The default policy, changed by ``JTUI_RECONNECT_TRIES``, ``JTUI_RECONNECT_DELAY``
        (the first wait) and ``JTUI_RECONNECT_MAX_DELAY``; unreadable values are ignored."""
        env = os.environ if environ is None else environ
        policy = cls()
        values: dict[str, float] = {}
        for name, field_name in (("JTUI_RECONNECT_DELAY", "first_delay"),
                                 ("JTUI_RECONNECT_MAX_DELAY", "max_delay"),
                                 ("JTUI_RECONNECT_TRIES", "tries")):
            try:
                value = float(env[name])
            except (KeyError, ValueError):
                continue
            if value >= 0:
                values[field_name] = value
        if not values:
            return policy
        return cls(first_delay=values.get("first_delay", policy.first_delay),
                   factor=policy.factor,
                   max_delay=values.get("max_delay", policy.max_delay),
                   tries=int(values.get("tries", policy.tries)),
                   probe_timeout=policy.probe_timeout)

    def delays(self) -> Iterator[float]:
        """The wait before each try: 1, 2, 4, 8, 16 (capped at ``max_delay``)."""
        delay = self.first_delay
        for _ in range(self.tries):
            yield min(delay, self.max_delay)
            delay *= self.factor


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Reconnecting(KernelEvent):
    """Synthetic: the socket dropped (``reason``); try ``attempt`` of ``tries`` in ``delay`` s.

    ``running`` holds the msg_ids of executions sent and not finished when it dropped: their
    output may be incomplete (the server replays what it buffered, but not always all of it).
    """

    reason: str
    attempt: int
    tries: int
    delay: float
    running: tuple[str, ...] = ()


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Reconnected(KernelEvent):
    """Synthetic: a new socket to the same kernel answers again after ``attempt`` tries.

    ``incomplete``: executions that were running during the gap (possibly incomplete output).
    """

    attempt: int
    incomplete: tuple[str, ...] = ()


#: The execute_reply content given to an execution whose reply was lost in the gap (the
#: kernel finished it while no socket was open and the server did not replay the reply).
INCOMPLETE_REPLY: dict[str, object] = {
    "status": "error",
    "ename": "ConnectionLost",
    "evalue": "the connection to the server dropped while this cell ran; its reply and some "
              "of its output were lost",
    "traceback": [],
}
