"""The field that answers a kernel's stdin request (``input()``, ``getpass``), in the asking
cell's output area, as JupyterLab has it.

While a request is pending, the cell view of the asking cell shows a :class:`StdinRow` below
its outputs: the prompt, then a one-line :class:`StdinBar` (hidden characters for a password)
that takes the keyboard focus once mounted. Enter sends the text as the input_reply; Ctrl+C
interrupts the kernel (the prompt then goes away). The row is drawn from the cell's
:class:`~tui.notebook.run_view.StdinState` (prompt, password flag, what is typed so far), so a
view that comes to show the asking cell builds the same row again with the text kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from tui.notebook.run_view import StdinState
from tui.notebook.typeahead import hold_keys_until

if TYPE_CHECKING:
    from tui.notebook.kernel_controller import KernelController


class StdinBar(Input):
    """The one-line input of the pending stdin request."""

    DEFAULT_CSS = """
    StdinBar, StdinBar:focus {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
        background: $boost;
    }
    """

    BINDINGS = [
        Binding("ctrl+c", "interrupt", "Interrupt the kernel", id="stdin.interrupt"),
    ]

    def __init__(self, state: StdinState) -> None:
        super().__init__(
            value=state.value,
            placeholder="Enter sends · Ctrl+C interrupts",
            password=state.password,
            id="stdin-bar",
        )
        self.state = state

    def on_mount(self) -> None:
        """Take the keyboard once mounted (a focus asked for before the mount can be dropped)."""
        self.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Keep what is typed in the cell's stdin state (a rebuilt row shows it again)."""
        event.stop()
        self.state.value = event.value

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """Send the answer."""
        event.stop()
        await self._controller().stdin_submitted(event.value)

    def action_interrupt(self) -> None:
        """Interrupt the kernel (ipykernel's input() then raises KeyboardInterrupt)."""
        self._controller().interrupt()

    def _controller(self) -> KernelController:
        from tui.notebook.kernel_controller import KernelController as Controller

        return self.screen.query_one(Controller)


class StdinRow(Horizontal):
    """The prompt of a stdin request and the field answering it (one row of a cell view)."""

    DEFAULT_CSS = """
    StdinRow {
        height: 1;
        width: 1fr;
        padding-left: 8;
    }
    StdinRow > .stdin-prompt {
        width: auto;
        height: 1;
    }
    """

    def __init__(self, state: StdinState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        """The prompt, then the field."""
        yield Static(Text(self.state.prompt, style="bold"), classes="stdin-prompt",
                     markup=False)
        yield StdinBar(self.state)

    def on_mount(self) -> None:
        """Keys typed from now until the field has the keyboard are kept for it."""
        hold_keys_until(self, lambda: isinstance(self.app.focused, StdinBar))
