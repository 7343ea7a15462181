"""The ``jtui`` (``jupyter-tui``, ``jupyter tui``) command line.

``jtui PATH`` opens the notebook editor; ``jtui SUBCOMMAND ...`` runs a subcommand. Each
subcommand lives in its own module (imported only when used, so ``jtui validate`` never loads
Textual) exposing ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tui import __version__

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "console": ("tui.console.command", "a quick REPL on any kernel"),
    "kernels": ("tui.commands.kernels", "list installed kernelspecs"),
    "validate": ("tui.commands.validate", "validate notebooks against the nbformat schema"),
    "trust": ("tui.commands.trust", "sign notebooks as trusted (like `jupyter trust`)"),
    "notebook": ("tui.notebook.command", "open a notebook in the editor (the default)"),
    "recover": ("tui.commands.recover", "list notebooks with unsaved changes to recover"),
    "run": ("tui.commands.run", "execute a notebook headless and save it"),
    "view": ("tui.commands.view", "show notebooks rendered in the terminal (like nbviewer)"),
}


def _top_level_help() -> str:
    lines = [
        "usage: jtui [PATH] [options]         open a notebook in the editor",
        "       jtui URL [options]            open a notebook on a Jupyter Server (as the "
        "browser shows it)",
        "       jtui SUBCOMMAND [options]     run a subcommand",
        "",
        "subcommands:",
    ]
    lines += [f"  {name:<10} {summary}" for name, (_, summary) in SUBCOMMANDS.items()]
    lines += ["", "`jtui SUBCOMMAND --help` for a subcommand's options."]
    return "\n".join(lines)


def _run_subcommand(name: str, argv: Sequence[str]) -> int:
    module_name, summary = SUBCOMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"jtui {name}", description=summary)
    module.add_arguments(parser)
    args = parser.parse_args(list(argv))
    return int(module.run(args) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``jtui``; returns the process exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(_top_level_help())
        return 0
    if args and args[0] in ("-V", "--version"):
        print(f"jupyter-tui {__version__}")
        return 0
    if args and args[0] in SUBCOMMANDS:
        return _run_subcommand(args[0], args[1:])
    return _run_subcommand("notebook", args)


if __name__ == "__main__":
    raise SystemExit(main())
