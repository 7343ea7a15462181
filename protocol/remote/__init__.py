"""Remote kernels: a Jupyter Server's REST API and its kernel WebSocket.

* :mod:`protocol.remote.urls`: what a browser shows (``/lab/tree/...?token=...``) split into the
  server's base URL, a notebook path and a token; URLs for logs with the token removed.
* :mod:`protocol.remote.rest`: the REST client (``/api``, ``/api/me``, kernelspecs, kernels,
  sessions), token in the ``Authorization`` header only, readable errors.
* :mod:`protocol.remote.contents`: ``/api/contents`` for one file: its text and stamp, a save
  (JupyterLab's hash / last_modified check is the caller's), checkpoints.
* :mod:`protocol.remote.framing`: sans-IO encoding of kernel messages for the WebSocket, in the
  ``v1.kernel.websocket.jupyter.org`` subprotocol and the legacy JSON form.
* :mod:`protocol.remote.websocket`: a kernel client over that WebSocket, with the same events
  and request methods as the zmq :class:`~protocol.client.KernelClient`.
"""
