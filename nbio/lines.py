"""Shared rules of nbformat's v4 reader and writer (``nbformat/v4/rwbase.py``).

In memory a multiline value is one ``str``; on disk most are a list of lines. The reader
(:mod:`nbio.reader`) joins sources, non-JSON mimebundle values made only of strings, and any
output's list-valued ``text``; the writer (:func:`nbio.jsonwrite.dumps_notebook`) splits
sources, ``text/*``, ``application/javascript`` and ``image/svg+xml`` bundle values and
``stream`` text with ``str.splitlines(True)``. Both drop the transient keys below.
"""

from __future__ import annotations

TRANSIENT_NB_KEYS = ("orig_nbformat", "orig_nbformat_minor", "signature")


def is_json_mime(mime: str) -> bool:
    """``application/json`` or ``application/<anything>+json``: values stay JSON, never joined."""
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )
