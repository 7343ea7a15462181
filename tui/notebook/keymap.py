"""Key bindings as data: every binding has an id, a scope, default keys and a description.

Scopes: ``global`` (the notebook screen, any mode), ``command`` (command mode: the cell list is
focused), ``edit`` (edit mode: a cell editor is focused), ``find`` (the find / replace bar),
``widget`` (an ipywidget of an output is focused).
Widgets build their ``BINDINGS`` from this table, so the help screen, the command palette and
the README list the same thing.

Users remap keys in ``jupyter_tui.toml`` in the Jupyter config directory (``$JUPYTER_CONFIG_DIR``
or ``~/.jupyter``)::

    [keys]
    "notebook.insert-below" = "b,ctrl+b"
    "notebook.delete" = "d"

Keys are Textual key names, comma separated. Remapping goes through Textual's keymap
(``App.set_keymap``), keyed by binding id.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.binding import Binding

CONFIG_FILE = "jupyter_tui.toml"
"""The config file's name inside the Jupyter config directory."""


@dataclass(frozen=True)
class KeySpec:
    """One binding: ``id`` (what users remap), ``scope``, default ``keys``, the ``action``
    (a Textual action string, run on the widget of the scope or the namespace it names),
    a ``description`` and, for keys some terminals cannot send, the ``fallback`` among them."""

    id: str
    scope: str
    keys: str
    action: str
    description: str
    fallback: str = ""
    show: bool = False
    priority: bool = False
    """Checked before the focused widget sees the key (Tab, which a TextArea would consume)."""

    def binding(self) -> Binding:
        """The Textual :class:`Binding` for this spec."""
        return Binding(expand_keys(self.keys), self.action, self.description, show=self.show,
                       id=self.id, priority=self.priority)


def expand_keys(keys: str) -> str:
    """Add ``shift+x`` beside each upper-case ``X`` (terminals using the kitty keyboard protocol
    report Shift+J that way, legacy ones as ``J``)."""
    out: list[str] = []
    for key in keys.split(","):
        out.append(key)
        if len(key) == 1 and key.isalpha() and key.isupper():
            out.append(f"shift+{key.lower()}")
    return ",".join(out)


def _g(id: str, keys: str, action: str, desc: str, fallback: str = "") -> KeySpec:
    return KeySpec(id, "global", keys, action, desc, fallback)


def _c(id: str, keys: str, action: str, desc: str, fallback: str = "") -> KeySpec:
    return KeySpec(id, "command", keys, "screen." + action, desc, fallback)


def _e(id: str, keys: str, action: str, desc: str, fallback: str = "") -> KeySpec:
    return KeySpec(id, "edit", keys, action, desc, fallback)


def _w(id: str, keys: str, action: str, desc: str) -> KeySpec:
    return KeySpec(id, "widget", keys, action, desc)


def _f(id: str, keys: str, action: str, desc: str, fallback: str = "",
       priority: bool = False) -> KeySpec:
    return KeySpec(id, "find", keys, action, desc, fallback, priority=priority)


DEFAULTS: tuple[KeySpec, ...] = (
    # global ------------------------------------------------------------------------------
    _g("app.save", "ctrl+s", "save", "Save the notebook"),
    _g("app.find", "ctrl+f", "find", "Find across cells"),
    _g("app.replace", "ctrl+h", "find(True)", "Find and replace across cells"),
    _g("app.palette", "ctrl+shift+c,ctrl+p", "app.command_palette", "Command palette", "ctrl+p"),
    _g("app.help", "f1", "help", "Show all key bindings"),
    _g("app.quit", "ctrl+q", "request_quit", "Quit (asks when there are unsaved changes)"),
    # command mode ------------------------------------------------------------------------
    _c("notebook.edit", "enter", "edit_mode", "Edit the selected cell"),
    _c("notebook.help", "h", "help", "Show all key bindings"),
    _c("notebook.select-above", "up,k", "select_above", "Select the cell above"),
    _c("notebook.select-below", "down,j", "select_below", "Select the cell below"),
    _c("notebook.extend-above", "shift+up,K", "extend_above", "Extend the selection above"),
    _c("notebook.extend-below", "shift+down,J", "extend_below", "Extend the selection below"),
    _c("notebook.extend-top", "shift+home", "extend_top", "Extend the selection to the top"),
    _c("notebook.extend-bottom", "shift+end", "extend_bottom",
       "Extend the selection to the bottom"),
    _c("notebook.select-all", "ctrl+a", "select_all", "Select all cells"),
    _c("notebook.first", "home,g", "first_cell", "Go to the first cell"),
    _c("notebook.last", "end,G", "last_cell", "Go to the last cell"),
    _c("notebook.page-down", "pagedown,space", "page_down", "Scroll down one page"),
    _c("notebook.page-up", "pageup,shift+space", "page_up", "Scroll up one page"),
    _c("notebook.collapse-selection", "escape", "collapse_selection",
       "Reduce the selection to the active cell"),
    _c("notebook.insert-above", "a", "insert_above", "Insert a cell above"),
    _c("notebook.insert-below", "b", "insert_below", "Insert a cell below"),
    _c("notebook.delete", "d", "delete_chord", "Delete the selected cells (press twice: d,d)"),
    _c("notebook.cut", "x", "cut", "Cut the selected cells"),
    _c("notebook.copy", "c", "copy", "Copy the selected cells (their text to the clipboard too)"),
    _c("notebook.paste-below", "v", "paste_below", "Paste cells below"),
    _c("notebook.paste-above", "V", "paste_above", "Paste cells above"),
    _c("notebook.copy-output", "alt+c", "copy_output", "Copy the cell's output text"),
    _c("notebook.undo", "z", "undo", "Undo a cell operation"),
    _c("notebook.redo", "Z", "redo", "Redo a cell operation"),
    _c("notebook.to-code", "y", "change_type('code')", "Change to a code cell"),
    _c("notebook.to-markdown", "m", "change_type('markdown')", "Change to a markdown cell"),
    _c("notebook.to-raw", "r", "change_type('raw')", "Change to a raw cell"),
    *(_c(f"notebook.heading-{n}", str(n), f"heading({n})", f"Change to a heading {n}")
      for n in range(1, 7)),
    _c("notebook.merge", "M", "merge", "Merge the selected cells (or with the cell below)"),
    _c("notebook.merge-above", "ctrl+backspace", "merge_above", "Merge with the cell above"),
    _c("notebook.merge-below", "ctrl+shift+m", "merge_below", "Merge with the cell below"),
    _c("notebook.move-up", "ctrl+shift+up,alt+up", "move(-1)", "Move the cells up", "alt+up"),
    _c("notebook.move-down", "ctrl+shift+down,alt+down", "move(1)", "Move the cells down",
       "alt+down"),
    _c("notebook.line-numbers", "L", "toggle_line_numbers", "Toggle line numbers"),
    _c("notebook.toggle-output", "o", "toggle_output", "Show or hide the cell's output"),
    _c("notebook.external-editor", "e", "external_editor", "Edit the cell in $EDITOR"),
    _c("notebook.run", "ctrl+enter,ctrl+e", "run('stay')", "Run the selected cells", "ctrl+e"),
    _c("notebook.run-advance", "shift+enter,ctrl+r", "run('advance')",
       "Run and select the next cell", "ctrl+r"),
    _c("notebook.run-insert", "alt+enter", "run('insert')", "Run and insert a cell below"),
    _c("kernel.interrupt", "i", "kernel_interrupt_chord",
       "Interrupt the kernel (press twice: i,i)"),
    _c("kernel.restart", "0", "kernel_restart_chord", "Restart the kernel (press twice: 0,0)"),
    _c("kernel.expand-output", "O", "kernel_expand_output", "Show more of a long output"),
    _c("kernel.cycle-output", "t", "kernel_cycle_output",
       "Show the outputs' next representation (table, text...)"),
    _c("kernel.output-scroll-left", "less_than_sign", "kernel_scroll_output(-1)",
       "Scroll the cell's wide tables left", "<"),
    _c("kernel.output-scroll-right", "greater_than_sign", "kernel_scroll_output(1)",
       "Scroll the cell's wide tables right", ">"),
    _c("notebook.widgets", "tab", "focus_widgets",
       "Go to the widgets (sliders, buttons...) of the cell's output"),
    # edit mode ---------------------------------------------------------------------------
    _e("edit.command-mode", "escape", "screen.command_mode", "Leave edit mode"),
    _e("edit.run", "ctrl+enter,ctrl+e", "run('stay')", "Run the cell", "ctrl+e"),
    _e("edit.run-advance", "shift+enter,ctrl+r", "run('advance')",
       "Run the cell and select the next", "ctrl+r"),
    _e("edit.run-insert", "alt+enter", "run('insert')", "Run the cell and insert one below"),
    KeySpec("edit.complete", "edit", "tab", "screen.kernel_complete",
            "Complete at the cursor (indent where the line is blank)", priority=True),
    _e("edit.inspect", "shift+tab", "screen.kernel_inspect",
       "Show help for the name at the cursor"),
    _e("edit.split", "ctrl+shift+minus,ctrl+backslash", "screen.split_cell",
       "Split the cell at the cursor", "ctrl+backslash"),
    _e("edit.comment", "ctrl+slash,ctrl+underscore", "toggle_comment",
       "Toggle comments on the selected lines", "ctrl+underscore"),
    _e("edit.undo", "ctrl+z", "undo", "Undo a text edit"),
    _e("edit.redo", "ctrl+y,ctrl+shift+z", "redo", "Redo a text edit"),
    # widgets of an output (a slider, a button...) ----------------------------------------
    _w("widget.next", "tab", "next_widget(1)", "The next widget of the output"),
    _w("widget.previous", "shift+tab", "next_widget(-1)", "The previous widget of the output"),
    _w("widget.leave", "escape", "leave", "Back to the cells (command mode)"),
    _w("widget.increase", "right", "adjust(1)", "Increase the value, the next option"),
    _w("widget.decrease", "left", "adjust(-1)", "Decrease the value, the previous option"),
    _w("widget.down", "down", "vertical(1)", "The option below (a slider: down)"),
    _w("widget.up", "up", "vertical(-1)", "The option above (a slider: up)"),
    _w("widget.page-up", "pageup", "adjust(10)", "Increase the value by 10 steps"),
    _w("widget.page-down", "pagedown", "adjust(-10)", "Decrease the value by 10 steps"),
    _w("widget.first", "home", "extreme(-1)", "The lowest value, the first option"),
    _w("widget.last", "end", "extreme(1)", "The highest value, the last option"),
    _w("widget.press", "enter,space", "press", "Press the button, toggle the box"),
    # find bar: keys every terminal (and tmux) sends as themselves, Alt+A beside its fallback.
    # Priority: they run as they arrive, before the keys typed after them reach a field.
    _f("find.close", "escape", "close", "Close the find bar"),
    _f("find.submit", "enter", "submit",
       "Next match (find field); replace this match (replacement field)", priority=True),
    _f("find.next", "down,f3,ctrl+g", "step(1)", "Next match"),
    _f("find.previous", "up,shift+f3,ctrl+shift+g", "step(-1)", "Previous match", "up"),
    _f("find.other-field", "tab,shift+tab", "other_field",
       "Go to the other field (from find, opens replace: Ctrl+F, Tab = Ctrl+H)", priority=True),
    _f("find.replace-all", "alt+a,ctrl+r", "replace_all",
       "Replace all matches (one undo step)", "ctrl+r", priority=True),
)


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, in table order."""
    return [spec.binding() for spec in DEFAULTS if spec.scope == scope]


def config_dir() -> Path:
    """The Jupyter config directory: ``$JUPYTER_CONFIG_DIR`` or ``~/.jupyter``."""
    env = os.environ.get("JUPYTER_CONFIG_DIR")
    return Path(env) if env else Path.home() / ".jupyter"


def config_path() -> Path:
    """Where the user's ``jupyter_tui.toml`` lives."""
    return config_dir() / CONFIG_FILE


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        try:
            import tomli as tomllib
        except ImportError as exc:
            raise ValueError("reading the config needs the tomli package on Python 3.10") from exc
    with path.open("rb") as f:
        return tomllib.load(f)


def load_user_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """Read the ``[keys]`` table of the config file.

    Returns ``(keymap, warnings)``: binding id -> keys for known ids, and a line per problem
    (unreadable file, unknown id, keys that are not a string). A missing file is no problem.
    """
    path = path or config_path()
    if not path.exists():
        return {}, []
    try:
        data = _load_toml(path)
    except (OSError, ValueError) as exc:
        return {}, [f"{path}: {exc}; using the default keys"]
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return {}, [f"{path}: [keys] must be a table"]
    known = {spec.id for spec in DEFAULTS}
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, keys in table.items():
        if binding_id not in known:
            warnings.append(f"{path}: unknown binding id {binding_id!r}")
        elif not isinstance(keys, str) or not keys.strip():
            warnings.append(f"{path}: keys for {binding_id!r} must be a non-empty string")
        else:
            keymap[binding_id] = expand_keys(keys.replace(" ", ""))
    return keymap, warnings


def effective_keys(spec: KeySpec, keymap: dict[str, str]) -> str:
    """The keys a binding answers to after the user's remapping."""
    return keymap.get(spec.id, spec.keys)


def display_keys(keys: str) -> str:
    """``"shift+up,K"`` -> ``"Shift+Up / K"`` for help and the palette."""
    out = []
    for key in keys.split(","):
        parts = key.split("+")
        out.append("+".join(p if len(p) == 1 else p.capitalize() for p in parts))
    return " / ".join(out)
