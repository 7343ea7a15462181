"""Turning notebook content (sources, outputs, ANSI text, markdown) into Rich renderables.

Shared by the notebook editor and, later, the console. Nothing here knows about Textual
widgets or kernels: functions take plain strings and nbformat output dicts.
"""

from __future__ import annotations
