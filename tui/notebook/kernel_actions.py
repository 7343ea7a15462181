"""The notebook screen's kernel actions (mixed into :class:`NotebookScreen`).

Bindings (``tui.notebook.keymap``) and the palette (``tui.notebook.kernel_commands``) name these
actions; each delegates to the screen's :class:`KernelController`, mounted when the screen
mounts. When the app asks for it (``jtui PATH`` does) the kernel starts right after the first
frame is painted (starting it during mount delayed the first paint by ~0.3 s on big
notebooks), otherwise on the first run. Either way it is started from the event loop.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from nbio.model import Cell
from tui.notebook.completion_popup import (
    CompletionPopup,
    apply_completion,
    location_to_offset,
    wants_completion,
)
from tui.notebook.dialogs import ChoiceScreen
from tui.notebook.inspect_view import NO_ANSWER, NOT_FOUND, InspectScreen
from tui.notebook.kernel_controller import INTERRUPTING, KernelController, kernel_status_text
from tui.notebook.kernel_picker import KernelPicker
from tui.notebook.run_view import LIMITS
from tui.render.highlight import language_of
from tui.session import KernelState

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen

CHORD_SECONDS = 1.0
"""The second key of ``i,i`` / ``0,0`` must follow the first within this time."""

INSPECT_TIMEOUT = 3.0
"""Seconds Shift+Tab waits for the inspect_reply (a busy kernel answers after its cell)."""


class KernelScreenMixin:
    """Kernel actions for the notebook screen (``self`` is a :class:`NotebookScreen`)."""

    _kernel_chord: tuple[str, float] = ("", 0.0)

    # plumbing -------------------------------------------------------------------------------
    @property
    def _screen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def on_mount(self) -> None:
        """Mount the kernel controller (Textual calls every class's on_mount in the MRO)."""
        screen = self._screen
        app: Any = screen.app
        controller = KernelController(
            screen.nb,
            kernel_name=getattr(app, "kernel_name", None) or screen.nb.kernel_name,
            record_timing=bool(getattr(app, "record_timing", False)),
            starter=getattr(app, "kernel_starter", None),  # a server's kernels (tui.session)
        )
        screen.mount(controller)
        screen._update_chrome()  # the status bar's kernel text in its one form from frame one
        if getattr(app, "autostart_kernel", False):
            screen.call_after_refresh(self._autostart_kernel)

    def _autostart_kernel(self) -> None:
        """Start the kernel once the first frame is on screen (from the event loop)."""
        if self._screen.is_attached:
            self.kernel.start_kernel()

    @property
    def kernel(self) -> KernelController:
        """The screen's kernel controller."""
        return self._screen.query_one(KernelController)

    def kernel_status(self) -> str | None:
        """Kernel name and state for the status bar."""
        try:
            return self.kernel.status_text()
        except Exception:  # not mounted yet (or torn down): what the controller would say
            app: Any = self._screen.app
            name = getattr(app, "kernel_name", None) or self._screen.nb.kernel_name
            return kernel_status_text(name, KernelState.NONE)

    def kernel_run(self, indices: list[int]) -> None:
        """Run the cells at ``indices`` (the screen's :meth:`run_cells`)."""
        cells = self._screen.nb.cells
        chosen = [cells[i] for i in indices if 0 <= i < len(cells)]
        code = [c for c in chosen if c.cell_type == "code"]
        if code:
            self._screen.trust_ran(code)
            self.kernel.run(code)

    def kernel_sync_outputs(self) -> None:
        """Bring streaming outputs' text up to date (before a save)."""
        try:
            self.kernel.session.sync_outputs()
        except Exception:
            return

    def _chord(self, key: str, what: str) -> bool:
        now = time.monotonic()
        last_key, last_at = self._kernel_chord
        if last_key == key and now - last_at <= CHORD_SECONDS:
            self._kernel_chord = ("", 0.0)
            return True
        self._kernel_chord = (key, now)
        self._screen.say(f"{key}: press {key} again to {what}")
        return False

    # running --------------------------------------------------------------------------------
    def _run(self, cells: list[Cell]) -> None:
        screen = self._screen
        screen.commit_editor()
        screen.trust_ran(cells)
        self.kernel.run(cells)

    def action_kernel_run_all(self) -> None:
        """Run every cell."""
        self._run(list(self._screen.nb.cells))

    def action_kernel_run_above(self) -> None:
        """Run the cells above the selected one."""
        screen = self._screen
        self._run(list(screen.nb.cells[: screen.cursor]))

    def action_kernel_run_below(self) -> None:
        """Run the selected cell and every cell below it."""
        screen = self._screen
        self._run(list(screen.nb.cells[screen.cursor:]))

    def action_kernel_restart_run_all(self) -> None:
        """Restart the kernel, then run every cell (asks first)."""
        self._confirm_restart(then_run_all=True)

    # interrupt / restart / change -----------------------------------------------------------
    def action_kernel_interrupt_chord(self) -> None:
        """``i,i``: interrupt the kernel."""
        if self._chord("i", "interrupt the kernel"):
            self.action_kernel_interrupt()

    def action_kernel_interrupt(self) -> None:
        """Interrupt the kernel now."""
        self._screen.say(INTERRUPTING)
        self.kernel.interrupt()

    def action_kernel_restart_chord(self) -> None:
        """``0,0``: restart the kernel (asks first)."""
        if self._chord("0", "restart the kernel"):
            self._confirm_restart()

    def action_kernel_restart(self) -> None:
        """Restart the kernel (asks first)."""
        self._confirm_restart()

    def _confirm_restart(self, then_run_all: bool = False) -> None:
        screen = self._screen

        def answer(choice: str | None) -> None:
            if choice == "restart":
                self.kernel.restart(then_run_all)

        what = "Restart the kernel and run all cells?" if then_run_all else "Restart the kernel?"
        screen.app.push_screen(
            ChoiceScreen(f"{what} Its variables are lost; the notebook is kept.",
                         [("restart", "r", "Restart"), ("cancel", "c", "Cancel")]),
            answer,
        )

    def action_kernel_change(self) -> None:
        """Pick another kernel (shows each kernel's resolved command)."""
        screen = self._screen
        if any(isinstance(s, KernelPicker) for s in screen.app.screen_stack):
            return
        session = self.kernel.session
        reason = session.problem.message if session.problem is not None else ""

        def chosen(name: str | None) -> None:
            if name:
                self.kernel.change_kernel(name)

        starter: Any = getattr(screen.app, "kernel_starter", None)
        if starter is not None:  # a server's kernels: ask it which it has
            screen.run_worker(self._pick_remote(starter, reason, chosen), group="kernel-picker",
                              exclusive=True)
            return
        screen.app.push_screen(KernelPicker(session.kernel_name, reason), chosen)

    async def _pick_remote(self, starter: Any, reason: str, chosen: Any) -> None:
        screen = self._screen
        try:
            choices = await starter.choices()
        except Exception as exc:  # a RemoteError: one sentence without the token
            screen.notify(f"The server's kernels cannot be listed: {exc}", severity="error")
            return
        if not any(isinstance(s, KernelPicker) for s in screen.app.screen_stack):
            screen.app.push_screen(KernelPicker(self.kernel.session.kernel_name, reason,
                                                choices=choices), chosen)

    def action_kernel_shutdown(self) -> None:
        """Shut the kernel down (the next run starts it again)."""
        self.kernel.shutdown()

    def action_kernel_toggle_timing(self) -> None:
        """Record cell execution timing in the metadata (as JupyterLab's recordTiming)."""
        session = self.kernel.session
        session.record_timing = not session.record_timing
        self._screen.say("recording cell timing " + ("on" if session.record_timing else "off"))

    def action_kernel_expand_output(self) -> None:
        """Show more of the selected cell's long output (at the largest size: the least)."""
        screen = self._screen
        cell = screen.nb.cells[screen.cursor]
        mark = self.kernel.views.mark(cell)
        mark.expand = (mark.expand + 1) % len(LIMITS)
        head, tail = LIMITS[mark.expand]
        screen.say(f"output: first {head:,} and last {tail:,} lines of each stream")
        screen.cell_list.sync()

    def action_kernel_cycle_output(self) -> None:
        """Show the next representation of each of the selected cell's rich outputs (a
        DataFrame's table, then its text/plain...)."""
        from tui.render.registry import choice_count

        screen = self._screen
        cell = screen.nb.cells[screen.cursor]
        mark = self.kernel.views.mark(cell)
        shown: list[str] = []
        for index, output in enumerate(cell.outputs):
            data = output.get("data") if isinstance(output, dict) else None
            count = choice_count(data) if isinstance(data, dict) else 0
            if count > 1:
                mark.choices[index] = (mark.choices.get(index, 0) + 1) % count
                shown.append(f"{mark.choices[index] + 1}/{count}")
        screen.say(f"output representation {', '.join(shown)}" if shown
                   else "no other representation to show")
        screen.cell_list.sync()

    def action_kernel_scroll_output(self, step: int) -> None:
        """Scroll the selected cell's wide tables sideways by ``step`` columns of data."""
        screen = self._screen
        cell = screen.nb.cells[screen.cursor]
        mark = self.kernel.views.mark(cell)
        mark.column_offset = max(0, mark.column_offset + step)
        screen.say(f"tables from column {mark.column_offset + 1}")
        screen.cell_list.sync()

    # completion / inspection ----------------------------------------------------------------
    def action_kernel_complete(self) -> None:
        """Tab in edit mode: complete at the cursor, or indent when the line is blank there."""
        editor = self._screen.editor
        if editor is None:
            return
        text = editor.text
        offset = location_to_offset(text, editor.cursor_location)
        if editor.selected_text or not wants_completion(text, offset):
            editor.insert(" " * (4 - editor.cursor_location[1] % 4))
            return
        self._complete(editor, text, offset)

    def _complete(self, editor: Any, text: str, offset: int) -> None:
        screen = self._screen
        session = self.kernel.session
        if session.state in (KernelState.NONE, KernelState.FAILED, KernelState.SHUT_DOWN):
            screen.say("no kernel to complete with")
            return

        async def ask() -> None:
            completion = await session.complete(text, offset)
            if completion is None or not completion.matches:
                screen.say("no completions")
                return
            if editor.text != text or not editor.is_mounted:
                return  # typed meanwhile: stale
            if len(completion.matches) == 1:  # as JupyterLab: a single option goes in at once
                apply_completion(editor, completion, completion.matches[0])
                return
            for old in screen.query(CompletionPopup):
                old.remove()
            popup = CompletionPopup(editor, completion)
            if not popup.shown:  # none of the kernel's matches fits the text being completed
                screen.say("no completions")
                return
            await screen.mount(popup)

        screen.run_worker(ask(), group="kernel-complete", exclusive=True)

    def action_kernel_inspect(self) -> None:
        """Shift+Tab in edit mode: the kernel's help about the name at the cursor."""
        screen = self._screen
        editor = screen.editor
        if editor is None:
            return
        text = editor.text
        offset = location_to_offset(text, editor.cursor_location)
        session = self.kernel.session
        if session.state in (KernelState.NONE, KernelState.FAILED, KernelState.SHUT_DOWN):
            screen.say("no kernel to inspect with")
            return

        async def ask() -> None:
            try:
                data = await session.inspect(text, offset, timeout=INSPECT_TIMEOUT)
            except TimeoutError:
                screen.say(NO_ANSWER)
                return
            if not data:  # found: false
                screen.say(NOT_FOUND)
                return
            if any(isinstance(s, InspectScreen) for s in screen.app.screen_stack):
                return
            language = language_of(screen.nb.metadata)
            await screen.app.push_screen(InspectScreen(data, language=language))

        screen.run_worker(ask(), group="kernel-inspect", exclusive=True)
