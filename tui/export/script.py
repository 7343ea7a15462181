"""``jtui convert --to script``: what nbconvert's script exporter writes.

A notebook whose ``language_info.nbconvert_exporter`` is ``python`` gets nbconvert's Python
script: ``#!/usr/bin/env python`` and ``# coding: utf-8``, markdown as ``# `` comments, each
code cell after an ``# In[N]:`` prompt, IPython syntax (``%magic``, ``!cmd``) turned into plain
Python by IPython's own transformer, as nbconvert does. Any other notebook gets the code
cells as they are, a blank line apart (nbconvert's plain script template). Raw cells whose
``raw_mimetype`` is empty (or the script's own) are copied verbatim, as there.
"""

from __future__ import annotations

from nbio.model import Notebook
from tui.export import Export


def _ipython2python(code: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # ipykernel brings IPython; without it the code stays as it is
        return code
    try:
        return str(TransformerManager().transform_cell(code))
    except Exception:  # a cell IPython cannot parse is kept as written
        return code


def _comment(text: str) -> str:
    return "\n".join("# " + line for line in text.split("\n"))


def _exporter(nb: Notebook) -> str | None:
    info = nb.metadata.get("language_info")
    name = info.get("nbconvert_exporter") if isinstance(info, dict) else None
    return name if isinstance(name, str) else None


def _raw(cell_metadata: dict[str, object], mimetypes: tuple[str, ...]) -> bool:
    return str(cell_metadata.get("raw_mimetype", "")).lower() in mimetypes


def export_script(nb: Notebook) -> Export:
    """The notebook as its language's script."""
    out: list[str] = []
    if _exporter(nb) != "python":
        for cell in nb.cells:
            if cell.cell_type == "code":
                out.append(cell.source + "\n\n")
            elif cell.cell_type == "raw" and _raw(cell.metadata, ("",)):
                out.append(cell.source)
        text = "".join(out)  # Jinja drops the template's last newline
        return Export(text[:-1] if text.endswith("\n") else text)
    out.append("#!/usr/bin/env python\n# coding: utf-8\n")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            out.append("\n" + _comment(cell.source) + "\n")
        elif cell.cell_type == "code":
            count = cell.execution_count
            out.append(f"\n# In[{count if count else ' '}]:\n\n\n")
            out.append(_ipython2python(cell.source) + "\n")
        elif cell.cell_type == "raw" and _raw(cell.metadata, ("text/x-python", "")):
            out.append(cell.source)
    return Export("".join(out))
