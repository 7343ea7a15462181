"""nbformat's JSON schemas (v3, v4.0 to v4.5 and "latest"), copied verbatim; see LICENSE-nbformat.

A package only so that the ``*.json`` files ship with nbio.
"""
