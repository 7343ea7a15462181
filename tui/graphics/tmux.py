"""tmux passthrough: an escape sequence wrapped so tmux hands it to the outer terminal."""

from __future__ import annotations

from collections.abc import Mapping

ESC = "\x1b"


def wrap_tmux(sequence: str) -> str:
    """``sequence`` inside tmux's passthrough (``ESC Ptmux; ... ESC \\``), every ESC doubled.

    tmux forwards it only with ``set -g allow-passthrough on`` (tmux >= 3.3).
    """
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ESC}\\"


def in_tmux(env: Mapping[str, str]) -> bool:
    """True when the environment ``env`` says we run inside tmux."""
    return bool(env.get("TMUX"))
