"""Multiline strings: nbformat's rules for joining on read and splitting on write (v4).

In memory a multiline value is one ``str``; on disk nbformat writes most of them as a list of
lines (``str.splitlines(True)``, so every separator ``splitlines`` knows is kept). The exact
rules, from ``nbformat/v4/rwbase.py``:

* read (:func:`join_mimebundle`, used by the reader): in attachments and in the ``data`` of
  ``execute_result``/``display_data``, every non-JSON mimetype whose value is a list of strings
  is joined; any other output with a list-valued ``text`` is joined; sources are joined.
* write (:func:`prepare_v4`): sources (every cell type), ``text/*``,
  ``application/javascript`` and ``image/svg+xml`` values in bundles, and ``stream`` text are
  split when they are strings; transient keys are dropped.
"""

from __future__ import annotations

from typing import Any

from nbio.jsonwrite import Lines

_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})
TRANSIENT_NB_KEYS = ("orig_nbformat", "orig_nbformat_minor", "signature")


def is_json_mime(mime: str) -> bool:
    """``application/json`` or ``application/<anything>+json``: values stay JSON, never joined."""
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _split(value: str) -> Lines:
    return Lines(value.splitlines(True))


def _split_bundle(bundle: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy of a mimebundle with its text values split (as ``_split_mimebundle``)."""
    out = dict(bundle)
    for key, value in bundle.items():
        if isinstance(value, str) and (key.startswith("text/") or key in _SPLIT_MIMES):
            out[key] = _split(value)
    return out


def _prepare_output(output: Any) -> Any:
    if not isinstance(output, dict):
        return output
    otype = output.get("output_type")
    if otype == "execute_result" or otype == "display_data":
        data = output.get("data")
        if isinstance(data, dict):
            output = dict(output)
            output["data"] = _split_bundle(data)
    elif otype == "stream":
        text = output.get("text")
        if isinstance(text, str):
            output = dict(output)
            output["text"] = _split(text)
    return output


def _prepare_cell(cell: Any) -> Any:
    if not isinstance(cell, dict):
        return cell
    out = dict(cell)
    source = cell.get("source")
    if isinstance(source, str):
        out["source"] = _split(source)
    attachments = cell.get("attachments")
    if isinstance(attachments, dict) and attachments:
        out["attachments"] = {
            name: _split_bundle(bundle) if isinstance(bundle, dict) else bundle
            for name, bundle in attachments.items()
        }
    if cell.get("cell_type") == "code":
        outputs = cell.get("outputs")
        if isinstance(outputs, list) and outputs:
            out["outputs"] = [_prepare_output(o) for o in outputs]
    metadata = cell.get("metadata")
    if isinstance(metadata, dict) and "trusted" in metadata:
        metadata = dict(metadata)
        del metadata["trusted"]
        out["metadata"] = metadata
    return out


def prepare_v4(nb: dict[str, Any]) -> dict[str, Any]:
    """The on-disk form of a v4 in-memory dict: ``strip_transient(split_lines(deepcopy(nb)))``.

    Only the containers that change are copied (shallowly); ``nb`` is never modified.
    """
    out = dict(nb)
    metadata = nb.get("metadata")
    if isinstance(metadata, dict) and any(k in metadata for k in TRANSIENT_NB_KEYS):
        out["metadata"] = {k: v for k, v in metadata.items() if k not in TRANSIENT_NB_KEYS}
    cells = nb.get("cells")
    if isinstance(cells, list):
        out["cells"] = [_prepare_cell(c) for c in cells]
    return out
