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


@pytest.mark.parametrize("package", ["tui.render", "tui.graphics"])
def test_renderers_and_graphics_are_toolkit_free(package: str) -> None:
    """The renderers draw with Rich only: the console and ``jtui view`` print the same
    renderables the editor draws, without loading Textual or prompt_toolkit."""
    loaded = _loaded_after_import(package)
    assert not loaded & {"textual", "prompt_toolkit"}, loaded & {"textual", "prompt_toolkit"}


def test_jtui_view_loads_no_toolkit_and_no_kernel_client() -> None:
    code = ("import json, sys\nfrom tui.commands import view\nimport tui.render.document\n"
            "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & {"textual", "prompt_toolkit", "zmq", "protocol"}


def _imports_of(module_path: str) -> set[str]:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tree = ast.parse((root / module_path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # typing-only imports are no runtime dependency
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.body = []  # imported when called: deferred on purpose
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # ``from package import submodule`` imports the submodule
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_import_cycles_between_tui_modules() -> None:
    """Module-level imports among ``tui`` modules form no cycle (imports inside functions,
    deferred until called, are not counted)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    modules = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (root / "tui").rglob("*.py")
    }
    def deps(name: str, path: Path) -> set[str]:
        found = {d for d in _imports_of(str(path.relative_to(root))) if d in modules}
        # a package named only because a submodule of it was imported is not a dependency
        found -= {d for d in found if any(o.startswith(d + ".") for o in found)
                  and name.startswith(d + ".")}
        return found - {name}

    graph = {name: deps(name, path) for name, path in modules.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, stack: list[str]) -> bool:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycle.extend([*stack[stack.index(dep):], dep])
                return True
            if dep not in state and visit(dep, stack):
                return True
        stack.pop()
        state[node] = 2
        return False

    for name in sorted(graph):
        if name not in state and visit(name, []):
            break
    assert not cycle, " -> ".join(cycle)


def test_recovery_is_toolkit_free() -> None:
    """Journals, recovery and autosave's checks load no UI toolkit and no kernel client:
    ``jtui recover`` and the document layer use them without Textual."""
    loaded = _loaded_after_import("tui.recovery")
    assert not loaded & {"textual", "prompt_toolkit", "rich", "zmq", "protocol"}, loaded


def test_jtui_recover_loads_no_toolkit() -> None:
    code = ("import json, sys\nfrom tui.commands import recover\n"
            "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & {"textual", "prompt_toolkit", "rich", "zmq", "protocol"}


def test_widget_manager_is_toolkit_free() -> None:
    """The widget models and their manager load no UI toolkit: views subscribe to them, and
    saving widget state works headless (``jtui run``)."""
    loaded = _loaded_after_import("tui.widgets")
    assert not loaded & set(UI_MODULES), loaded & set(UI_MODULES)


def test_session_comms_are_toolkit_free() -> None:
    code = ("import json, sys\nimport tui.session.comms\n"
            "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & set(UI_MODULES), loaded & set(UI_MODULES)
