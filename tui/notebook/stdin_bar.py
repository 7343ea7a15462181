"""The field that answers a kernel's stdin request (``input()``, ``getpass``).

The prompt and what is typed are drawn in the asking cell's output area (see
:func:`tui.notebook.run_view.stdin_row`; a password shows as dots); this one-line field, docked
above the status bar, holds the keyboard focus meanwhile. Enter sends the text as the
input_reply; Ctrl+C interrupts the kernel (the prompt then goes away).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from tui.session import InputPrompt

if TYPE_CHECKING:
    from tui.notebook.kernel_controller import KernelController


class StdinBar(Input):
    """A one-line input for the pending stdin request."""

    DEFAULT_CSS = """
    StdinBar {
        dock: bottom;
        height: 3;
        border: tall $warning;
        margin: 0 0 1 0;
    }
    """

    BINDINGS = [
        Binding("ctrl+c", "interrupt", "Interrupt the kernel", id="stdin.interrupt"),
    ]

    def __init__(self, controller: KernelController, prompt: InputPrompt) -> None:
        label = "password" if prompt.password else "input"
        super().__init__(
            placeholder=f"{label} for the running cell: {prompt.prompt.strip() or '(no prompt)'}"
                        "  · Enter sends · Ctrl+C interrupts",
            password=prompt.password,
            id="stdin-bar",
        )
        self.controller = controller
        self.request = prompt
        self._return_focus: Widget | None = None

    @classmethod
    def open(cls, screen: Widget, controller: KernelController, prompt: InputPrompt) -> None:
        """Show the bar for ``prompt`` (replacing one for an older request)."""
        for old in screen.query(StdinBar):
            if old.request is prompt:
                return
            old.remove()
        bar = cls(controller, prompt)
        bar._return_focus = screen.app.focused
        screen.mount(bar)
        bar.focus()

    def on_mount(self) -> None:
        """Take the keyboard once mounted (a focus asked for before the mount can be dropped)."""
        self.focus()

    @classmethod
    def close(cls, screen: Widget) -> None:
        """Remove any stdin bar (the request was answered or cancelled)."""
        for bar in screen.query(StdinBar):
            bar._dismiss()

    def _dismiss(self) -> None:
        target = self._return_focus
        self.remove()
        if target is not None and target.is_mounted:
            target.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Mirror what is typed into the cell's output area."""
        event.stop()
        self.controller.stdin_typed(event.value)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """Send the answer."""
        event.stop()
        value = event.value
        self._dismiss()
        await self.controller.stdin_submitted(value)

    def action_interrupt(self) -> None:
        """Interrupt the kernel (ipykernel's input() then raises KeyboardInterrupt)."""
        self.controller.interrupt()
