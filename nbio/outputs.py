"""Kernel output messages to notebook outputs, and the live outputs of a running cell.

:func:`output_from_msg` is the pure mapping nbformat has (``nbformat.v4.output_from_msg``):
an IOPub message's type and content (plain dicts) to one nbformat output dict, with the
kernel-only keys (``transient``...) left out so the result is valid in a saved notebook.

:class:`OutputArea` is what a live view needs on top, following JupyterLab's output area model
(``packages/outputarea/src/model.ts`` and ``widget.ts``):

* consecutive ``stream`` messages of the same name are merged into one output;
* ``"\\b"`` deletes the previous character of the current line (never a newline), ``"\\r\\n"``
  is a newline, and a ``"\\r"`` not followed by ``"\\n"`` erases the current line, so a tqdm
  progress bar ends as one line. The stored text is the processed text, as JupyterLab keeps it;
  a ``"\\r"`` at the very end stays until the next chunk says whether a ``"\\n"`` follows;
* ``clear_output(wait=True)`` clears when the next output arrives, ``wait=False`` at once;
* ``update_display_data`` replaces ``data`` and ``metadata`` of every earlier output that was
  shown with that ``display_id``, in this cell or, through a shared :class:`DisplayIndex`, in any
  cell of the notebook.

Huge streams (a cell printing 1,000,000 lines in thousands of messages) cost linear time: the
text of the stream being written is kept as a list of chunks of complete lines plus the current
last line; only that last line is re-processed when a chunk arrives (``\\r`` and ``\\b`` never
reach further back). The ``text`` string in the output dict is rebuilt from the chunks only
when it is cheap (small output) or when the unsynced part has grown to half of what was synced,
so the total copying stays linear; reading :attr:`OutputArea.outputs` or calling
:meth:`OutputArea.sync` makes it exact. :meth:`OutputArea.stream_preview` (and the function
:func:`stream_preview` for any text) give the head and tail lines of a stream without building
the whole string.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple

from nbio.model import JSONDict, Output

__all__ = [
    "OUTPUT_MSG_TYPES",
    "DisplayIndex",
    "OutputArea",
    "OutputError",
    "Preview",
    "output_from_msg",
    "stream_preview",
]

OUTPUT_MSG_TYPES = ("stream", "display_data", "execute_result", "error")
"""The IOPub message types that become an output."""

_SYNC_ALWAYS_BELOW = 256 * 1024
"""Stream outputs up to this many characters have their ``text`` rebuilt on every message."""


class OutputError(ValueError):
    """An output message whose content cannot make a valid nbformat output."""


def _is_json_mimetype(key: str) -> bool:
    # ^application/(.*\+)?json$ as in nbformat's schema
    return key.startswith("application/") and (key == "application/json" or key.endswith("+json"))


def _multiline(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    raise OutputError(f"{what} must be a string, not {type(value).__name__}")


def _mimebundle(value: Any) -> JSONDict:
    if not isinstance(value, dict):
        raise OutputError(f"data must be an object, not {type(value).__name__}")
    bundle: JSONDict = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise OutputError(f"mimetype {key!r} is not a string")
        bundle[key] = item if _is_json_mimetype(key) else _multiline(item, f"data[{key!r}]")
    return bundle


def _metadata(content: Mapping[str, Any]) -> JSONDict:
    value = content.get("metadata", {})
    if not isinstance(value, dict):
        raise OutputError(f"metadata must be an object, not {type(value).__name__}")
    return value


def _execution_count(content: Mapping[str, Any]) -> int | None:
    value = content.get("execution_count")
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise OutputError(f"execution_count must be a non-negative int or null, not {value!r}")


def _string(content: Mapping[str, Any], key: str) -> str:
    value = content.get(key)
    if not isinstance(value, str):
        raise OutputError(f"{key} must be a string, not {type(value).__name__}")
    return value


def output_from_msg(msg_type: str, content: Mapping[str, Any]) -> Output | None:
    """The nbformat output for an IOPub message, as ``nbformat.v4.output_from_msg`` makes it.

    Returns ``None`` for message types that are not outputs (``status``, ``clear_output``,
    ``update_display_data``...). Raises :class:`OutputError` when the content cannot give a
    valid output (a missing ``text``, a non-string ``text/plain``...). ``transient`` and any
    other keys the schema does not allow are left out. The content's values are used as they
    are (not copied), as nbformat does.
    """
    if msg_type == "stream":
        return {
            "output_type": "stream",
            "name": _string(content, "name"),
            "text": _multiline(content.get("text"), "text"),
        }
    if msg_type == "display_data":
        return {
            "output_type": "display_data",
            "metadata": _metadata(content),
            "data": _mimebundle(content.get("data")),
        }
    if msg_type == "execute_result":
        return {
            "output_type": "execute_result",
            "metadata": _metadata(content),
            "data": _mimebundle(content.get("data")),
            "execution_count": _execution_count(content),
        }
    if msg_type == "error":
        traceback = content.get("traceback", [])
        if not isinstance(traceback, list) or not all(isinstance(t, str) for t in traceback):
            raise OutputError("traceback must be a list of strings")
        return {
            "output_type": "error",
            "ename": _string(content, "ename"),
            "evalue": _string(content, "evalue"),
            "traceback": traceback,
        }
    return None


def _display_id(content: Mapping[str, Any]) -> str | None:
    transient = content.get("transient")
    if isinstance(transient, dict):
        value = transient.get("display_id")
        if isinstance(value, str) and value:
            return value
    return None


# stream text -------------------------------------------------------------------------------


def _process_line(line: str) -> str:
    """Apply ``\\r`` (erase the line so far) and ``\\b`` (delete one character) to one line
    without its ``\\n`` and without a trailing ``\\r``."""
    cr = line.rfind("\r")
    if cr >= 0:
        line = line[cr + 1 :]
    if "\b" in line:
        kept: list[str] = []
        for ch in line:
            if ch == "\b":
                if kept:
                    kept.pop()
            else:
                kept.append(ch)
        line = "".join(kept)
    return line


def _process_tail(tail: str) -> str:
    """The last (unfinished) line processed; a trailing ``\\r`` is kept as pending."""
    stripped = tail.rstrip("\r")
    pending = "\r" if len(stripped) != len(tail) else ""
    return _process_line(stripped) + pending


class _StreamText:
    """The text of one stream output as complete-line chunks plus the unfinished last line."""

    __slots__ = ("chunks", "newlines", "size", "synced_len", "synced_version", "tail", "version")

    def __init__(self) -> None:
        self.chunks: list[str] = []  # processed text, each chunk ending with "\n"
        self.newlines = 0  # number of "\n" in chunks
        self.size = 0  # total length of chunks
        self.tail = ""  # processed last line (no "\n"; maybe one pending "\r" at the end)
        self.version = 0  # bumped by every append
        self.synced_version = -1  # version last written to the output dict
        self.synced_len = 0  # length of the text last written to the output dict

    def append(self, text: str) -> None:
        self.version += 1
        data = self.tail + text
        if "\r" not in data and "\b" not in data:
            cut = data.rfind("\n") + 1
            done, self.tail = data[:cut], data[cut:]
        else:
            lines = data.split("\n")
            last = lines.pop()
            done = "".join(_process_line(line.rstrip("\r")) + "\n" for line in lines)
            self.tail = _process_tail(last)
        if done:
            self.chunks.append(done)
            self.size += len(done)
            self.newlines += done.count("\n")

    def __len__(self) -> int:
        return self.size + len(self.tail)

    def text(self) -> str:
        if len(self.chunks) > 1:
            self.chunks = ["".join(self.chunks)]
        return (self.chunks[0] if self.chunks else "") + self.tail

    def cheap_to_sync(self) -> bool:
        """Small, or grown by half since the last sync (keeps total copying linear)."""
        total = len(self)
        return total <= _SYNC_ALWAYS_BELOW or total - self.synced_len >= self.synced_len // 2

    def line_count(self) -> int:
        """Lines as :func:`stream_preview` counts them (a last line without "\\n" counts)."""
        return self.newlines + (1 if self.tail else 0)

    def head(self, n: int) -> list[str]:
        lines: list[str] = []
        for chunk in self.chunks:
            if len(lines) >= n:
                return lines
            lines.extend(_first_lines(chunk, n - len(lines)))
        if self.tail and len(lines) < n:
            lines.append(self.tail)
        return lines

    def last(self, n: int) -> list[str]:
        lines: list[str] = [self.tail] if self.tail else []
        for chunk in reversed(self.chunks):
            if len(lines) >= n:
                break
            lines[:0] = _last_lines(chunk, n - len(lines))
        return lines[len(lines) - n :] if n > 0 else []


# previews ----------------------------------------------------------------------------------


class Preview(NamedTuple):
    """What a view shows of a long text: the first lines, how many are hidden, the last lines.

    ``head + tail`` (with ``hidden == 0``) is the whole text when it is short enough.
    """

    head: str
    hidden: int
    tail: str


def _first_lines(text: str, n: int) -> list[str]:
    lines: list[str] = []
    start = 0
    while len(lines) < n and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        lines.append(text[start:end])
        start = end
    return lines


def _last_lines(text: str, n: int) -> list[str]:
    lines: list[str] = []
    end = len(text)
    while len(lines) < n and end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        lines.append(text[start:end])
        end = start
    lines.reverse()
    return lines


def stream_preview(text: str, head_lines: int, tail_lines: int) -> Preview:
    """The first ``head_lines`` and last ``tail_lines`` lines of ``text`` and the number of
    lines between them. Lines keep their ``"\\n"``; a last line without one counts as a line.

    Finding the shown lines costs time proportional to them; the hidden count is one
    ``str.count`` over the hidden part.
    """
    head_lines = max(head_lines, 0)
    tail_lines = max(tail_lines, 0)
    first = _first_lines(text, head_lines + tail_lines + 1)
    if len(first) <= head_lines + tail_lines:
        return Preview("".join(first), 0, "")
    head = "".join(first[:head_lines])
    tail = "".join(_last_lines(text, tail_lines))
    middle_start, middle_end = len(head), len(text) - len(tail)
    hidden = text.count("\n", middle_start, middle_end)
    if middle_end == len(text) and not text.endswith("\n"):
        hidden += 1  # the unterminated last line is hidden too
    return Preview(head, hidden, tail)


# display ids -------------------------------------------------------------------------------


class DisplayIndex:
    """Notebook-wide ``display_id`` -> outputs shown with it, for ``update_display_data``.

    Share one index between the :class:`OutputArea` of every cell of a notebook. Entries whose
    output has since been cleared are skipped and dropped. ``listeners`` are called with each
    area an update changed (including areas of other cells than the one receiving the message).
    """

    def __init__(self) -> None:
        self._targets: dict[str, list[tuple[OutputArea, Output]]] = {}
        self.listeners: list[Callable[[OutputArea], None]] = []

    def register(self, display_id: str, area: OutputArea, output: Output) -> None:
        """Remember that ``output`` (a dict in ``area``'s outputs) shows ``display_id``."""
        self._targets.setdefault(display_id, []).append((area, output))

    def _live(self, display_id: str) -> list[tuple[OutputArea, Output]]:
        live = [
            (area, out)
            for area, out in self._targets.get(display_id, [])
            if any(o is out for o in area.raw_outputs)
        ]
        if live:
            self._targets[display_id] = live
        else:
            self._targets.pop(display_id, None)
        return live

    def update(self, display_id: str, data: JSONDict, metadata: JSONDict) -> list[OutputArea]:
        """Replace data and metadata of every live output with ``display_id``; return the areas
        changed (each once, in registration order) after telling the listeners."""
        changed: list[OutputArea] = []
        for area, out in self._live(display_id):
            out["data"] = dict(data)
            out["metadata"] = dict(metadata)
            if not any(a is area for a in changed):
                changed.append(area)
        for area in changed:
            for listener in list(self.listeners):
                listener(area)
        return changed

    def locations(self, display_id: str) -> list[tuple[Hashable | None, int]]:
        """``(area.key, index in its outputs)`` of every live output showing ``display_id``."""
        result: list[tuple[Hashable | None, int]] = []
        for area, out in self._live(display_id):
            for i, o in enumerate(area.raw_outputs):
                if o is out:
                    result.append((area.key, i))
        return result

    def forget(self, area: OutputArea) -> None:
        """Drop every entry of ``area`` (its cell was deleted or its outputs replaced)."""
        for display_id in list(self._targets):
            kept = [(a, o) for a, o in self._targets[display_id] if a is not area]
            if kept:
                self._targets[display_id] = kept
            else:
                del self._targets[display_id]

    def __contains__(self, display_id: object) -> bool:
        return isinstance(display_id, str) and bool(self._live(display_id))


# the output area ---------------------------------------------------------------------------


class OutputArea:
    """The live outputs of one code cell, fed kernel messages in order.

    ``outputs`` is the list given (usually ``cell.outputs``), edited in place. ``key`` is any
    label the caller wants back from :meth:`DisplayIndex.locations` (e.g. the cell id).
    Malformed output messages are dropped and counted in ``dropped``.
    """

    def __init__(
        self,
        outputs: list[Output] | None = None,
        *,
        display_index: DisplayIndex | None = None,
        key: Hashable | None = None,
    ) -> None:
        self._outputs: list[Output] = outputs if outputs is not None else []
        self.display_index = display_index if display_index is not None else DisplayIndex()
        self.key = key
        self.dropped = 0
        self._clear_next = False
        self._stream: _StreamText | None = None
        self._stream_output: Output | None = None

    # the list ------------------------------------------------------------------------------
    @property
    def outputs(self) -> list[Output]:
        """The outputs, with the text of the stream being written brought up to date."""
        self.sync()
        return self._outputs

    @property
    def raw_outputs(self) -> list[Output]:
        """The outputs list as it is (the last stream's ``text`` may lag; see :meth:`sync`)."""
        return self._outputs

    def sync(self) -> None:
        """Make the ``text`` of the stream output being written exact."""
        stream = self._stream
        if stream is not None and stream.synced_version != stream.version:
            self._write_text()

    def _write_text(self) -> None:
        assert self._stream is not None and self._stream_output is not None
        text = self._stream.text()
        self._stream_output["text"] = text
        self._stream.synced_len = len(text)
        self._stream.synced_version = self._stream.version

    def rebind(self, outputs: list[Output]) -> None:
        """Write into ``outputs`` from now on (the cell's list was replaced, e.g. by an edit
        or its undo). Stream merging restarts; display ids shown earlier are forgotten."""
        self.sync()
        self._outputs = outputs
        self._clear_next = False
        self._end_stream()
        self.display_index.forget(self)

    def clear(self) -> None:
        """Remove every output now (and forget a pending ``clear_output(wait=True)``)."""
        self.sync()
        self._outputs.clear()
        self._clear_next = False
        self._end_stream()
        self.display_index.forget(self)

    # messages ------------------------------------------------------------------------------
    def apply(self, msg_type: str, content: Mapping[str, Any]) -> bool:
        """Apply one IOPub message; return True when the outputs changed."""
        if msg_type == "clear_output":
            if content.get("wait"):
                self._clear_next = True
                return False
            changed = bool(self._outputs)
            self.clear()
            return changed
        if msg_type == "update_display_data":
            return self._update_display(content)
        try:
            output = output_from_msg(msg_type, content)
        except OutputError:
            self.dropped += 1
            return False
        if output is None:
            return False
        if self._clear_next:
            self.clear()
        if output["output_type"] == "stream":
            self._add_stream(output)
            return True
        self.sync()
        self._end_stream()
        self._outputs.append(output)
        display_id = _display_id(content)
        if display_id is not None:
            self.display_index.register(display_id, self, output)
        return True

    def _update_display(self, content: Mapping[str, Any]) -> bool:
        display_id = _display_id(content)
        try:
            data = _mimebundle(content.get("data"))
            metadata = _metadata(content)
        except OutputError:
            self.dropped += 1
            return False
        if display_id is None:
            self.dropped += 1
            return False
        changed = self.display_index.update(display_id, data, metadata)
        return any(area is self for area in changed)

    def _end_stream(self) -> None:
        self._stream = None
        self._stream_output = None

    def _add_stream(self, output: Output) -> None:
        last = self._outputs[-1] if self._outputs else None
        if (
            last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == output["name"]
            and isinstance(last.get("text"), str)
        ):
            if self._stream is None or self._stream_output is not last:
                self.sync()  # the stream we were writing (if any) gets its full text
                self._stream = _StreamText()  # merging into an output we did not write
                self._stream.append(last["text"])
                self._stream_output = last
        else:
            self.sync()
            self._stream = _StreamText()
            self._stream_output = output
            self._outputs.append(output)
        self._stream.append(output["text"])
        if self._stream.cheap_to_sync():
            self._write_text()

    # views ---------------------------------------------------------------------------------
    def stream_preview(self, index: int, head_lines: int, tail_lines: int) -> Preview:
        """:func:`stream_preview` of the stream output at ``index``, without building the text
        of a stream still being written."""
        output = self._outputs[index]
        if output.get("output_type") != "stream":
            raise ValueError(f"output {index} is not a stream output")
        stream = self._stream if output is self._stream_output else None
        if stream is None:
            return stream_preview(str(output.get("text", "")), head_lines, tail_lines)
        head_lines = max(head_lines, 0)
        tail_lines = max(tail_lines, 0)
        total = stream.line_count()
        if total <= head_lines + tail_lines:
            return Preview(stream.text(), 0, "")
        head = stream.head(head_lines)
        tail = stream.last(tail_lines)
        return Preview("".join(head), total - len(head) - len(tail), "".join(tail))
