"""Live pictures on a real kernel: a plot redrawn by ``update_display_data`` and an animation
of ``clear_output(wait=True)`` frames end on the last picture, and never flicker (once a cell
shows a picture, no render still decoding replaces it on screen)."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from tui.notebook import cell_view
from tui.notebook.cell_view import CellPart, is_pending

from .conftest import make_notebook, run_editor

pytestmark = pytest.mark.kernel

FRAMES = """\
import io, os, time
from PIL import Image
from IPython.display import display, clear_output, Image as PNG

def frame(colour):
    buf = io.BytesIO()
    Image.new("RGB", (160, 80), colour).save(buf, "PNG")
    return PNG(buf.getvalue())

def shown(k):  # the test creates ack-K once the editor drew frame K
    while not os.path.exists(f"ack-{k}"):
        time.sleep(0.01)
"""

def _colour_of(output: dict[str, object]) -> tuple[int, ...]:
    data = output["data"]
    assert isinstance(data, dict)
    png = base64.b64decode(str(data["image/png"]))
    pixel = Image.open(io.BytesIO(png)).convert("RGB").getpixel((5, 5))
    assert isinstance(pixel, tuple)
    return pixel


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each render a cell body showed was still pending (decoding), in order."""
    record: list[bool] = []
    original = CellPart.show

    def show(self: CellPart, renderable: object) -> None:
        if self.has_class("cell-body"):
            record.append(is_pending(renderable))  # type: ignore[arg-type]
        original(self, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(cell_view.CellPart, "show", show)
    return record


def _no_flicker(record: list[bool]) -> None:
    first_picture = record.index(False)
    assert not any(record[first_picture:]), record  # nothing pending replaced a picture
    assert record[-1] is False


@pytest.mark.parametrize("code,colours", [
    ("for k, colour in enumerate([(200, 0, 0), (200, 80, 0), (200, 160, 0)]):\n"
     "    clear_output(wait=True)\n    display(frame(colour))\n    shown(k)",
     [(200, 0, 0), (200, 80, 0), (200, 160, 0)]),
    ("handle = display(frame((0, 0, 200)), display_id=True)\nshown(0)\n"
     "for k, colour in enumerate([(0, 80, 200), (0, 160, 200)], 1):\n"
     "    handle.update(frame(colour))\n    shown(k)",
     [(0, 0, 200), (0, 80, 200), (0, 160, 200)]),
])
async def test_live_pictures_end_on_the_last_frame_without_flicker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[bool], code: str,
        colours: list[tuple[int, ...]]) -> None:
    monkeypatch.chdir(tmp_path)  # the kernel starts here: its ack files are ours
    nb = make_notebook(FRAMES + code)
    async with run_editor(nb, tmp_path / "live.ipynb") as ed:
        await ed.press("ctrl+e")
        for k, colour in enumerate(colours):
            def drawn(colour: tuple[int, ...] = colour) -> bool:
                pictures = [o for o in ed.cells[0].outputs
                            if o.get("output_type") == "display_data"]
                return (len(pictures) == 1 and _colour_of(pictures[0]) == colour
                        and bool(shown) and shown[-1] is False and "▀" in ed.text())
            await ed.until(drawn)
            (tmp_path / f"ack-{k}").touch()
        await ed.idle()
        assert "loading image" not in ed.text()
    # the first frame was decoded off the UI thread (its rows held by a Loading), each later
    # one too, while the frame before stayed on screen: one picture shown per frame
    assert shown[0] is True and shown.count(False) >= len(colours)
    _no_flicker(shown)
