"""The layer boundaries of ARCHITECTURE.md, enforced: lower layers never load UI toolkits."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

UI_MODULES = ("textual", "rich", "prompt_toolkit")


def _loaded_after_import(package: str) -> set[str]:
    code = (
        "import json, sys, importlib, pkgutil\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("package", ["nbio", "protocol"])
def test_lower_layers_load_no_ui_toolkit(package: str) -> None:
    loaded = _loaded_after_import(package)
    assert not loaded & set(UI_MODULES), f"{package} pulled in {loaded & set(UI_MODULES)}"


def test_nbio_loads_no_zmq_and_no_protocol() -> None:
    loaded = _loaded_after_import("nbio")
    assert "zmq" not in loaded
    assert "protocol" not in loaded
    assert "tui" not in loaded


def test_protocol_loads_no_nbio() -> None:
    loaded = _loaded_after_import("protocol")
    assert "nbio" not in loaded
    assert "tui" not in loaded
