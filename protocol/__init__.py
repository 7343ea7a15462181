"""protocol: jupyter-tui's implementation of the Jupyter messaging protocol (on pyzmq).

A sans-IO core (wire frames, signing, message construction, request tracking) and thin asyncio
adapters around it (transport, heartbeat, kernel launcher, kernelspecs, connection files).
"""

from __future__ import annotations
