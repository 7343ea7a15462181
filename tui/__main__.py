"""``python -m tui`` runs the ``jtui`` command."""

from __future__ import annotations

from tui.cli import main

raise SystemExit(main())
