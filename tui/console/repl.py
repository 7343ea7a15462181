"""The read / evaluate / print loop, tying the reader, the evaluator and the printer together."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from typing import Any

from protocol.errors import ProtocolError, RequestTimeout
from tui.console import history as history_mod
from tui.console.commands import find_command
from tui.console.evaluator import CellResult, Evaluator, InputInterrupted
from tui.console.kernel import ConsoleKernel
from tui.console.keys import PromptActions
from tui.console.linecut import bounded_prompt
from tui.console.pager import page
from tui.console.printer import Printer
from tui.console.reader import Reader, prompt_is_active
from tui.console.rich_output import ConsoleRenderer
from tui.console.typeahead import EofKeyKept
from tui.console.widgets import ConsoleWidgets

#: ``name?`` / ``name??`` asks for help; IPython handles it itself, other kernels get inspect.
HELP_RE = re.compile(r"^\s*([\w.]+(?:\([^()]*\))?)(\?{1,2})\s*$")


class Completeness:
    """Enter's question "is this cell complete?", asked with ``is_complete_request``.

    Kernels that answer ``unknown`` (bash_kernel) or not at all get the fallback: the cell is
    complete unless its last line ends with a backslash. After three timeouts in a row the
    kernel is not asked again this session (jupyter_console asks once and warns forever).
    """

    def __init__(self, kernel: ConsoleKernel, printer: Printer, timeout: float = 1.0) -> None:
        self.kernel = kernel
        self.printer = printer
        self.timeout = timeout
        self.enabled = True
        self._timeouts = 0

    async def __call__(self, text: str) -> tuple[bool, str]:
        """``(complete, indent)`` for ``text``."""
        if self.enabled and not self.kernel.client.is_dead:
            try:
                reply = await self.kernel.client.is_complete(text, timeout=self.timeout)
            except RequestTimeout:
                self._timeouts += 1
                if self._timeouts >= 3:
                    self.enabled = False
            except ProtocolError:
                pass
            else:
                self._timeouts = 0
                status = reply.get("status")
                indent = reply.get("indent")
                if status == "incomplete":
                    return False, indent if isinstance(indent, str) else ""
                if status in ("complete", "invalid"):
                    return True, ""
        return not text.rstrip("\n").endswith("\\"), ""


class Repl:
    """One console session on one kernel."""

    def __init__(
        self,
        kernel: ConsoleKernel,
        *,
        include_other_output: bool = False,
        shutdown_on_exit: bool | None = None,
        show_banner: bool = True,
        renderer: ConsoleRenderer | None = None,
    ) -> None:
        self.kernel = kernel
        self.show_banner = show_banner
        self.exit_requested = False
        self.shutdown_on_exit = kernel.owned if shutdown_on_exit is None else shutdown_on_exit
        self.next_input = ""
        self.printer = Printer(sys.stdout, color=True, live=True, prompt_active=prompt_is_active,
                               renderer=renderer)
        self.widgets = ConsoleWidgets(self.printer)
        """The kernel's widgets, drawn inline and redrawn live (:mod:`tui.console.widgets`)."""
        self.completeness = Completeness(kernel, self.printer)
        self.history = history_mod.ConsoleHistory(
            history_mod.history_path(kernel.language), self._kernel_history()
        )
        self.reader = Reader(
            actions=PromptActions(check_complete=self.completeness, inspect=self.inspect),
            complete=self._complete,
            language_info=kernel.language_info,
            history=self.history,
        )
        self.eof_key = EofKeyKept(sys.stdin.fileno())
        """Ctrl-D typed while a cell runs is kept for the next prompt."""
        self.evaluator = Evaluator(
            kernel, self.printer, ask_input=self._ask_input,
            include_other_output=include_other_output, on_died=self._on_died,
            on_comm=self.widgets.receive,
        )

    # -- kernel requests used by the prompt ----------------------------------------------------

    async def _ask_input(self, prompt: str, password: bool) -> str:
        # The kernel's prompt may be hostile or huge (``input('x' * 5_000_000)``): only its
        # colours and a bounded part of it reach the prompt, which stays responsive.
        prompt = bounded_prompt(prompt, line_limit=min(400, self.printer.line_limit or 400))
        try:
            return await self.reader.read_input(prompt, password)
        except KeyboardInterrupt:
            raise InputInterrupted() from None

    async def _complete(self, code: str, cursor: int) -> dict[str, Any]:
        return await self.kernel.client.complete(code, cursor, timeout=5)

    async def _kernel_history(self) -> list[str]:
        reply = await self.kernel.client.history(hist_access_type="tail", n=1000, timeout=3)
        return history_mod.kernel_history_entries(reply)

    async def inspect(self, code: str, cursor: int, detail_level: int = 0) -> None:
        """Print the kernel's inspect reply for ``code`` at ``cursor`` (above the prompt)."""
        try:
            reply = await self.kernel.client.inspect(code, cursor, detail_level, timeout=3)
        except ProtocolError as exc:
            self.printer.note(f"No help from the kernel: {exc}", "warning")
            return
        data = reply.get("data") or {}
        if reply.get("status") != "ok" or not reply.get("found") or not data:
            self.printer.note("No help found.", "info")
            return
        text = data.get("text/plain")
        if isinstance(text, str):
            await page(self.printer, text)
        else:
            self.printer.handle(_Fake("display_data", {"data": data}))

    # -- the loop ------------------------------------------------------------------------------

    async def run(self) -> int:
        """Read, evaluate, print until exit; returns the exit status."""
        self.widgets.bind(self.kernel.client)
        self.evaluator.start()
        self.eof_key.keep()
        if self.show_banner:
            self.printer.banner(str(self.kernel.kernel_info.get("banner") or ""))
        if not self.kernel.owned:
            await self._sync_execution_count()
            self.widgets.attach()
        try:
            while not self.exit_requested:
                try:
                    default, self.next_input = self.next_input, ""
                    text = await self.reader.read(self.evaluator.execution_count, default)
                except EOFError:
                    break
                except KeyboardInterrupt:
                    continue
                finally:
                    self.evaluator.install_sigint()
                    self.printer.prompt_closed()
                await self.handle(text)
        finally:
            await self.close()
        return 0

    async def handle(self, text: str) -> None:
        """Evaluate one accepted cell (or client command)."""
        if not text.strip():
            return
        command = find_command(
            text, implementation=self.kernel.implementation, owned=self.kernel.owned
        )
        if command is not None:
            await command(self)
            return
        if self.evaluator.dead_reason is not None and not await self._offer_restart():
            return
        if self.kernel.implementation != "ipython":
            match = HELP_RE.match(text)
            if match:
                self.history.append_string(text)
                await self.inspect(match.group(1), len(match.group(1)), len(match.group(2)) - 1)
                return
        result = await self.evaluator.execute(text)
        await self.after_execution(result)

    async def after_execution(self, result: CellResult) -> None:
        """Act on the reply: payloads, aborted cells, a dead kernel."""
        if result.status == "aborted" or result.status == "abort":
            self.printer.note("Aborted", "warning")
        if result.died is not None:
            return  # reported by _on_died
        for payload in result.payloads:
            source = payload.get("source")
            if source == "page":
                data = payload.get("data") or {}
                text = data.get("text/plain") if isinstance(data, dict) else None
                if isinstance(text, str):
                    await page(self.printer, text)
            elif source == "set_next_input":
                self.next_input = str(payload.get("text") or "")
            elif source == "ask_exit":
                self.exit_requested = True
                if payload.get("keepkernel") and not self.kernel.owned:
                    # A kernel we started cannot outlive us (the launcher ties it to our
                    # process), so it is always shut down cleanly.
                    self.shutdown_on_exit = False

    async def _sync_execution_count(self) -> None:
        """An attached kernel may be at In [57]: ask it (a silent empty execute)."""
        try:
            msg_id = await self.kernel.client.execute("", silent=True, store_history=False,
                                                      allow_stdin=False)
            reply = await self.kernel.client.wait_for_execution(msg_id, timeout=2)
        except ProtocolError:
            return
        count = reply.get("execution_count")
        if isinstance(count, int):
            self.evaluator.execution_count = count + 1

    # -- kernel death and restart --------------------------------------------------------------

    def _on_died(self, reason: str) -> None:
        self.printer.note(
            f"The kernel died ({reason}). Type :restart to restart it, or Ctrl-D to leave.",
            "error",
        )

    async def _offer_restart(self) -> bool:
        """The kernel is dead: ask whether to restart it; True when it is back."""
        try:
            answer = await self.reader.read_input("The kernel is dead. Restart it? [Y/n] ", False)
        except (EOFError, KeyboardInterrupt):
            return False
        if answer.strip().lower() not in ("", "y", "yes"):
            return False
        return await self.restart_kernel()

    async def restart_kernel(self) -> bool:
        """Restart the kernel (``:restart``); True when it is back."""
        self.printer.note("Restarting the kernel...", "info")
        client = self.kernel.client
        try:
            await self.kernel.restart()
        except Exception as exc:
            self.printer.note(f"Restart failed: {exc}", "error")
            return False
        if self.kernel.client is not client:  # a remote kernel's new WebSocket
            await self.evaluator.stop()
            self.evaluator.start()
        self.evaluator.revived()
        self.widgets.bind(self.kernel.client, reset="the kernel was restarted")
        self.printer.note("Kernel restarted.", "info")
        return True

    async def close(self) -> None:
        """Leave: shut down a kernel we started (or were asked to), close the connection.

        The terminal may be gone (a hangup): failed writes to it do not stop the shutdown."""
        try:
            with contextlib.suppress(OSError):
                self.printer.prompt_closed()
            await self.evaluator.stop()
            await self.widgets.aclose()
            if self.shutdown_on_exit:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.kernel.shutdown(), timeout=10)
            elif not self.kernel.owned:
                with contextlib.suppress(OSError):
                    self.printer.note("Leaving the kernel running.", "info")
        finally:
            self.eof_key.restore()
            await self.kernel.close()


class _Fake:
    """A minimal event-like object for printing a bundle that did not come as an event."""

    def __init__(self, msg_type: str, content: dict[str, Any]) -> None:
        self.msg_type = msg_type
        self.content = content
