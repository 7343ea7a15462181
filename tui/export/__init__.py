"""Exporters behind ``jtui convert``: a notebook (nbio model) to another format's text.

Each exporter is a function ``(notebook, name) -> Export``: ``name`` is the output's stem
(``analysis`` for ``analysis.md``), used to name the files beside it (``analysis_files/``).
None of them imports Textual; HTML goes through nbconvert, an optional extra.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbio.model import Notebook


class ExportError(Exception):
    """The notebook cannot be exported to that format (said to the user as it is)."""


@dataclass
class Export:
    """An exported document: its text, and files to write beside it (relative path -> bytes,
    e.g. ``analysis_files/analysis_3_0.png``)."""

    text: str
    resources: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    """One ``--to`` format: its exporter and the suffix of its files (None: by language)."""

    name: str
    summary: str
    suffix: str | None
    export: Callable[[Notebook, str], Export]


def _percent(nb: Notebook, name: str) -> Export:
    from nbio.text import writes_percent

    return Export(writes_percent(nb, ".py"))


def _auto_percent(nb: Notebook, name: str) -> Export:
    from nbio.text import writes_percent

    return Export(writes_percent(nb, percent_suffix(nb)))


def _jupytext_md(nb: Notebook, name: str) -> Export:
    from nbio.text import writes_percent

    return Export(writes_percent(nb, ".md"))


def _ipynb(nb: Notebook, name: str) -> Export:
    import nbio

    return Export(nbio.writes(nb) + "\n")


def _script(nb: Notebook, name: str) -> Export:
    from tui.export.script import export_script

    return export_script(nb)


def _markdown(nb: Notebook, name: str) -> Export:
    from tui.export.markdown import export_markdown

    return export_markdown(nb, name)


def _html(nb: Notebook, name: str) -> Export:
    from tui.export.html import export_html

    return export_html(nb, name)


def percent_suffix(nb: Notebook) -> str:
    """The script suffix of the notebook's language, for the percent format."""
    from nbio.text import suffix_for_language

    suffix = suffix_for_language(nb.language)
    if suffix is None:
        raise ExportError(f"no percent format for the language {nb.language!r}; "
                          "--to py:percent writes a .py file anyway")
    return suffix


def script_suffix(nb: Notebook) -> str:
    """The suffix nbconvert's script exporter gives: ``language_info.file_extension``."""
    info = nb.metadata.get("language_info")
    ext = info.get("file_extension") if isinstance(info, dict) else None
    if isinstance(ext, str) and ext.startswith(".") and len(ext) > 1:
        return ext
    from nbio.text import suffix_for_language

    return suffix_for_language(nb.language) or ".txt"


FORMATS: dict[str, Format] = {
    "py:percent": Format("py:percent", "a Python script in jupytext's percent format", ".py",
                         _percent),
    "percent": Format("percent", "the percent format in the notebook language's script "
                      "(.py, .R, .jl, .sh...)", None, _auto_percent),
    "script": Format("script", "the language's plain script: code, markdown as comments "
                     "(nbconvert --to script)", None, _script),
    "markdown": Format("markdown", "markdown with outputs as text, images beside it "
                       "(nbconvert --to markdown)", ".md", _markdown),
    "md:jupytext": Format("md:jupytext", "jupytext's markdown notebook: code cells fenced, no "
                          "outputs (jupytext --to md)", ".md", _jupytext_md),
    "html": Format("html", "a web page (through nbconvert: pip install 'jupyter-tui[convert]')",
                   ".html", _html),
    "ipynb": Format("ipynb", "a Jupyter notebook (from a text notebook)", ".ipynb", _ipynb),
}
"""The formats of ``jtui convert --to``, by name."""

ALIASES = {"md": "markdown", "notebook": "ipynb", "py": "py:percent", "python": "script",
           "auto:percent": "percent"}
"""Other names users type for them (jupytext's and nbconvert's)."""


def find_format(name: str) -> Format | None:
    """The format called ``name`` (or one of :data:`ALIASES`), or None."""
    key = name.strip().lower()
    return FORMATS.get(ALIASES.get(key, key))


def output_suffix(fmt: Format, nb: Notebook) -> str:
    """The suffix of the output file for this notebook."""
    if fmt.suffix is not None:
        return fmt.suffix
    return percent_suffix(nb) if fmt.name == "percent" else script_suffix(nb)
