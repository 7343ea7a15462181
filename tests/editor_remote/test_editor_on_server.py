"""The editor on a real jupyter_server (token, base URL /user/tester/): ``jtui URL`` opens the
notebook from the contents API, runs it on the server's kernel for that path (shared with any
other client), saves through the API with JupyterLab's conflict check and a checkpoint, and
keeps a journal named after the URL. Pilot tests that wait for events, never fixed sleeps."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import nbio
from protocol.clientcore import collect_until_done
from protocol.events import ExecuteResult
from protocol.remote.contents import ContentsClient
from protocol.remote.kernel import RemoteKernel
from protocol.remote.rest import ServerClient
from tests.editor.recovery_support import journal_sources
from tests.editor_remote.conftest import parse
from tests.notebook_run.conftest import RunDriver
from tests.support.jserver import RunningServer
from tui.notebook import command
from tui.notebook.app import NotebookApp
from tui.notebook.dialogs import ChoiceScreen

pytestmark = pytest.mark.kernel


def put_notebook(server: RunningServer, path: str, *sources: str) -> Path:
    """Write a notebook of code cells into the server's root as nbformat writes it."""
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    target = server.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def open_app(*argv: str) -> NotebookApp:
    """The editor app ``jtui ARGV`` would run (not frozen: an app under test)."""
    app = command.prepare(parse(*argv))
    assert isinstance(app, NotebookApp), app
    app._freeze_gc = False
    return app


def texts(cell: Any) -> str:
    """The text/plain of a cell's outputs."""
    out = []
    for o in cell.outputs:
        data = o.get("data", {}) if isinstance(o, dict) else {}
        out.append(str(data.get("text/plain", "")) + str(o.get("text", "")))
    return "".join(out)


def notes(app: NotebookApp) -> str:
    """Every notification's text so far."""
    return "\n".join(n.message for n in app._notifications)


async def run_cell(d: RunDriver, index: int) -> None:
    d.screen._move_cursor(index)
    await d.press("shift+enter")
    await d.idle()


async def test_browser_url_open_run_share_save_checkpoint_conflict(server: RunningServer,
                                                                   ) -> None:
    path = "work/a.ipynb"
    on_disk = put_notebook(server, path, "x = 6 * 7", "")
    url = f"{server.base_url}lab/tree/{path}?token={server.token}"
    rest = ServerClient(server.url())
    contents = ContentsClient(rest)
    app = open_app(url)
    other: RemoteKernel | None = None
    async with app.run_test(size=(100, 32)) as pilot:
        d = RunDriver(app, pilot)
        await d.ready()
        assert app.title == "a.ipynb" and server.token not in d.text()
        await run_cell(d, 0)
        await d.press("enter", *"x+1", "escape")  # edit the second cell, then run it
        await run_cell(d, 1)
        await d.until(lambda: "43" in texts(d.cells[1]))

        # The kernel is the server's session for this path: a second client shares it.
        sessions = [s for s in rest.sessions() if s.path == path]
        kernel_id = d.session.manager.kernel_id
        assert len(sessions) == 1 and sessions[0].kernel.id == kernel_id
        other = await RemoteKernel.attach(server.url(), kernel_id)
        events = other.client.events()
        msg_id = await other.client.execute("x * 2")
        got = await collect_until_done(events, msg_id, timeout=30)
        assert [e.data["text/plain"] for e in got if isinstance(e, ExecuteResult)] == ["84"]

        # The journal is named after the URL without its token.
        source = app.contents.journal_source
        assert source == f"{server.base_url}{path}" and server.token not in source
        await d.until(lambda: journal_sources(source) == ["x = 6 * 7", "x+1", ""])

        # Ctrl+S: PUT, the file on the server's disk is what nbformat writes; a checkpoint.
        await d.press("ctrl+s")
        await d.until(lambda: d.screen.checkpoints_written == 1)
        data = on_disk.read_bytes()
        assert data == (nbio.writes(d.screen.nb) + "\n").encode()
        assert data == (nbformat.writes(nbformat.read(on_disk, as_version=4)) + "\n").encode()
        assert b"x+1" in data and b"43" in data
        assert contents.list_checkpoints(path)
        checkpoint = server.root / "work/.ipynb_checkpoints/a-checkpoint.ipynb"
        assert checkpoint.read_bytes() == data
        assert not d.screen.dirty

        # A change made on the server meanwhile is found at the next save: we are asked.
        changed = nbformat.read(on_disk, as_version=4)
        changed.cells.append(new_markdown_cell("changed on the server"))
        contents.save_notebook(path, dict(changed))
        await d.press("b")  # a new cell: unsaved
        await d.press("ctrl+s")
        await d.until(lambda: isinstance(app.screen, ChoiceScreen))
        assert "changed on the server" in app.screen.question
        assert b"changed on the server" in on_disk.read_bytes()  # not overwritten
        await d.press("k")  # keep mine: saved over it, with a new checkpoint
        await d.until(lambda: d.screen.checkpoints_written == 2)
        assert on_disk.read_bytes() == (nbio.writes(d.screen.nb) + "\n").encode()
        assert b"changed on the server" not in on_disk.read_bytes()

        # Revert to checkpoint goes through the server too.
        await d.press("b")
        await d.press("ctrl+s")
        await d.until(lambda: d.screen.checkpoints_written == 3)
        cells_saved = len(d.cells)
        d.screen.action_revert_checkpoint()
        await d.until(lambda: isinstance(app.screen, ChoiceScreen))
        await d.press("r")
        await d.until(lambda: "reverted" in d.screen.message)
        assert len(d.screen.nb.cells) == cells_saved
    # We quit while another client uses the kernel: the session stays.
    try:
        assert [s.kernel.id for s in rest.sessions() if s.path == path] == [kernel_id]
    finally:
        if other is not None:
            await other.close()
        for s in rest.sessions():
            rest.delete_session(s.id)


async def test_server_and_path_reuse_a_session_and_quitting_keeps_only_others(
        server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    rest = ServerClient(server.url())
    put_notebook(server, "work/theirs.ipynb", "1")
    put_notebook(server, "work/ours.ipynb", "1")
    theirs = rest.create_session("work/theirs.ipynb", kernel_name="python3")
    monkeypatch.setenv("JUPYTER_TOKEN", server.token)  # the token from the environment
    try:
        app = open_app("--server", server.base_url, "work/theirs.ipynb")
        async with app.run_test() as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            assert d.session.manager.kernel_id == theirs.kernel.id  # reused, not a new one
        assert theirs.id in [s.id for s in rest.sessions()]  # it was not ours to delete

        app = open_app("--server", server.base_url, "/work/ours.ipynb")
        async with app.run_test() as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            ours = d.session.manager.kernel_id
            await run_cell(d, 0)
            assert [s.kernel.id for s in rest.sessions() if s.path == "work/ours.ipynb"] == [ours]
        # created by us, nobody else connected: deleted with its kernel on quit
        assert "work/ours.ipynb" not in [s.path for s in rest.sessions()]
        assert ours not in [k.id for k in rest.kernels()]
    finally:
        for s in rest.sessions():
            rest.delete_session(s.id)


async def test_stdin_interrupt_restart_on_the_server_kernel(server: RunningServer) -> None:
    put_notebook(server, "work/io.ipynb", "name = input('who? ')\nname * 2",
                 "import time\nfor i in range(600): time.sleep(0.1)", "name")
    rest = ServerClient(server.url())
    app = open_app(f"{server.base_url}notebooks/work/io.ipynb?token={server.token}")
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            d.screen._move_cursor(0)
            await d.press("shift+enter")
            await d.until(lambda: d.session.pending_input is not None)
            await d.session.answer_input("ab")
            await d.idle()
            assert "'abab'" in texts(d.cells[0])
            d.screen._move_cursor(1)
            await d.press("shift+enter")
            await d.until(lambda: d.session.running is not None
                          and d.session.running.cell is d.cells[1])
            await d.session.interrupt()
            await d.idle()
            assert "KeyboardInterrupt" in "".join(
                "".join(o.get("traceback", [])) + o.get("ename", "") for o in d.cells[1].outputs)
            await d.controller.session.restart()
            await run_cell(d, 2)
            assert "NameError" in str(d.cells[2].outputs)  # a fresh kernel after the restart
    finally:
        for s in rest.sessions():
            rest.delete_session(s.id)


async def test_gateway_runs_a_local_notebook_on_the_server(server: RunningServer,
                                                           tmp_path: Path) -> None:
    local = tmp_path / "local.ipynb"
    nb = new_notebook(cells=[new_code_cell("import os; os.getppid()")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, local)
    rest = ServerClient(server.url())
    app = open_app(str(local), "--gateway", server.base_url, "--token", server.token)
    async with app.run_test() as pilot:
        d = RunDriver(app, pilot)
        await d.ready()
        kernel_id = d.session.manager.kernel_id
        assert kernel_id in [k.id for k in rest.kernels()]
        assert not rest.sessions()  # a gateway kernel: no session, files stay local
        await run_cell(d, 0)
        assert texts(d.cells[0]) == str(server.process.pid)  # the server's child, not ours
        await d.press("ctrl+s")
        await d.until(lambda: d.screen.checkpoints_written == 1)
        assert local.read_bytes() == (nbio.writes(d.screen.nb) + "\n").encode()
    assert kernel_id not in [k.id for k in rest.kernels()]  # ours: stopped on quit


def test_wrong_token_missing_notebook_and_no_path_are_one_line_errors(
        server: RunningServer, capsys: pytest.CaptureFixture[str]) -> None:
    put_notebook(server, "work/e.ipynb", "1")
    from tui.cli import main

    assert main([f"{server.base_url}lab/tree/work/e.ipynb?token=wrong-token-123"]) == 1
    err = capsys.readouterr().err
    assert "403" in err and "token" in err and "wrong-token-123" not in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1

    assert main([f"{server.base_url}lab/tree/work/e.ipynb"]) == 1  # no token at all
    err = capsys.readouterr().err
    assert "403" in err and "--token" in err and "JUPYTER_TOKEN" in err

    assert main(["--server", server.base_url, "work/nothere.ipynb",
                 "--token", server.token]) == 1
    err = capsys.readouterr().err
    assert "404" in err and "work/nothere.ipynb" in err and server.token not in err

    assert main([f"{server.base_url}lab?token={server.token}"]) == 2
    err = capsys.readouterr().err
    assert "names no notebook" in err and server.token not in err


async def test_server_gone_mid_session_notebook_stays_editable(tmp_path: Path) -> None:
    from tests.support.jserver import jupyter_server

    root = tmp_path / "root"
    root.mkdir()
    with jupyter_server(root, base_path="/base/") as srv:
        put_notebook(srv, "gone.ipynb", "1 + 1")
        app = open_app(f"{srv.base_url}doc/tree/gone.ipynb", "--token", srv.token)
        async with app.run_test(size=(100, 32)) as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            await run_cell(d, 0)
            srv.process.terminate()
            await asyncio.to_thread(srv.process.wait, 30)
            await d.until(lambda: d.session.state.value == "dead", timeout=30)
            await d.until(lambda: isinstance(app.screen, ChoiceScreen))  # "restart?" offer
            assert "died" in d.text() and srv.token not in d.text()
            await d.press("escape")
            await d.until(lambda: not isinstance(app.screen, ChoiceScreen))
            await d.press("b")
            await d.press("ctrl+s")
            await d.until(lambda: "Not saved" in notes(app), timeout=30)
            assert "cannot be reached" in notes(app)
            assert srv.token not in notes(app) and srv.token not in d.text()
            assert d.screen.dirty
            count = len(d.cells)
            await d.press("b")  # still editable
            assert len(d.cells) == count + 1


async def test_autosave_to_the_server_stops_when_the_server_file_changed(
        server: RunningServer) -> None:
    path = "work/auto.ipynb"
    on_disk = put_notebook(server, path, "1")
    contents = ContentsClient(ServerClient(server.url()))
    app = open_app(f"{server.base_url}lab/tree/{path}?token={server.token}")
    app.recovery.autosave_every = 0.2
    try:
        async with app.run_test() as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            await d.press("b")
            await d.until(lambda: d.screen.autosaves == 1)
            assert len(nbformat.read(on_disk, as_version=4).cells) == 2
            assert d.screen.checkpoints_written == 0  # autosave makes no checkpoint
            changed = nbformat.read(on_disk, as_version=4)
            changed.cells.append(new_markdown_cell("changed on the server"))
            contents.save_notebook(path, dict(changed))
            await d.press("b")
            await d.until(lambda: d.screen.autosave_stopped)
            assert "autosave is off" in notes(app)
            assert b"changed on the server" in on_disk.read_bytes()
            assert d.screen.autosaves == 1 and d.screen.dirty
    finally:
        rest = ServerClient(server.url())
        for s in rest.sessions():
            rest.delete_session(s.id)


async def test_change_kernel_offers_the_servers_kernelspecs(server: RunningServer) -> None:
    from tui.notebook.kernel_picker import KernelPicker

    path = "work/switch.ipynb"
    put_notebook(server, path, "echo hi-from-bash")
    rest = ServerClient(server.url())
    app = open_app(f"{server.base_url}lab/tree/{path}?token={server.token}")
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            d.screen.action_kernel_change()
            await d.until(lambda: isinstance(app.screen, KernelPicker))
            picker = app.screen
            assert {"python3", "bash"} <= {c.name for c in picker.choices}
            assert all(server.base_url in c.command for c in picker.choices)
            picker.dismiss("bash")
            await d.until(lambda: d.session.is_ready and d.session.manager.spec.name == "bash",
                          timeout=60)
            assert [s.kernel.name for s in rest.sessions() if s.path == path] == ["bash"]
            assert d.screen.nb.metadata["kernelspec"]["name"] == "bash"
            await run_cell(d, 0)
            assert "hi-from-bash" in texts(d.cells[0])
    finally:
        for s in rest.sessions():
            rest.delete_session(s.id)


async def test_unsaved_changes_of_a_server_notebook_are_offered_back(server: RunningServer,
                                                                     ) -> None:
    from tui.recovery.recover import recovered_notebook

    path = "work/journaled.ipynb"
    on_disk = put_notebook(server, path, "1")
    url = f"{server.base_url}lab/tree/{path}?token={server.token}"
    rest = ServerClient(server.url())
    try:
        app = open_app(url)
        async with app.run_test() as pilot:
            d = RunDriver(app, pilot)
            await d.ready()
            await d.press("b")  # unsaved, then the editor goes away without saving
            source = app.contents.journal_source
            await d.until(lambda: journal_sources(source) == ["1", ""])
        assert len(nbformat.read(on_disk, as_version=4).cells) == 1  # the server's is intact
        again = open_app(url)
        offer = again.recovery.offer
        assert offer is not None and offer.journal.header.source_sha256
        assert server.token not in str(offer.journal.header.source)
        nb = recovered_notebook(offer.journal, again.path, again.nb)
        assert [c.source for c in nb.cells] == ["1", ""]
    finally:
        for s in rest.sessions():
            rest.delete_session(s.id)
