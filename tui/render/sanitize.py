"""Kernel output is text that may be coloured, nothing more: :func:`sanitize_sgr_only`.

A kernel (or the program it runs) can print any bytes. Passed to a terminal unfiltered, they
retitle the window (``OSC 2``), write the clipboard (``OSC 52``), make the terminal type a
cursor report into the prompt (``CSI 6n``), switch screens, clear it or reset it. Only SGR
(``ESC [ params m``: colours, bold...) survives here; every other escape sequence, every C1
control and every C0 control but ``\\n``, ``\\t`` and ``\\r`` (kept for progress bars) is
removed. An unterminated string sequence (OSC, DCS, APC, PM, SOS) swallows the rest of the
text, as a terminal would, so a lone ESC is never emitted.

Three regular-expression passes do the work (C1 strings, ESC sequences, lone controls; ASCII
text skips the first and deletes controls with ``str.translate``). No pattern has nested
quantifiers that can backtrack over the same text, so the cost is linear: 50 MB of plain or
coloured text in well under a second; text made only of sequences to remove costs about
0.1 µs per sequence (50 MB of them: a few seconds), which is why callers bound what they
sanitize to what they show (:func:`tui.render.ansi.ansi_text` cuts long lines first).
"""

from __future__ import annotations

import re

_BODY = r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
"""The rest of an OSC, DCS, SOS, PM or APC string, to BEL or ST. As in the DEC parser, an ESC
inside the string ends it (and starts a sequence of its own); unterminated, it runs to the end
of the text."""

_CSI_REST = r"[0-?]*[ -/]*[@-~]?"
"""A CSI's parameters, intermediates and final byte (missing when the text is cut short)."""

_NOT_SGR = r"(?![0-9;:]*m)"

# Three passes, each a pattern with one fixed first character or class, which the regex engine
# finds with a fast scan (one pattern of mixed alternatives is tried at every position, ten
# times slower). C1 first, so that an 8-bit string ended by ``ESC \`` keeps its terminator;
# then ESC sequences (what a C1 removal might have joined is seen here); then lone controls.
_C1_SEQUENCE = re.compile(rf"[\x90\x98\x9d\x9e\x9f]{_BODY}|\x9b{_CSI_REST}")
_C1_START = re.compile(r"[\x90\x98\x9b\x9d\x9e\x9f]")


def _esc_pattern(keep_sgr: bool) -> re.Pattern[str]:
    csi = rf"\[{_NOT_SGR if keep_sgr else ''}{_CSI_REST}"
    return re.compile(
        rf"\x1b(?:{csi}|[\]PX^_]{_BODY}|(?![\[\]PX^_])[ -/]*[0-~]?)"
    )


_ESC_SEQUENCE = _esc_pattern(keep_sgr=True)
"""Every ESC sequence but SGR (a lone ESC too)."""
_ESC_ANY = _esc_pattern(keep_sgr=False)

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]+")
"""C0 controls but ``\t \n \r`` (ESC is handled above), DEL, C1 controls."""

SGR_RE = re.compile(r"\x1b\[[0-9;:]*m")
"""One SGR sequence (``38;5;n``, ``38;2;r;g;b``, colon forms), the only escape
:func:`sanitize_sgr_only` leaves."""


_DELETE_CONTROLS = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1B), *range(0x1C, 0x20), *range(0x7F, 0xA0)]
)
"""The same controls as a ``str.translate`` table (much faster than a regex on ASCII text)."""

_OTHER_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
"""A control that is not ESC, \t, \n or \r."""


def _clean(text: str, esc: re.Pattern[str]) -> str:
    if text.isascii():  # no C1 controls; translate has a fast path for ASCII
        if "\x1b" in text:
            text = esc.sub("", text)
        return text.translate(_DELETE_CONTROLS)
    other = _OTHER_CONTROL.search(text)
    if other is None:
        return esc.sub("", text) if "\x1b" in text else text
    if _C1_START.search(text, other.start()) is not None:
        text = _C1_SEQUENCE.sub("", text)
    if "\x1b" in text:
        text = esc.sub("", text)
    return _CONTROLS.sub("", text)


def sanitize_sgr_only(text: str) -> str:
    """``text`` with every terminal control removed but SGR colour sequences, ``\\n``, ``\\t``
    and ``\\r`` (``\\b`` is removed too). Linear in ``len(text)``."""
    return _clean(text, _ESC_SEQUENCE)


def strip_escapes(text: str) -> str:
    """``text`` without any escape sequence or control (SGR included), ``\\n \\t \\r`` kept:
    what is left is what takes cells on screen. Linear in ``len(text)``."""
    return _clean(text, _ESC_ANY)
