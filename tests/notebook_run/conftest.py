"""Drive the editor with a real kernel under Pilot, waiting on the session's events."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from nbio.model import Cell, Notebook
from tui.notebook.app import NotebookApp
from tui.notebook.kernel_controller import KernelController
from tui.notebook.screen import NotebookScreen
from tui.session import KernelSession


def screen_text(app: App[Any]) -> str:
    """The current screen as lines of plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


def make_notebook(*sources: str, kernel: str = "python3") -> Notebook:
    """A 4.5 notebook of code cells with fixed ids."""
    display = {"python3": "Python 3 (ipykernel)", "bash": "Bash"}.get(kernel, kernel)
    nb = Notebook.new(kernel, display_name=display,
                      language="python" if kernel == "python3" else kernel)
    nb.cells = [Cell.new("code", s, cell_id=f"cell{k:04d}") for k, s in enumerate(sources)]
    return nb


def editor_app(nb: Notebook, path: Path, *, kernel: str | None = None) -> NotebookApp:
    """The editor as ``jtui PATH`` makes it: the kernel starts at once."""
    nb.path = path
    app = NotebookApp(nb, path, is_new=not path.exists(), check_disk_every=0)
    app.autostart_kernel = True  # type: ignore[attr-defined]
    app.kernel_name = kernel  # type: ignore[attr-defined]
    return app


@pytest.fixture(scope="session")
def _ipython_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One IPython profile dir for the session's kernels (history.sqlite etc. go there)."""
    return tmp_path_factory.mktemp("ipython")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _ipython_dir: Path) -> None:
    """Nothing written under $HOME: Jupyter config, data (the key-hint marker), runtime
    (connection files) and IPython dirs in tmp. Kernelspecs are still found in the venv's
    ``sys.prefix/share/jupyter``, which is searched whatever JUPYTER_DATA_DIR says."""
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(_ipython_dir))
    monkeypatch.setenv("TERM_PROGRAM", "kitty")


class RunDriver:
    """A running editor with a kernel, and ways to wait for what the kernel does."""

    def __init__(self, app: NotebookApp, pilot: Pilot[None]) -> None:
        self.app = app
        self.pilot = pilot

    @property
    def screen(self) -> NotebookScreen:
        return self.app.notebook_screen

    @property
    def controller(self) -> KernelController:
        return self.screen.kernel

    @property
    def session(self) -> KernelSession:
        return self.controller.session

    @property
    def cells(self) -> list[Cell]:
        return self.screen.nb.cells

    def text(self) -> str:
        return screen_text(self.app)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def until(self, predicate: Callable[[], bool], timeout: float = 20) -> None:
        """Wait until ``predicate()`` holds, re-checking after each batch the UI handles."""
        handled = self.controller.handled

        async def loop() -> None:
            while True:
                handled.clear()
                await self.pilot.pause()
                if predicate():
                    return
                # Kernel batches set `handled`; key presses and repaints do not, so re-check
                # after a short while too rather than wait for a batch that may never come.
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(handled.wait(), 0.2)

        await asyncio.wait_for(loop(), timeout)

    async def until_shown(self, needle: str, timeout: float = 20) -> None:
        """Wait until ``needle`` appears on the screen."""
        await self.until(lambda: needle in self.text(), timeout)

    async def ready(self) -> None:
        assert await self.session.wait_ready(60), self.session.problem
        await self.pilot.pause()

    async def idle(self, timeout: float = 30) -> None:
        """Wait until nothing is queued or running, and the screen shows it: no ``[*]``
        prompt, and the status bar past the kernel's busy state (the session's last batch of
        changes, outputs with it, reaches the views after the session itself is idle)."""
        await self.session.wait_idle(timeout)

        def shown() -> bool:
            text = self.text()
            return "[*]:" not in text and "· busy" not in text

        await self.until(shown)


@asynccontextmanager
async def run_editor(nb: Notebook, path: Path, *, kernel: str | None = None,
                     size: tuple[int, int] = (100, 32)) -> AsyncIterator[RunDriver]:
    """Open ``nb`` in the editor with its kernel starting, and drive it."""
    app = editor_app(nb, path, kernel=kernel)
    async with app.run_test(size=size) as pilot:
        driver = RunDriver(app, pilot)
        await driver.ready()
        yield driver
