"""Where a notebook's file comes from: the local disk or a Jupyter Server's contents API.

The editor reads, saves (with a conflict check first), watches and checkpoints its notebook
through one small interface, :class:`~tui.contents.base.NotebookContents`:

* :class:`~tui.contents.local.LocalFile`: a file on this machine (nbio's atomic writes, the
  hash-checked disk stamp, ``.ipynb_checkpoints/`` as jupyter_server lays it out);
* :class:`~tui.contents.remote.ServerFile`: a file on a Jupyter Server (``/api/contents``,
  JupyterLab's hash / last_modified check before a save, server checkpoints).

Every method blocks: the screen calls them from a worker thread.
"""

from tui.contents.base import NotebookContents
from tui.contents.local import LocalFile

__all__ = ["LocalFile", "NotebookContents"]
