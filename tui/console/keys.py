"""Key bindings of the console prompt: factories over named conditions (as ptpython does).

| key | when | action |
| --- | --- | --- |
| Enter | cursor on the last line | run the cell if complete (is_complete), else newline + indent |
| Enter | cursor inside the cell | newline |
| Alt-Enter (Esc Enter) | always | newline (force a multi-line cell) |
| Tab | only blanks before the cursor | indent |
| Tab | otherwise | kernel completions in a menu |
| Shift-Tab | no menu open | show the kernel's inspect reply for the name at the cursor |
| Ctrl-C | prompt | clear the line |
| Ctrl-D | empty prompt | exit (prompt_toolkit default) |
| Ctrl-R | prompt | reverse history search (prompt_toolkit default) |
| Up / Down | first / last line | history (prefix search when text was typed) |
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from prompt_toolkit.application.current import get_app
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import (
    Condition,
    has_completions,
    has_focus,
    has_selection,
    is_searching,
)
from prompt_toolkit.filters.app import emacs_insert_mode, vi_insert_mode
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.key_binding.key_processor import KeyPress
from prompt_toolkit.keys import Keys

CheckComplete = Callable[[str], Awaitable[tuple[bool, str]]]
Inspect = Callable[[str, int], Awaitable[None]]

#: Client commands run without asking the kernel whether they are complete.
IMMEDIATE_PREFIX = ":"


@Condition
def cursor_on_last_line() -> bool:
    """The cursor is on the cell's last non-blank line (or the blank ones after it)."""
    doc = get_app().current_buffer.document
    return doc.cursor_position_row >= doc.line_count - 1 - doc.empty_line_count_at_the_end()


@Condition
def blank_before_cursor() -> bool:
    """Only spaces (or nothing) between the start of the line and the cursor."""
    doc = get_app().current_buffer.document
    return doc.current_line_before_cursor.strip() == ""


insert_mode = emacs_insert_mode | vi_insert_mode
editing = has_focus(DEFAULT_BUFFER) & insert_mode & ~has_selection & ~is_searching


@dataclass
class PromptActions:
    """What the bindings need from the rest of the console."""

    check_complete: CheckComplete
    inspect: Inspect
    indent_unit: str = "    "


class EnterGate:
    """Holds keys typed while Enter waits for the kernel's is_complete answer.

    Enter asks the kernel (a few milliseconds) before deciding between "run" and "newline";
    keys typed or pasted meanwhile must land after that decision, not before it. While the gate
    is closed every key press is held (an eager ``<any>`` binding) and replayed afterwards; if
    the cell was accepted, the held keys go to the next prompt (see ``take_leftover``).
    """

    def __init__(self) -> None:
        self.closed = False
        self.held: list[KeyPress] = []
        self.leftover: list[KeyPress] = []

    def take_leftover(self) -> list[KeyPress]:
        """Keys typed after a cell was accepted, for the next prompt."""
        keys, self.leftover = self.leftover, []
        return keys


def enter(actions: PromptActions, gate: EnterGate) -> Callable[[KeyPressEvent], None]:
    """Enter on the last line: run the cell when complete, else continue it with the indent."""

    def handler(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        text = buffer.document.text
        lines = text.split("\n")
        if not text.strip() or text.lstrip().startswith(IMMEDIATE_PREFIX):
            buffer.validate_and_handle()
            return
        if len(lines) > 1 and not lines[-1].strip():
            # An empty last line ends a multi-line cell (the usual console convention).
            buffer.text = text.rstrip()
            buffer.validate_and_handle()
            return
        processor = event.app.key_processor
        gate.closed = True
        gate.held.extend(processor.input_queue)
        processor.input_queue.clear()

        async def decide() -> None:
            accepted = False
            try:
                complete, indent = await actions.check_complete(text)
                if buffer.document.text == text:
                    if complete:
                        buffer.validate_and_handle()
                        accepted = True
                    else:
                        buffer.insert_text("\n" + indent)
            finally:
                gate.closed = False
                held, gate.held = gate.held, []
                if accepted or not event.app.is_running:
                    gate.leftover.extend(held)
                elif held:
                    processor.feed_multiple(held)
                    processor.process_keys()

        event.app.create_background_task(decide())

    return handler


def hold_key(gate: EnterGate) -> Callable[[KeyPressEvent], None]:
    """While Enter waits for the kernel, hold every key press (cursor reports are applied)."""

    def handler(event: KeyPressEvent) -> None:
        for press in event.key_sequence:
            if press.key == Keys.CPRResponse:
                row, _col = map(int, press.data[2:-1].split(";"))
                event.app.renderer.report_absolute_cursor_row(row)
            else:
                gate.held.append(press)

    return handler


def newline(event: KeyPressEvent) -> None:
    """Insert a newline keeping the current line's indent."""
    event.current_buffer.newline(copy_margin=True)


def clear_line(event: KeyPressEvent) -> None:
    """Ctrl-C at the prompt: drop what was typed (never exits)."""
    event.current_buffer.reset()


def indent(actions: PromptActions) -> Callable[[KeyPressEvent], None]:
    """Tab in leading whitespace: indent by one unit."""

    def handler(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text(actions.indent_unit)

    return handler


def complete(event: KeyPressEvent) -> None:
    """Tab: next entry when the menu is open, else ask the kernel for completions."""
    buffer = event.current_buffer
    if buffer.complete_state:
        buffer.complete_next()
    else:
        buffer.start_completion(insert_common_part=True)


def inspect(actions: PromptActions) -> Callable[[KeyPressEvent], Awaitable[None]]:
    """Shift-Tab: print the kernel's inspect reply for the code at the cursor."""

    async def handler(event: KeyPressEvent) -> None:
        doc = event.current_buffer.document
        await actions.inspect(doc.text, doc.cursor_position)

    return handler


def load_prompt_bindings(actions: PromptActions, gate: EnterGate) -> KeyBindings:
    """The console's bindings for the code prompt."""
    kb = KeyBindings()
    holding = Condition(lambda: gate.closed)
    kb.add(Keys.Any, filter=holding, eager=True, save_before=lambda e: False)(hold_key(gate))
    kb.add("enter", filter=editing & cursor_on_last_line & ~holding)(enter(actions, gate))
    kb.add("enter", filter=editing & ~cursor_on_last_line)(newline)
    kb.add("escape", "enter", filter=editing)(newline)
    kb.add("c-c", filter=has_focus(DEFAULT_BUFFER))(clear_line)
    kb.add("tab", filter=editing & blank_before_cursor & ~has_completions)(indent(actions))
    kb.add("tab", filter=editing & (~blank_before_cursor | has_completions))(complete)
    kb.add("s-tab", filter=editing & ~has_completions)(inspect(actions))
    return kb
