"""The problems panel: what keeps a notebook that opened from validating, and its repair.

When the notebook does not validate (found on open, off the UI thread, and whenever a save is
refused for it), :class:`ProblemsPanel` opens above the status bar: one line per problem with
its cell, Enter (or a click) on a line moves the cursor to that cell, ``r`` applies
:class:`nbio.repair.Repair` (nbformat's and JupyterLab's repairs) as one undoable step and saves
when the notebook then validates, Esc closes the panel. :class:`ProblemsMixin` (mixed into
:class:`NotebookScreen`) opens it and carries out what it asks.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from nbio.model import Notebook
from nbio.repair import Repair, find_problems
from nbio.validator import Problem
from tui.notebook.typeahead import hold_keys_until
from tui.recovery.snapshot import take

if TYPE_CHECKING:
    from tui.notebook.screen import NotebookScreen


def describe(problem: Problem) -> str:
    """One line for a problem: where (its cell, or the notebook), what, and if it repairs."""
    where = "notebook" if problem.cell is None else f"cell {problem.cell + 1}"
    rest = problem.keys[2:] if problem.cell is not None else problem.keys
    inside = "/".join(rest)
    fix = "repairable" if problem.repairable else "not repairable: fix it by hand"
    return f"{where}{' ' + inside if inside else ''}: {problem.message}  ({fix})"


class ProblemsPanel(Vertical):
    """The list of problems, with the repair and jump keys."""

    DEFAULT_CSS = """
    ProblemsPanel { height: auto; max-height: 12; background: $panel; border-top: solid $error; }
    ProblemsPanel > #problems-title { height: 1; padding: 0 1; }
    ProblemsPanel > OptionList { height: auto; max-height: 10; border: none; }
    """

    BINDINGS = [
        Binding("r", "repair", "Repair the notebook", id="problems.repair"),
        Binding("escape", "close", "Close the problems panel", id="problems.close"),
    ]

    class Jump(Message):
        """Move the cursor to ``cell``."""

        def __init__(self, cell: int) -> None:
            super().__init__()
            self.cell = cell

    class RepairRequested(Message):
        """The user asked for the repair."""

    class Closed(Message):
        """The panel was closed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(id="problems")
        self.problems = problems

    def compose(self) -> ComposeResult:
        """A title line and the problems."""
        yield Static(id="problems-title")
        yield OptionList(id="problems-list")

    def on_mount(self) -> None:
        """Fill the list."""
        self.show(self.problems)

    def show(self, problems: list[Problem]) -> None:
        """Replace the problems shown."""
        self.problems = problems
        fixable = sum(p.repairable for p in problems)
        self.query_one("#problems-title", Static).update(
            f"Not valid: {len(problems)} problem(s), {fixable} repairable. "
            "Enter: go to the cell · r: repair (undo: z) and save · Esc: close")
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(describe(p), id=str(k)) for k, p in enumerate(problems)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a problem goes to its cell."""
        event.stop()
        problem = self.problems[int(event.option.id or 0)]
        if problem.cell is not None:
            self.post_message(self.Jump(problem.cell))

    def action_repair(self) -> None:
        """Ask the screen to repair."""
        self.post_message(self.RepairRequested())

    def action_close(self) -> None:
        """Close the panel."""
        self.post_message(self.Closed())


def _problems_of(copy: Notebook) -> list[Problem]:
    return find_problems(copy)


class ProblemsMixin:
    """Opens the problems panel and repairs (``self`` is a :class:`NotebookScreen`)."""

    problems: list[Problem] | None = None
    """The problems last found (None until the check on open finished)."""

    @property
    def _pscreen(self) -> NotebookScreen:
        return self  # type: ignore[return-value]

    def on_mount(self) -> None:
        """Look for problems off the UI thread, on a copy (every mixin's on_mount runs)."""
        screen = self._pscreen
        copy = take(screen.nb).notebook
        nb = screen.nb

        async def check() -> None:
            problems = await asyncio.to_thread(_problems_of, copy)
            if screen.nb is not nb or not screen.is_attached:
                return  # reloaded meanwhile (a reload of an invalid file shows them on save)
            if screen.history.dirty:  # edited meanwhile (or recovered): look at it as it is
                problems = find_problems(screen.nb)
            self.problems = problems
            if problems:
                await self.open_problems(problems, focus=False)

        screen.run_worker(check(), group="problems", description="look for problems")

    @property
    def problems_panel(self) -> ProblemsPanel | None:
        """The open panel, if any."""
        found = self._pscreen.query(ProblemsPanel)
        return found.first() if found else None

    async def open_problems(self, problems: list[Problem] | None = None, *,
                            focus: bool = True) -> None:
        """Show ``problems`` (default: the notebook's, found now) in the panel, opened above
        the status bar; ``focus``: the panel takes the keyboard."""
        screen = self._pscreen
        if problems is None:
            problems = find_problems(screen.nb)
        self.problems = problems
        if not problems:
            self._close_problems()
            screen.say("the notebook is valid")
            return
        panel = self.problems_panel
        if panel is None:
            panel = ProblemsPanel(problems)
            await screen.query_one("#bottom").mount(panel, before=0)
        else:
            panel.show(problems)
        if focus:
            options = panel.query_one(OptionList)
            options.focus()
            hold_keys_until(screen, lambda: screen.focused is options)

    async def action_show_problems(self) -> None:
        """Palette: show what keeps the notebook from validating."""
        await self.open_problems()

    def _close_problems(self) -> None:
        panel = self.problems_panel
        if panel is not None:
            panel.remove()
        self._pscreen.cell_list.focus()

    def on_problems_panel_jump(self, event: ProblemsPanel.Jump) -> None:
        """Go to the problem's cell (the panel keeps the keyboard)."""
        screen = self._pscreen
        if screen.mode == "edit":
            screen.action_command_mode()
        screen.cursor = screen.anchor = min(event.cell, max(len(screen.nb.cells) - 1, 0))
        screen._push_state()

    def on_problems_panel_closed(self, event: ProblemsPanel.Closed) -> None:
        """Esc in the panel."""
        self._close_problems()

    async def on_problems_panel_repair_requested(self, event: ProblemsPanel.RepairRequested,
                                                 ) -> None:
        """``r`` in the panel."""
        await self.action_repair_notebook()

    async def action_repair_notebook(self) -> None:
        """Apply nbformat's and JupyterLab's repairs as one undoable step, then save when the
        notebook validates."""
        screen = self._pscreen
        if screen.mode == "edit":
            screen.action_command_mode()
        if not any(p.repairable for p in find_problems(screen.nb)):
            screen.say("nothing to repair")
            return
        edit = Repair()
        if not screen.apply(edit, label="repair notebook"):
            return
        screen._push_state()
        left = find_problems(screen.nb)
        self.problems = left
        if edit.changes:
            screen.notify("\n".join(edit.changes[:8]) + (
                f"\n(and {len(edit.changes) - 8} more)" if len(edit.changes) > 8 else ""),
                title="Repaired (z undoes)", timeout=10)
        if left:
            await self.open_problems(left)
            screen.say(f"repaired what could be; {len(left)} problem(s) left")
            return
        self._close_problems()
        screen.say("repaired")
        if screen.contents.remote or screen.path.exists() or screen.is_new:
            screen.save(manual=True)
