"""A small TCP proxy on loopback that can drop every connection through it (a fake network
fault: what a proxy's idle timeout or a Wi-Fi change does to a kernel WebSocket).

Threads and blocking sockets, so sync tests (a console in a pty) and async ones can use it.
``drop()`` aborts every open connection; ``refuse()`` / ``accept()`` turn new connections away
(the far side then sees "connection refused"-like failures) or let them through again.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterator


class DropProxy:
    """Forwards ``127.0.0.1:port`` to ``127.0.0.1:target``."""

    def __init__(self, target: int) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._refusing = False
        self._closed = False
        self.accepted = 0
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._refusing:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self.accepted += 1
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def drop(self) -> int:
        """Abort every open connection (no close handshake); how many pairs were cut."""
        with self._lock:
            open_, self._open = self._open, []
        for s in open_:
            with contextlib.suppress(OSError):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()
        return len(open_) // 2

    def refuse(self) -> None:
        """Turn new connections away until :meth:`accept`."""
        self._refusing = True

    def accept(self) -> None:
        """Let new connections through again."""
        self._refusing = False

    def close(self) -> None:
        """Stop listening and drop everything."""
        self._closed = True
        with contextlib.suppress(OSError):
            self._listener.close()
        self.drop()


@contextlib.contextmanager
def drop_proxy(target: int) -> Iterator[DropProxy]:
    """A :class:`DropProxy` to ``target`` for the length of the block."""
    proxy = DropProxy(target)
    try:
        yield proxy
    finally:
        proxy.close()
