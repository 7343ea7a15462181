"""A notebook on a Jupyter Server, read and saved through its contents API.

Reading takes the file's own text (``type=file&format=text``) and parses it with nbio, so the
notebook is what a local read of the same bytes gives; a server that will not give text is
asked for its notebook model, which nbio then serialises as nbformat would. Saving checks first,
as JupyterLab does, that the file is still what we read or saved last (its ``hash``, or else
``last_modified``), then sends the notebook model (``PUT``): the server writes it with nbformat,
byte for byte what nbio wrote. The editor does not poll the server: a change made there is
found at the next save and answered with the "changed" dialog, as in JupyterLab (autosave asks
:meth:`ServerFile.state` first and stops instead, as it does for a local file).
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import nbio
from nbio.checkpoints import CheckpointError
from nbio.model import DiskStamp, Notebook
from protocol.remote.contents import ContentsClient, RemoteStamp
from protocol.remote.errors import AuthError, ConnectError, NotFoundError, RemoteError
from protocol.remote.rest import ServerClient
from protocol.remote.urls import ServerURL


class ServerFileError(nbio.NotebookError):
    """A contents request failed (the sentence names the URL without its token)."""


def _stamp_of(data: bytes) -> DiskStamp:
    """The local stamp of what we hold (for the journal: the hash of the file's bytes)."""
    return DiskStamp(mtime_ns=0, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


class ServerFile:
    """The notebook at contents path ``path`` on ``server``."""

    remote = True

    def __init__(self, server: ServerURL, path: str, *, timeout: float = 30.0) -> None:
        self.server = server
        self.path = path.strip("/")
        self.client = ContentsClient(ServerClient(server, timeout=timeout))
        self._stamp: RemoteStamp | None = None
        self._lock = threading.Lock()

    @property
    def journal_source(self) -> str:
        """``BASE_URL/PATH`` (the base URL never holds the token)."""
        return self.server.base_url + self.path

    @property
    def last_stamp(self) -> RemoteStamp | None:
        """What the server said about the file when we last read or saved it."""
        return self._stamp

    def _fail(self, exc: RemoteError, doing: str) -> ServerFileError:
        if isinstance(exc, AuthError) and not self.server.token:
            why = (f"the server wants a token ({exc.status}): give --token, JUPYTER_TOKEN or "
                   "the URL with ?token=")
        elif isinstance(exc, AuthError):
            why = f"the server refused the token ({exc.status}); check --token or the URL"
        elif isinstance(exc, NotFoundError):
            why = f"{self.path} is not on the server (404); check the path and base URL"
        elif isinstance(exc, ConnectError):
            why = f"the server cannot be reached: {exc}"
        else:
            why = str(exc)
        return ServerFileError(f"could not {doing} {self.path}: {why}")

    def read(self) -> Notebook:
        """The notebook as the server holds it (its stamp remembered for the next save)."""
        try:
            try:
                text = self.client.read_text(self.path)
                data, stamp = text.text.encode("utf-8", "surrogateescape"), text.stamp
            except (AuthError, NotFoundError, ConnectError):
                raise
            except RemoteError:  # no text from this contents manager: take its model
                content, stamp = self.client.read_notebook(self.path)
                data = (nbio.writes(nbio.reads(json.dumps(content))) + "\n").encode("utf-8")
        except RemoteError as exc:
            raise self._fail(exc, "open") from None
        nb = nbio.reads(data, path=self.path)
        nb.path = Path(self.path)
        nb.disk_stamp = _stamp_of(data)
        with self._lock:
            self._stamp = stamp
        return nb

    def save(self, prepared: nbio.PreparedWrite, *, force: bool = False) -> DiskStamp:
        """Check the server's file is the one we know (unless ``force``), then ``PUT``."""
        data = bytes(prepared.data)
        content: dict[str, Any] = json.loads(data)
        try:
            if not force:
                self._check_unchanged()
            stamp = self.client.save_notebook(self.path, content)
        except RemoteError as exc:
            raise self._fail(exc, "save") from None
        with self._lock:
            self._stamp = stamp
        return _stamp_of(data)

    def _check_unchanged(self) -> None:
        if self._server_state() is nbio.DiskState.CHANGED:  # deleted: saving writes it again
            raise nbio.FileChangedError(
                "the notebook changed on the server since it was opened or saved here",
                path=self.path)

    def _server_state(self) -> nbio.DiskState:
        with self._lock:
            known = self._stamp
        if known is None:
            return nbio.DiskState.UNCHANGED
        try:
            now = self.client.stamp(self.path)
        except NotFoundError:
            return nbio.DiskState.DELETED
        return nbio.DiskState.UNCHANGED if now.same_file(known) else nbio.DiskState.CHANGED

    def state(self, stamp: DiskStamp) -> nbio.DiskState:
        """Whether the server's file is still the one we read or saved last (one request)."""
        try:
            return self._server_state()
        except RemoteError as exc:
            raise self._fail(exc, "check") from None

    def create_checkpoint(self) -> None:
        """``POST /api/contents/PATH/checkpoints``."""
        try:
            self.client.create_checkpoint(self.path)
        except RemoteError as exc:
            raise CheckpointError(f"the server made no checkpoint: {exc}") from None

    def _checkpoint(self) -> dict[str, Any] | None:
        try:
            found = self.client.list_checkpoints(self.path)
        except RemoteError as exc:
            raise CheckpointError(f"the server's checkpoints cannot be listed: {exc}") from None
        return found[-1] if found else None

    def checkpoint_time(self) -> datetime | None:
        """The server's newest checkpoint's time, if there is one."""
        found = self._checkpoint()
        return None if found is None else _parse_time(str(found.get("last_modified") or ""))

    def restore_checkpoint(self) -> None:
        """``POST /api/contents/PATH/checkpoints/ID`` (the newest one)."""
        found = self._checkpoint()
        if found is None:
            raise CheckpointError(f"{self.path} has no checkpoint on the server")
        try:
            self.client.restore_checkpoint(self.path, str(found.get("id") or ""))
        except RemoteError as exc:
            raise CheckpointError(f"the server did not revert: {exc}") from None
