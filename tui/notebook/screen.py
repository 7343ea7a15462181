"""The notebook screen: owns the model and its undo history, turns actions into nbio edits.

Widgets below it get attributes (the cells, the cursor, the selection); they send messages up
(:class:`~tui.notebook.messages.RunRequested`, :class:`~tui.notebook.messages.CellClicked`,
find requests). Every change to the notebook goes through :class:`nbio.edits.History`, so every
cell operation can be undone and the unsaved-changes mark is exact.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import TextArea

from nbio import edits
from nbio.model import Cell, Notebook, default_id_factory
from tui.contents import LocalFile, NotebookContents
from tui.notebook import keymap
from tui.notebook.autosave_hooks import AutosaveMixin
from tui.notebook.cell_list import CellList
from tui.notebook.cell_view import CellEditor, ViewOptions
from tui.notebook.chrome import StatusBar, TitleBar
from tui.notebook.clipboard import Clipboard
from tui.notebook.file_commands import FileCommands, FileCommandsMixin
from tui.notebook.find import FindBar, Match, find_matches, replace_in
from tui.notebook.journal_hooks import JournalMixin
from tui.notebook.kernel_actions import KernelScreenMixin
from tui.notebook.kernel_commands import KernelCommands
from tui.notebook.messages import CellClicked, EditorScrolledAway, RunRequested
from tui.notebook.palette import NotebookCommands
from tui.notebook.problems import ProblemsMixin
from tui.notebook.saving import SaveMixin
from tui.notebook.stdin_bar import StdinBar
from tui.notebook.trust_hooks import TrustMixin
from tui.notebook.typeahead import hold_keys_until
from tui.render.highlight import language_of
from tui.render.outputs import outputs_text

CHORD_SECONDS = 1.0
"""The second ``d`` of ``d,d`` must follow the first within this time."""

COMMENT_PREFIXES = {"r": "#", "julia": "#", "bash": "#", "javascript": "//", "typescript": "//",
                    "c++": "//", "cpp": "//", "rust": "//", "go": "//", "sql": "--",
                    "haskell": "--", "lua": "--", "matlab": "%", "octave": "%"}

FALLBACK_HINT = (
    "If your terminal cannot send Shift+Enter, Ctrl+Enter or Ctrl+Shift+keys: Ctrl+R runs and "
    "advances, Ctrl+E runs, Ctrl+\\ splits, Alt+Up/Down move cells, Ctrl+P opens the palette."
)


class NotebookScreen(SaveMixin, FileCommandsMixin, ProblemsMixin, TrustMixin, JournalMixin,
                     AutosaveMixin, KernelScreenMixin, Screen[None]):
    """One notebook: title bar, the virtual cell list, find bar, status bar."""

    DEFAULT_CSS = """
    NotebookScreen > #bottom { dock: bottom; height: auto; }
    """

    BINDINGS = keymap.bindings("global")
    COMMANDS = {NotebookCommands, KernelCommands, FileCommands}

    def __init__(self, nb: Notebook, path: Path, *, is_new: bool = False,
                 clipboard: Clipboard | None = None, check_disk_every: float = 2.0,
                 contents: NotebookContents | None = None) -> None:
        super().__init__()
        self.nb = nb
        self.path = path
        self._contents = contents
        self._base_dir_of: Path | None = None
        self.is_new = is_new
        self.history = edits.History(nb)
        self.history.listeners.append(self._on_history)
        self.clipboard = clipboard or Clipboard()
        self.mode = "command"
        self.cursor = 0
        self.anchor = 0
        self.line_numbers = False
        self.hidden_outputs: set[int] = {
            id(c.data) for c in nb.cells
            if isinstance(c.metadata.get("jupyter"), dict)
            and c.metadata["jupyter"].get("outputs_hidden") is True
        }
        self.message = ""
        self.matches: list[Match] = []
        self.match_index = -1
        self._chord_at = 0.0
        self._hint_shown = False
        self._disk_prompted = False
        self._disk_deleted = False
        self._disk_checking = False
        self._check_disk_every = check_disk_every
        self._save_lock = asyncio.Lock()
        self._saves_pending = 0
        self._editor_rows: tuple[TextArea, int] | None = None
        """The text area last changed and its rows then (see :meth:`_text_changed`)."""
        language = language_of(nb.metadata)
        self.options = ViewOptions(language=language,
                                   comment=COMMENT_PREFIXES.get(language.lower(), "#"))

    # layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Title, cells, find bar, status."""
        yield TitleBar(id="title")
        with Vertical(id="bottom"):  # the find bar is mounted above the status on first use
            yield StatusBar(id="status")
        yield CellList(id="cells")

    @property
    def contents(self) -> NotebookContents:
        """Where the notebook is stored: ``contents`` as given (a server), else the file at
        :attr:`path` (which save as and rename move)."""
        return self._contents if self._contents is not None else LocalFile(self.path)

    @property
    def cell_list(self) -> CellList:
        """The virtual list widget."""
        return self.query_one(CellList)

    def on_mount(self) -> None:
        """Hand the cells to the list, focus it, start watching the file."""
        cl = self.cell_list
        cl.cells = self.nb.cells
        cl.options = self.options
        cl.hidden_outputs = self.hidden_outputs
        self._base_dir_of = self.path
        cl.base_dir = self.path.resolve().parent
        display = getattr(self.app, "output_display", None)
        if display is not None:
            cl.display_settings = display
        self._push_state()
        cl.focus()
        if self._check_disk_every > 0 and not self.contents.remote:
            self.set_interval(self._check_disk_every, self._check_disk)

    # state going down ----------------------------------------------------------------------
    @property
    def selected(self) -> list[int]:
        """Indices of the selected cells (the cursor's block), in order."""
        if not self.nb.cells:
            return []
        lo, hi = sorted((self.anchor, self.cursor))
        return list(range(lo, hi + 1))

    @property
    def dirty(self) -> bool:
        """Unsaved changes: in the history, or typed into the open editor."""
        if self.history.dirty or self.is_new:
            return True
        editor = self.editor
        return editor is not None and editor.text != self.nb.cells[editor.index].source

    @property
    def editor(self) -> CellEditor | None:
        """The open cell editor, if in edit mode."""
        view = self.cell_list.editor_view if self.is_mounted else None
        if view is None or not view.is_mounted:
            return None
        try:
            return view.editor
        except Exception:
            return None

    def _push_state(self, *, reveal: bool = True) -> None:
        n = len(self.nb.cells)
        self.cursor = max(0, min(self.cursor, n - 1))
        self.anchor = max(0, min(self.anchor, n - 1))
        cl = self.cell_list
        cl.cursor = self.cursor
        selected = self.selected
        cl.selection = range(min(selected), max(selected) + 1) if selected else range(0)
        cl.options = self.options
        if reveal:
            cl.reveal(self.cursor)
        else:
            cl.sync()
        self._update_chrome()

    def _update_chrome(self) -> None:
        if not self.query(TitleBar):
            return
        if self._base_dir_of != self.path:  # save as / rename move the notebook's folder
            self._base_dir_of = self.path
            self.cell_list.base_dir = self.path.resolve().parent
        self.query_one(TitleBar).set_title(self.path.name, dirty=self.dirty)
        mode = "input" if isinstance(self.focused, StdinBar) else self.mode
        self.query_one(StatusBar).set_status(
            mode=mode, cursor=self.cursor, count=len(self.nb.cells),
            selected=len(self.selected), kernel=self.kernel_status(), message=self.message)
        self.app.title = f"{self.path.name}{' ●' if self.dirty else ''}"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The status bar says INPUT while a stdin field has the keyboard."""
        if isinstance(event.widget, StdinBar):
            self._update_chrome()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """...and the mode again once it lets go."""
        if isinstance(event.widget, StdinBar):
            self._update_chrome()

    def say(self, message: str) -> None:
        """Show ``message`` in the status bar."""
        self.message = message
        self._update_chrome()

    def _on_history(self, edit: edits.Edit, action: str) -> None:
        if action in ("undo", "redo"):
            self.say(f"{action}: {edit.label}")

    # model helpers ---------------------------------------------------------------------------
    def _uses_ids(self) -> bool:
        minor = self.nb.nbformat_minor
        return self.nb.nbformat > 4 or (minor is not None and minor >= 5)

    def new_cell(self, cell_type: str = "code", source: str = "") -> Cell:
        """A fresh cell, with an id only when the notebook's format has ids."""
        cell = Cell.new(cell_type, source)
        if not self._uses_ids():
            cell.data.pop("id", None)
        return cell

    def _fresh_copy(self, data: dict[str, Any]) -> Cell:
        cell = Cell(data)
        if self._uses_ids():
            cell.id = default_id_factory()
        else:
            cell.data.pop("id", None)
        return cell

    def apply(self, *changes: edits.Edit, label: str = "") -> bool:
        """Apply edits as one undo step; a refused edit is reported and changes nothing."""
        try:
            if len(changes) == 1:
                self.history.apply(changes[0])
            else:
                with self.history.batch(label or changes[0].label):
                    for change in changes:
                        self.history.apply(change)
        except edits.EditError as exc:
            self.say(f"not done: {exc}")
            return False
        self.message = ""
        return True

    def commit_editor(self) -> None:
        """Write the open editor's text into the model (one undo step) if it changed."""
        editor = self.editor
        if editor is None:
            return
        index = editor.index
        if index < len(self.nb.cells) and editor.text != self.nb.cells[index].source:
            self.apply(edits.SetSource(index, editor.text, label="edit cell"))

    # modes ---------------------------------------------------------------------------------
    def action_edit_mode(self) -> None:
        """Enter edit mode on the cursor cell."""
        if not self.nb.cells:
            return
        self.anchor = self.cursor
        self.mode = "edit"
        self.cell_list.editing = self.cursor
        self._push_state()
        self.call_after_refresh(self._focus_editor)
        hold_keys_until(self, lambda: self.editor is not None and self.focused is self.editor)
        if not self._hint_shown:
            self._hint_shown = True
            self._maybe_hint()

    def _focus_editor(self) -> None:
        editor = self.editor
        if editor is not None:
            editor.focus()

    def action_command_mode(self) -> None:
        """Leave edit mode, keeping the text typed (as one undoable step)."""
        self.commit_editor()
        self.mode = "command"
        self.cell_list.editing = None
        self._push_state()
        self.cell_list.focus()

    def _maybe_hint(self) -> None:
        from tui.notebook.hints import should_show_key_hint

        if should_show_key_hint():
            self.notify(FALLBACK_HINT, title="Keys", timeout=12)

    # navigation ------------------------------------------------------------------------------
    def _move_cursor(self, index: int, *, extend: bool = False) -> None:
        n = len(self.nb.cells)
        if n == 0:
            return
        self.cursor = max(0, min(index, n - 1))
        if not extend:
            self.anchor = self.cursor
        self._push_state()

    def action_select_above(self) -> None:
        """Cursor to the cell above."""
        self._move_cursor(self.cursor - 1)

    def action_select_below(self) -> None:
        """Cursor to the cell below."""
        self._move_cursor(self.cursor + 1)

    def action_extend_above(self) -> None:
        """Extend the selection one cell up."""
        self._move_cursor(self.cursor - 1, extend=True)

    def action_extend_below(self) -> None:
        """Extend the selection one cell down."""
        self._move_cursor(self.cursor + 1, extend=True)

    def action_extend_top(self) -> None:
        """Extend the selection to the first cell."""
        self._move_cursor(0, extend=True)

    def action_extend_bottom(self) -> None:
        """Extend the selection to the last cell."""
        self._move_cursor(len(self.nb.cells) - 1, extend=True)

    def action_select_all(self) -> None:
        """Select every cell."""
        self.anchor = 0
        self._move_cursor(len(self.nb.cells) - 1, extend=True)

    def action_first_cell(self) -> None:
        """Go to the first cell."""
        self._move_cursor(0)

    def action_last_cell(self) -> None:
        """Go to the last cell."""
        self._move_cursor(len(self.nb.cells) - 1)

    def action_page_down(self) -> None:
        """Scroll a page down; the cursor follows to the first cell in view."""
        self._page(1)

    def action_page_up(self) -> None:
        """Scroll a page up."""
        self._page(-1)

    def _page(self, direction: int) -> None:
        cl = self.cell_list
        cl.page(direction)
        window = cl.window
        if window:
            target = window[0] if cl.shift == 0 or len(window) == 1 else window[1]
            if direction > 0 and window[-1] == len(self.nb.cells) - 1 and cl.top == window[0]:
                target = max(target, self.cursor)
            self.cursor = self.anchor = target
        self._push_state(reveal=False)

    def action_collapse_selection(self) -> None:
        """Select only the cursor cell."""
        self.anchor = self.cursor
        self._push_state()

    @on(EditorScrolledAway)
    def _editor_scrolled_away(self, event: EditorScrolledAway) -> None:
        if event.index < len(self.nb.cells) and event.text != self.nb.cells[event.index].source:
            self.apply(edits.SetSource(event.index, event.text, label="edit cell"))
        self.mode = "command"
        self.cell_list.editing = None
        self._push_state(reveal=False)
        self.cell_list.focus()

    @on(CellClicked)
    def _cell_clicked(self, event: CellClicked) -> None:
        if self.mode == "edit":
            self.action_command_mode()
        self._move_cursor(event.index)
        if event.edit:
            self.action_edit_mode()
        else:
            self.cell_list.focus()

    # cell operations -----------------------------------------------------------------------
    def action_insert_above(self) -> None:
        """Insert a code cell above and select it."""
        if self.apply(edits.InsertCells(self.cursor, [self.new_cell()], label="insert cell")):
            self._move_cursor(self.cursor)

    def action_insert_below(self) -> None:
        """Insert a code cell below and select it."""
        index = min(self.cursor + 1, len(self.nb.cells))
        if self.apply(edits.InsertCells(index, [self.new_cell()], label="insert cell")):
            self._move_cursor(index)

    def action_delete_chord(self) -> None:
        """``d,d``: the second press within a second deletes the selected cells."""
        now = time.monotonic()
        if now - self._chord_at <= CHORD_SECONDS:
            self._chord_at = 0.0
            self._delete(self.selected, label="delete cells")
        else:
            self._chord_at = now
            self.say("d: press d again to delete")

    def _delete(self, indices: list[int], *, label: str) -> None:
        if not indices:
            return
        changes: list[edits.Edit] = [edits.DeleteCells(indices, label=label)]
        if len(indices) == len(self.nb.cells):
            changes.append(edits.InsertCells(0, [self.new_cell()], label=label))
        if self.apply(*changes, label=label):
            self._move_cursor(min(indices))

    def action_cut(self) -> None:
        """Cut the selected cells to the clipboard."""
        indices = self.selected
        self._copy(indices)
        self._delete(indices, label="cut cells")

    def action_copy(self) -> None:
        """Copy the selected cells (and their text to the system clipboard)."""
        self._copy(self.selected)
        self.say(f"copied {len(self.selected)} cell(s)")

    def _copy(self, indices: list[int]) -> None:
        cells = [self.nb.cells[i] for i in indices]
        self.clipboard.set_cells([c.data for c in cells])
        self.clipboard.copy_text(self.app, "\n\n".join(c.source for c in cells))

    def action_paste_below(self) -> None:
        """Paste the clipboard's cells below the cursor."""
        self._paste(self.cursor + 1)

    def action_paste_above(self) -> None:
        """Paste the clipboard's cells above the cursor."""
        self._paste(self.cursor)

    def _paste(self, index: int) -> None:
        if not self.clipboard.cells:
            self.say("the cell clipboard is empty")
            return
        index = min(index, len(self.nb.cells))
        cells = [self._fresh_copy(d) for d in self.clipboard.take_cells()]
        if self.apply(edits.InsertCells(index, cells, label="paste cells")):
            self.anchor = index
            self.cursor = index + len(cells) - 1
            self._push_state()

    def action_copy_output(self) -> None:
        """Copy the text of the cursor cell's outputs to the clipboard."""
        if not self.nb.cells:
            return
        text = outputs_text(self.nb.cells[self.cursor].outputs)
        self.clipboard.copy_text(self.app, text)
        self.say(f"copied {len(text)} characters of output")

    def action_undo(self) -> None:
        """Undo the last cell operation."""
        if self.history.undo() is None:
            self.say("nothing to undo")
        self._push_state()

    def action_redo(self) -> None:
        """Redo the last undone cell operation."""
        if self.history.redo() is None:
            self.say("nothing to redo")
        self._push_state()

    def action_change_type(self, cell_type: str) -> None:
        """Change the selected cells to ``cell_type``."""
        indices = [i for i in self.selected if self.nb.cells[i].cell_type != cell_type]
        if indices:
            self.apply(edits.ChangeCellType(indices, cell_type, label=f"to {cell_type}"))
        self._push_state()

    def action_heading(self, level: int) -> None:
        """Make the selected cells markdown headings of ``level``."""
        indices = self.selected
        changes: list[edits.Edit] = []
        to_md = [i for i in indices if self.nb.cells[i].cell_type != "markdown"]
        if to_md:
            changes.append(edits.ChangeCellType(to_md, "markdown"))
        for i in indices:
            source = self.nb.cells[i].source
            body = source.lstrip("#").lstrip(" ") if source.startswith("#") else source
            changes.append(edits.SetSource(i, "#" * level + " " + body))
        self.apply(*changes, label=f"heading {level}")
        self._push_state()

    def action_merge(self) -> None:
        """Merge the selected cells, or the cursor cell with the one below."""
        indices = self.selected
        if len(indices) == 1:
            indices = [self.cursor, self.cursor + 1]
        self._merge(indices)

    def action_merge_above(self) -> None:
        """Merge the cursor cell into the one above."""
        self._merge([self.cursor - 1, self.cursor])

    def action_merge_below(self) -> None:
        """Merge the cell below into the cursor cell."""
        self._merge([self.cursor, self.cursor + 1])

    def _merge(self, indices: list[int]) -> None:
        if min(indices) < 0 or max(indices) >= len(self.nb.cells):
            self.say("nothing to merge with")
            return
        if self.apply(edits.MergeCells(indices, separator="\n\n", label="merge cells")):
            self._move_cursor(min(indices))

    def action_move(self, delta: int) -> None:
        """Move the selected cells up (-1) or down (1)."""
        indices = self.selected
        if not indices or min(indices) + delta < 0 or max(indices) + delta >= len(self.nb.cells):
            return
        if self.apply(edits.MoveCells(indices, delta, label="move cells")):
            self.cursor += delta
            self.anchor += delta
            self._push_state()

    def action_split_cell(self) -> None:
        """Split the edited cell at the cursor (edit mode)."""
        editor = self.editor
        if editor is None:
            return
        index = editor.index
        offset = editor.cursor_offset()
        text = editor.text
        changes: list[edits.Edit] = []
        if text != self.nb.cells[index].source:
            changes.append(edits.SetSource(index, text))
        changes.append(edits.SplitCell(index, [offset]))
        self.mode = "command"
        self.cell_list.editing = None
        if self.apply(*changes, label="split cell"):
            self.cursor = self.anchor = index + 1
        self._push_state()
        self.cell_list.focus()

    # view toggles ------------------------------------------------------------------------
    def action_toggle_line_numbers(self) -> None:
        """Show or hide line numbers in code cells."""
        self.line_numbers = not self.line_numbers
        self.options = ViewOptions(language=self.options.language,
                                   line_numbers=self.line_numbers,
                                   comment=self.options.comment)
        self._push_state()

    def action_focus_widgets(self) -> None:
        """Tab: the first widget (slider, button...) of the active cell's outputs."""
        self.cell_list.action_focus_widgets()

    def action_toggle_output(self) -> None:
        """Show or hide the outputs of the selected cells."""
        for i in self.selected:
            key = id(self.nb.cells[i].data)
            if key in self.hidden_outputs:
                self.hidden_outputs.discard(key)
            else:
                self.hidden_outputs.add(key)
        self._push_state()

    # external editor -----------------------------------------------------------------------
    def action_external_editor(self) -> None:
        """Edit the cursor cell in $EDITOR; the saved text replaces the source."""
        if not self.nb.cells:
            return
        cell = self.nb.cells[self.cursor]
        kind = self.options.language if cell.cell_type == "code" else cell.cell_type
        from tui.notebook.external_editor import edit_text

        result = edit_text(self.app, cell.source, kind=kind)
        if result is None:
            self.say("the editor failed; the cell is unchanged")
            return
        if not cell.source.endswith("\n") and result.endswith("\n"):
            result = result[:-1]
        if result != cell.source:
            self.apply(edits.SetSource(self.cursor, result, label="external edit"))
        self._push_state()
        self.refresh(layout=True)

    # running (the kernel work is the next issue: this is the seam) ------------------------
    def action_run(self, then: str) -> None:
        """Ask to run the selected cells (command mode)."""
        self.post_message(RunRequested(self.selected, then))

    @on(RunRequested)
    def _run_requested(self, event: RunRequested) -> None:
        event.stop()
        if self.mode == "edit":
            self.action_command_mode()
        self.run_cells(event.indices)
        last = max(event.indices) if event.indices else self.cursor
        if event.then == "advance":
            if last + 1 >= len(self.nb.cells):
                self.apply(edits.InsertCells(last + 1, [self.new_cell()], label="insert cell"))
            self._move_cursor(last + 1)
        elif event.then == "insert":
            self.apply(edits.InsertCells(last + 1, [self.new_cell()], label="insert cell"))
            self._move_cursor(last + 1)
            self.action_edit_mode()

    def run_cells(self, indices: list[int]) -> None:
        """Execute cells on the kernel (see :mod:`tui.notebook.kernel_actions`)."""
        self.kernel_run(indices)

    # find ----------------------------------------------------------------------------------
    async def action_find(self, replace: bool = False) -> None:
        """Open the find (and replace) bar."""
        if self.mode == "edit":
            self.action_command_mode()
        bars = self.query(FindBar)
        if bars:
            bar = bars.first()
        else:
            bar = FindBar(id="find")
            await self.query_one("#bottom", Vertical).mount(bar, before=0)
        bar.open(replace=replace)
        hold_keys_until(self, lambda: self.focused is not None and self.focused.parent is bar)

    @on(FindBar.Search)
    def _search(self, event: FindBar.Search) -> None:
        self.matches = find_matches(self.nb.cells, event.query)
        if not self.matches:
            self.match_index = -1
        elif event.step == 0:
            self.match_index = next((k for k, m in enumerate(self.matches)
                                     if m.cell >= self.cursor), 0)
        else:
            self.match_index = (self.match_index + event.step) % len(self.matches)
        self._show_match()

    def _show_match(self) -> None:
        bar = self.query_one(FindBar)
        bar.set_count(self.match_index + 1, len(self.matches))
        cl = self.cell_list
        if self.match_index < 0:
            cl.find_match = None
            self._push_state()
            return
        match = self.matches[self.match_index]
        cl.find_match = (match.cell, match.start, match.end)
        self.cursor = self.anchor = match.cell
        self._push_state()

    @on(FindBar.Replace)
    def _replace(self, event: FindBar.Replace) -> None:
        if not event.query:
            return
        if event.all_matches:
            changes: list[edits.Edit] = []
            for index in sorted({m.cell for m in find_matches(self.nb.cells, event.query)}):
                source = self.nb.cells[index].source
                changes.append(edits.SetSource(
                    index, replace_in(source, event.query, event.replacement)))
            if changes:
                self.apply(*changes, label="replace all")
            self.say(f"replaced in {len(changes)} cell(s)")
        else:
            if not self.matches or self.match_index < 0:
                self.matches = find_matches(self.nb.cells, event.query)
                self.match_index = 0 if self.matches else -1
            if self.match_index >= 0:
                m = self.matches[self.match_index]
                source = self.nb.cells[m.cell].source
                if source[m.start:m.end].lower() == event.query.lower():
                    new = source[:m.start] + event.replacement + source[m.end:]
                    self.apply(edits.SetSource(m.cell, new, label="replace"))
        self.matches = find_matches(self.nb.cells, event.query)
        self.match_index = min(self.match_index, len(self.matches) - 1)
        if self.matches and self.match_index < 0:
            self.match_index = 0
        self._show_match()

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.cell_list.find_match = None
        self.matches = []
        self._push_state()
        self.cell_list.focus()

    # help ----------------------------------------------------------------------------------
    def action_help(self) -> None:
        """Show every binding."""
        from tui.notebook.help import HelpScreen

        self.app.push_screen(HelpScreen(dict(self.app._keymap)))

    # text edits mark the title dirty -------------------------------------------------------
    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._update_chrome()
        # The edited cell may have grown or shrunk: re-fill the window, only when its rows
        # changed (a key that leaves them as they were would re-lay out the window for nothing).
        rows = (event.text_area, event.text_area.wrapped_document.height)
        if rows != self._editor_rows:
            self._editor_rows = rows
            self.cell_list.sync()

    @on(TextArea.SelectionChanged)
    def _cursor_moved(self, event: TextArea.SelectionChanged) -> None:
        editor = self.editor
        if editor is not None and event.text_area is editor:
            self.cell_list.reveal_row(editor.index, editor.cursor_location[0])

    # quitting ------------------------------------------------------------------------------
    def action_request_quit(self) -> None:
        """Quit, asking first when there are unsaved changes (after any save being written)."""
        if self.saving:
            self.say("saving… quitting when the file is written")
            self.run_worker(self._quit_after_save(), group="quit", exclusive=True)
            return
        if not self.dirty:
            self.app.exit()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.run_worker(self._save_and_quit(), group="quit", exclusive=True)
            elif choice == "discard":
                self.journal_discard_requested()
                self.app.exit()

        from tui.notebook.dialogs import quit_dialog

        self.app.push_screen(quit_dialog(self.path.name), answer)

    async def _quit_after_save(self) -> None:
        while self.saving:  # the lock is fair: each turn lets every earlier save finish
            async with self._save_lock:
                pass
        self.action_request_quit()

    async def _save_and_quit(self) -> None:
        if await self.save_now(manual=True):
            self.app.exit()
