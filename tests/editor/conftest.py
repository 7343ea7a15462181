"""Fixtures for the notebook editor's tests: sample notebooks on disk and a Pilot driver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot

import nbio
from nbio.model import Cell, Notebook
from tui.notebook.app import NotebookApp
from tui.notebook.screen import NotebookScreen

CORPUS = Path(__file__).resolve().parents[1] / "data" / "nbcorpus"
if not (CORPUS / "expected_v4").is_dir():  # before tests/data was populated
    CORPUS = Path("/work/shared/nbcorpus")

RED = "\x1b[31m"
RESET = "\x1b[0m"


def sample_notebook() -> Notebook:
    """A small 4.5 notebook with every cell type and the common output types."""
    ids = iter(f"cell{k:04d}" for k in range(100))
    cells = [
        Cell.new("markdown", "# Title\n\nSome *emphasis*, a [link](https://jupyter.org) and:\n\n"
                 "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |", cell_id=next(ids)),
        Cell.new("code", "import math\nprint(math.pi)", cell_id=next(ids)),
        Cell.new("code", "x = 1\nx + 1", cell_id=next(ids)),
        Cell.new("raw", "raw text", cell_id=next(ids)),
        Cell.new("code", "1/0", cell_id=next(ids)),
    ]
    cells[1].execution_count = 1
    cells[1].outputs = [{"output_type": "stream", "name": "stdout",
                         "text": f"{RED}3.14159{RESET}\n"}]
    cells[2].execution_count = 2
    cells[2].outputs = [{"output_type": "execute_result", "execution_count": 2, "metadata": {},
                         "data": {"text/plain": "2", "image/png": "iVBORw0KGgo="}}]
    cells[4].execution_count = 3
    cells[4].outputs = [{"output_type": "error", "ename": "ZeroDivisionError",
                         "evalue": "division by zero",
                         "traceback": [f"{RED}ZeroDivisionError{RESET}: division by zero"]}]
    return Notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }, nbformat=4, nbformat_minor=5)


def numbered_notebook(n: int, *, minor: int = 5) -> Notebook:
    """``n`` code cells whose sources are ``c0`` ... ``c{n-1}``."""
    cells = [Cell.new("code", f"c{k}", cell_id=f"id{k:05d}") for k in range(n)]
    if minor < 5:
        for c in cells:
            c.data.pop("id")
    return Notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                          "display_name": "Python 3"}},
                    nbformat=4, nbformat_minor=minor)


@pytest.fixture(scope="session")
def _ipython_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One IPython profile dir for the kernels ``jtui PATH`` starts in the PTY tests."""
    return tmp_path_factory.mktemp("ipython")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _ipython_dir: Path) -> None:
    """No user config, no user data, a terminal known to send modified keys, no $EDITOR.

    Jupyter config, data (the key-hint marker), runtime (connection files) and IPython dirs
    are in tmp; kernelspecs are still found in the venv's ``sys.prefix/share/jupyter``."""
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(_ipython_dir))
    monkeypatch.setenv("TERM_PROGRAM", "kitty")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


@pytest.fixture
def write_nb(tmp_path: Path) -> Callable[..., Path]:
    """Write a notebook to ``tmp_path`` with nbio and return its path."""

    def write(nb: Notebook, name: str = "nb.ipynb") -> Path:
        path = tmp_path / name
        nbio.write(nb, path)
        return path

    return write


class Driver:
    """A running editor under Pilot, with shortcuts to its state."""

    def __init__(self, app: NotebookApp, pilot: Pilot[None], messages: list[Message]) -> None:
        self.app = app
        self.pilot = pilot
        self.messages = messages

    @property
    def screen(self) -> NotebookScreen:
        return self.app.notebook_screen

    @property
    def nb(self) -> Notebook:
        return self.screen.nb

    def sources(self) -> list[str]:
        return [c.source for c in self.nb.cells]

    def types(self) -> list[str]:
        return [c.cell_type for c in self.nb.cells]

    @property
    def cursor(self) -> int:
        return self.screen.cursor

    @property
    def selected(self) -> list[int]:
        return self.screen.selected

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def saved(self) -> None:
        """Wait until every save started so far is written (saves run in a worker)."""
        saves = [w for w in self.app.workers if w.group in ("save", "quit")]
        if saves:  # (an empty list would mean "every worker", the kernel's feed included)
            await self.app.workers.wait_for_complete(saves)
        await self.pilot.pause()

    async def settle(self) -> None:
        await self.pilot.pause()
        await self.pilot.wait_for_scheduled_animations()
        await self.pilot.pause()


@asynccontextmanager
async def run_editor(path: Path, *, size: tuple[int, int] = (80, 24),
                     user_keymap: dict[str, str] | None = None,
                     check_disk_every: float = 0, nb: Notebook | None = None,
                     **kwargs: Any) -> AsyncIterator[Driver]:
    """Open ``path`` as ``jtui`` would (or show ``nb``, read from it) and drive it."""
    is_new = not path.exists()
    if nb is not None:
        pass
    elif is_new:
        nb = Notebook.new("python3", display_name="Python 3 (ipykernel)", language="python")
        nb.path = path
    else:
        nb = nbio.read(path)
    app = NotebookApp(nb, path, is_new=is_new, user_keymap=user_keymap,
                      check_disk_every=check_disk_every, **kwargs)
    messages: list[Message] = []
    async with app.run_test(size=size, message_hook=messages.append) as pilot:
        driver = Driver(app, pilot, messages)
        await driver.settle()
        yield driver
