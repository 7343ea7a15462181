"""``jupyter_tui.toml`` beyond key bindings: the ``[display]`` table, and the ``--graphics``
option shared by ``jtui``, ``jtui console`` and ``jtui view``.

```toml
[display]
graphics = "auto"            # auto | kitty | sixel | iterm | halfblock | none
mime_order = ["text/html", "image/png", "text/plain"]   # tried first, then the default order
wide_tables = "split"        # jtui view: split | truncate (the editor scrolls sideways)
max_table_rows = 60          # longer tables show their head and tail
json_depth = 2               # JSON trees are folded below this depth
max_image_rows = 40          # an image is at most this many rows high

[editor]
autosave = 120               # seconds between autosaves of a notebook with changes; 0: off
save_widget_state = false    # save the kernel's widgets in metadata.widgets (JupyterLab's
                             # "Save Jupyter widget state in notebooks", off there too)
```
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.render.context import GRAPHICS_MODES

CONFIG_FILE = "jupyter_tui.toml"


def config_path() -> Path:
    """``$JUPYTER_CONFIG_DIR/jupyter_tui.toml`` (``~/.jupyter`` by default)."""
    env = os.environ.get("JUPYTER_CONFIG_DIR")
    return (Path(env) if env else Path.home() / ".jupyter") / CONFIG_FILE


def load_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML file (``ValueError`` when it does not parse)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        try:
            import tomli as tomllib
        except ImportError as exc:
            raise ValueError("reading the config needs the tomli package on Python 3.10") from exc
    with path.open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    return data


@dataclass(frozen=True)
class DisplayConfig:
    """The ``[display]`` table, checked; ``warnings`` says what was ignored and why."""

    graphics: str = "auto"
    mime_order: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    """Renderer settings the file sets (``wide_tables``, ``max_table_rows``, ``json_depth``),
    for :attr:`tui.render.context.RenderContext.options`."""
    max_image_rows: int | None = None
    warnings: tuple[str, ...] = field(default=())


WIDE_TABLES = ("split", "truncate", "scroll")
"""How a table wider than the output is shown: bands of columns, cut with a mark, or whole
(the editor scrolls it sideways)."""

_INT_OPTIONS = {"max_table_rows": 2, "json_depth": 0, "max_image_rows": 1}
"""Integer settings of ``[display]`` and their least allowed value."""


def _options(table: dict[str, Any], path: Path, warnings: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    wide = table.get("wide_tables")
    if wide is not None:
        if wide in WIDE_TABLES:
            options["wide_tables"] = wide
        else:
            warnings.append(f"{path}: [display] wide_tables must be one of "
                            f"{', '.join(WIDE_TABLES)}; got {wide!r}")
    for key, least in _INT_OPTIONS.items():
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            options[key] = value
        else:
            warnings.append(f"{path}: [display] {key} must be a whole number >= {least}; "
                            f"got {value!r}")
    return options


def load_display(path: Path | None = None) -> DisplayConfig:
    """Read ``[display]`` from the config file; a missing file gives the defaults."""
    path = path or config_path()
    if not path.exists():
        return DisplayConfig()
    try:
        data = load_toml(path)
    except (OSError, ValueError) as exc:
        return DisplayConfig(warnings=(f"{path}: {exc}; using the default display settings",))
    table = data.get("display", {})
    if not isinstance(table, dict):
        return DisplayConfig(warnings=(f"{path}: [display] must be a table",))
    warnings: list[str] = []
    graphics = table.get("graphics", "auto")
    if graphics != "auto" and graphics not in GRAPHICS_MODES:
        warnings.append(f"{path}: [display] graphics must be one of auto, "
                        f"{', '.join(GRAPHICS_MODES)}; got {graphics!r}")
        graphics = "auto"
    order = table.get("mime_order", [])
    if not isinstance(order, list) or not all(isinstance(m, str) for m in order):
        warnings.append(f"{path}: [display] mime_order must be a list of MIME types")
        order = []
    options = _options(table, path, warnings)
    rows = options.pop("max_image_rows", None)
    return DisplayConfig(graphics=graphics, mime_order=tuple(order), options=options,
                         max_image_rows=rows, warnings=tuple(warnings))


def mime_order(config: DisplayConfig) -> tuple[str, ...]:
    """The registry's order with the user's preferred types first."""
    from tui.render.registry import DEFAULT_ORDER

    first = tuple(m.lower() for m in config.mime_order)
    return first + tuple(m for m in DEFAULT_ORDER if m not in first)


def add_graphics_argument(parser: argparse.ArgumentParser) -> None:
    """``--graphics auto|kitty|sixel|iterm|halfblock|none``."""
    parser.add_argument("--graphics", choices=("auto", *GRAPHICS_MODES), default=None,
                        help="how to draw images (default: [display] graphics in "
                             "jupyter_tui.toml, else auto: detect the terminal)")


def chosen_graphics(flag: str | None, config: DisplayConfig) -> str:
    """The mode asked for: the flag, else the config file, else ``auto``."""
    return flag or config.graphics or "auto"


def terminal_is_interactive(streams: Sequence[Any] = ()) -> bool:
    """True when every stream (stdin and stdout by default) is a terminal."""
    streams = streams or (sys.stdin, sys.stdout)
    return all(getattr(s, "isatty", lambda: False)() for s in streams)


@dataclass(frozen=True)
class EditorConfig:
    """The ``[editor]`` table, checked; ``warnings`` says what was ignored and why."""

    autosave: float = 120.0
    """Seconds between autosaves (0: off)."""
    save_widget_state: bool = False
    """Write the live widgets' state into ``metadata.widgets`` on save (JupyterLab's
    ``saveState`` setting of @jupyter-widgets/jupyterlab-manager, whose default is false)."""
    warnings: tuple[str, ...] = ()


def load_editor(path: Path | None = None) -> EditorConfig:
    """Read ``[editor]`` from the config file; a missing file gives the defaults."""
    path = path or config_path()
    if not path.exists():
        return EditorConfig()
    try:
        data = load_toml(path)
    except (OSError, ValueError) as exc:
        return EditorConfig(warnings=(f"{path}: {exc}; using the default editor settings",))
    table = data.get("editor", {})
    if not isinstance(table, dict):
        return EditorConfig(warnings=(f"{path}: [editor] must be a table",))
    warnings: list[str] = []
    value = table.get("autosave", EditorConfig.autosave)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        warnings.append(f"{path}: [editor] autosave must be a number of seconds >= 0 "
                        f"(0 turns it off); got {value!r}")
        value = EditorConfig.autosave
    widgets = table.get("save_widget_state", EditorConfig.save_widget_state)
    if not isinstance(widgets, bool):
        warnings.append(f"{path}: [editor] save_widget_state must be true or false; "
                        f"got {widgets!r}")
        widgets = EditorConfig.save_widget_state
    return EditorConfig(autosave=float(value), save_widget_state=widgets,
                        warnings=tuple(warnings))
