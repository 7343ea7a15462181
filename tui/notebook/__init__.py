"""The notebook editor (``jtui PATH``): a Textual app over the nbio model."""

from __future__ import annotations
