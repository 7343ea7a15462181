"""A Jupyter Server's contents API for one file: read, save (conflict check first), checkpoints.

:class:`ContentsClient` adds the ``/api/contents`` calls an editor needs to
:class:`~protocol.remote.rest.ServerClient` (blocking: run it in a worker thread). A notebook's
bytes are read as the server's *file* model (``type=file&format=text``), so the text is the
file's own, hashed and parsed by the caller as if it were local; saving sends the notebook
model (``type=notebook``), which the server validates, signs when trusted and writes with
nbformat, as it does for JupyterLab.

The conflict check is JupyterLab's: before a save, ``GET ...?content=0&hash=1`` and compare the
file's ``hash`` (jupyter_server 2.11 and later) or else its ``last_modified`` with what we read
or wrote last (:class:`RemoteStamp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from protocol.remote.errors import RequestError
from protocol.remote.rest import ServerClient

__all__ = ["ContentsClient", "FileText", "RemoteStamp"]


@dataclass(frozen=True)
class RemoteStamp:
    """What the server said about a file: its ``last_modified`` (ISO 8601, as sent) and
    ``hash`` (hex, with ``hash_algorithm``; empty when the server does not hash)."""

    last_modified: str
    hash: str = ""
    hash_algorithm: str = ""

    @classmethod
    def from_model(cls, model: Any) -> RemoteStamp:
        """The stamp of a contents model (a JSON object)."""
        d = model if isinstance(model, dict) else {}
        return cls(str(d.get("last_modified") or ""), str(d.get("hash") or ""),
                   str(d.get("hash_algorithm") or ""))

    def same_file(self, other: RemoteStamp) -> bool:
        """Whether ``other`` describes the same bytes: by hash when both have one of one
        algorithm, else by ``last_modified``."""
        if self.hash and other.hash and self.hash_algorithm == other.hash_algorithm:
            return self.hash == other.hash
        return self.last_modified == other.last_modified


@dataclass(frozen=True)
class FileText:
    """A file's text as the server holds it, and its stamp."""

    text: str
    stamp: RemoteStamp


class ContentsClient:
    """The contents calls for files on one server (``rest`` carries its URL and token)."""

    def __init__(self, rest: ServerClient) -> None:
        self.rest = rest

    def _call(self, method: str, path: str, *more: str, body: Any = None,
              query: dict[str, str] | None = None) -> Any:
        url = self.rest.server.api("contents", path, *more, query=query)
        return self.rest.request(method, url, body)[1]

    def stamp(self, path: str) -> RemoteStamp:
        """``GET /api/contents/PATH?content=0&hash=1``: the file's stamp now."""
        return RemoteStamp.from_model(self._call("GET", path, query={"content": "0",
                                                                     "hash": "1"}))

    def read_text(self, path: str) -> FileText:
        """The file's text (``type=file&format=text``) and stamp.

        A server that gives no text (a contents manager that only serves notebook models)
        raises RequestError; :meth:`read_notebook` is the fallback.
        """
        model = self._call("GET", path, query={"type": "file", "format": "text",
                                               "content": "1", "hash": "1"})
        content = model.get("content") if isinstance(model, dict) else None
        if not isinstance(content, str):
            raise RequestError(f"GET {self.rest.server.shown()}api/contents/{path}: no text "
                               "in the answer", self.rest.server.shown())
        return FileText(content, RemoteStamp.from_model(model))

    def read_notebook(self, path: str) -> tuple[dict[str, Any], RemoteStamp]:
        """``GET ...?type=notebook&format=json&content=1``: the notebook model's content."""
        model = self._call("GET", path, query={"type": "notebook", "format": "json",
                                               "content": "1", "hash": "1"})
        content = model.get("content") if isinstance(model, dict) else None
        if not isinstance(content, dict):
            raise RequestError(f"GET {self.rest.server.shown()}api/contents/{path}: not a "
                               "notebook", self.rest.server.shown())
        return content, RemoteStamp.from_model(model)

    def save_notebook(self, path: str, content: dict[str, Any]) -> RemoteStamp:
        """``PUT /api/contents/PATH`` with a notebook model; the stamp of what was written
        (asked again with ``hash=1``: the save's answer has no hash)."""
        self._call("PUT", path, body={"type": "notebook", "format": "json",
                                      "content": content})
        return self.stamp(path)

    def create_checkpoint(self, path: str) -> dict[str, Any]:
        """``POST /api/contents/PATH/checkpoints``: the checkpoint's model (id,
        last_modified); the server keeps one per file, replaced each time."""
        data = self._call("POST", path, "checkpoints", body={})
        return data if isinstance(data, dict) else {}

    def list_checkpoints(self, path: str) -> list[dict[str, Any]]:
        """``GET /api/contents/PATH/checkpoints``."""
        data = self._call("GET", path, "checkpoints")
        return [c for c in data if isinstance(c, dict)] if isinstance(data, list) else []

    def restore_checkpoint(self, path: str, checkpoint_id: str) -> None:
        """``POST /api/contents/PATH/checkpoints/ID``: put the checkpoint back into the file."""
        self._call("POST", path, "checkpoints", checkpoint_id, body={})
