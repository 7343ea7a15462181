"""The completion popup on its own (no kernel): signatures, placement, closing on blur.

The kernel tests (``test_completion_inspect.py``) cover what ipykernel and xeus-python send;
these cover the popup's handling of a reply record in shapes they do not (yet) produce.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import App, ComposeResult
from textual.widgets import Button, TextArea

from tui.notebook.completion_popup import CompletionPopup
from tui.session import Completion


@dataclass(frozen=True)
class SignedCompletion(Completion):
    """A reply record with per-match signatures (ipykernel sends them in
    ``_jupyter_types_experimental``)."""

    signatures: list[str] = field(default_factory=list)


class PopupApp(App[None]):
    def __init__(self, text: str = "x = pr") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, id="ed")
        yield Button("elsewhere")

    @property
    def editor(self) -> TextArea:
        return self.query_one("#ed", TextArea)


def reply(end: int = 6) -> SignedCompletion:
    return SignedCompletion(
        matches=["print", "property", "%prun"], cursor_start=end - 2, cursor_end=end,
        types=["function", "class", "magic"],
        signatures=["(*values, sep=' ', end='\\n')", "", ""],
    )


async def open_popup(app: PopupApp) -> CompletionPopup:
    app.editor.focus()
    end = len(app.text)
    app.editor.move_cursor((0, end))
    popup = CompletionPopup(app.editor, reply(end))
    await app.screen.mount(popup)
    return popup


async def test_signature_of_the_highlighted_item_is_shown_under_the_list() -> None:
    app = PopupApp()
    async with app.run_test(size=(60, 16)) as pilot:
        popup = await open_popup(app)
        await pilot.pause()
        assert app.focused is popup
        assert popup.matches == ["print", "property", "%prun"]  # "pr": same score, a-z
        assert popup.border_subtitle == "(*values, sep=' ', end='\\n')"
        await pilot.press("down")
        assert popup.border_subtitle == ""
        # the items' text lines up with the text it replaces (under "pr", inside the border)
        editor_x, _ = app.editor.content_region.offset
        assert popup.region.x + 1 == editor_x + 4
        await pilot.press("enter")
        await pilot.pause()
        assert app.editor.text == "x = property" and app.focused is app.editor


async def test_focus_moving_away_closes_the_popup() -> None:
    app = PopupApp()
    async with app.run_test(size=(60, 16)) as pilot:
        popup = await open_popup(app)
        await pilot.pause()
        app.query_one(Button).focus()
        await pilot.pause()
        assert not popup.is_attached and not app.screen.query(CompletionPopup)
        assert app.editor.text == "x = pr"


async def test_the_popup_stays_inside_the_right_edge() -> None:
    app = PopupApp("a_rather_long_name_here = pr")
    async with app.run_test(size=(36, 16)) as pilot:
        popup = await open_popup(app)
        await pilot.pause()
        assert app.editor.cursor_screen_offset.x > 36 - popup.region.width
        assert popup.region.right <= 36 and popup.region.x >= 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.editor.text == "a_rather_long_name_here = pr" and app.focused is app.editor
