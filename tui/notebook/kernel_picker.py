"""The kernel picker: every installed kernel with its resolved command."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.session import KernelChoice, kernel_choices


def choice_label(choice: KernelChoice, current: str | None) -> Text:
    """Two lines: display name (name), then the command or why it cannot start."""
    text = Text()
    text.append(choice.display_name, style="bold")
    text.append(f"  ({choice.name})", style="dim")
    if choice.name == current:
        text.append("  current", style="italic green")
    text.append("\n  ")
    if choice.problem:
        text.append(f"cannot start: {choice.problem}", style="red")
    else:
        text.append(choice.command, style="dim")
    return text


class KernelPicker(ModalScreen[str | None]):
    """Choose a kernel; dismisses with its name (``None`` on Escape)."""

    DEFAULT_CSS = """
    KernelPicker { align: center middle; }
    KernelPicker > Vertical {
        width: 90%;
        height: auto;
        max-height: 80%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    KernelPicker OptionList { height: auto; max-height: 20; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, current: str | None = None, reason: str = "",
                 choices: list[KernelChoice] | None = None) -> None:
        super().__init__()
        self.current = current
        self.reason = reason
        self.choices = choices if choices is not None else kernel_choices()

    def compose(self) -> ComposeResult:
        """A title, the reason we ask, the kernels."""
        with Vertical():
            yield Static(Text("Select a kernel", style="bold"))
            if self.reason:
                yield Static(Text(self.reason, style="yellow"))
            if not self.choices:
                yield Static("No kernels are installed. Install one, e.g. "
                             "`python -m ipykernel install --user`, then try again.")
            yield OptionList(*(Option(choice_label(c, self.current), id=c.name)
                               for c in self.choices), id="kernels")

    def on_mount(self) -> None:
        """Highlight the current kernel."""
        options = self.query_one(OptionList)
        names = [c.name for c in self.choices]
        if self.current in names:
            options.highlighted = names.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Choose the kernel."""
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
