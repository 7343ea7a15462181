"""``jtui convert --to html``: through nbconvert's HTML exporter, when it is installed
(``pip install 'jupyter-tui[convert]'``); a clear :class:`~tui.export.ExportError` otherwise."""

from __future__ import annotations

from nbio.model import Notebook
from tui.export import Export, ExportError

MISSING = ("HTML needs nbconvert, which is not installed: pip install 'jupyter-tui[convert]' "
           "(or pip install nbconvert)")


def export_html(nb: Notebook, name: str) -> Export:
    """The notebook as one HTML page (pictures embedded, as nbconvert embeds them)."""
    try:
        import nbformat
        from nbconvert import HTMLExporter
    except ImportError:
        raise ExportError(MISSING) from None
    import nbio

    node = nbformat.reads(nbio.writes(nb), as_version=4)
    try:
        body, _resources = HTMLExporter().from_notebook_node(node)
    except Exception as e:  # nbconvert's own failure (a template, pandoc...), said as it is
        raise ExportError(f"nbconvert could not make HTML: {type(e).__name__}: {e}") from None
    return Export(str(body))
