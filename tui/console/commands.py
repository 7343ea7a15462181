"""Client commands typed at the prompt, handled by the console instead of the kernel.

| command | does |
| --- | --- |
| ``:restart`` | restart the kernel (also works on kernels we attached to, see kernel.py) |
| ``:interrupt`` | interrupt the kernel (e.g. a cell still running after you stopped waiting) |
| ``:shutdown`` | shut the kernel down, even an attached one, and leave |
| ``:exit`` / ``:quit`` | leave (a kernel we started is shut down, an attached one kept) |
| ``:help`` | list these commands and the keys |

A bare ``exit`` or ``quit`` also leaves. On a kernel we started, IPython handles them itself and
answers with the ``ask_exit`` payload; on an attached kernel the console intercepts them, because
IPython's ``exit`` would stop the kernel (attached kernels are left running; use ``:shutdown``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.console.repl import Repl

Command = Callable[["Repl"], Awaitable[None]]


async def restart(repl: Repl) -> None:
    """``:restart``."""
    await repl.restart_kernel()


async def interrupt(repl: Repl) -> None:
    """``:interrupt``."""
    await repl.evaluator.interrupt()


async def shutdown(repl: Repl) -> None:
    """``:shutdown``."""
    repl.exit_requested = True
    repl.shutdown_on_exit = True


async def leave(repl: Repl) -> None:
    """``:exit``."""
    repl.exit_requested = True


async def show_help(repl: Repl) -> None:
    """``:help``."""
    from tui.console import keys

    lines = [f"{name:<12} {(fn.__doc__ or '').strip()}" for name, fn in COMMANDS.items()]
    repl.printer.note(
        "Console commands:\n  " + "\n  ".join(lines) + "\n" + (keys.__doc__ or ""), "plain"
    )


COMMANDS: dict[str, Command] = {
    ":restart": restart,
    ":interrupt": interrupt,
    ":shutdown": shutdown,
    ":exit": leave,
    ":quit": leave,
    ":help": show_help,
}


def find_command(text: str, *, implementation: str, owned: bool = True) -> Command | None:
    """The client command ``text`` names, if any."""
    word = text.strip()
    if word in COMMANDS:
        return COMMANDS[word]
    if word in ("exit", "quit") and (implementation != "ipython" or not owned):
        return leave
    return None
