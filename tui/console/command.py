"""``jtui console``: argument parsing and start-up.

Start-up is the benchmark's critical path, so the kernel is launched before anything heavy is
imported: prompt_toolkit and Pygments load in a worker thread while the kernel process boots on
the other core, and the prompt appears as soon as the kernel answered ``kernel_info``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from tui.config import add_graphics_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jtui console``."""
    parser.add_argument("--kernel", metavar="NAME", default=None,
                        help="kernelspec to start (default: python3 / the native kernel)")
    parser.add_argument(
        "--existing", metavar="FILE", nargs="?", const="", default=None,
        help="attach to a running kernel: a connection file path or name in the runtime dir; "
             "the newest one when FILE is omitted; with --server/--gateway a kernel id. The "
             "kernel is left running on exit.",
    )
    parser.add_argument("--server", metavar="URL", default=None,
                        help="run the kernel on this Jupyter Server (any URL the browser shows, "
                             "e.g. http://host:8888/lab?token=...)")
    parser.add_argument("--gateway", metavar="URL", default=None,
                        help="run the kernel on a Kernel Gateway, Enterprise Gateway or any "
                             "Jupyter Server (KERNEL_* variables are passed on)")
    parser.add_argument("--token", default=None,
                        help="with --server/--gateway: the token (else from the URL, "
                             "JUPYTER_TOKEN or JUPYTERHUB_API_TOKEN)")
    parser.add_argument("--ssh", metavar="[USER@]HOST[:PORT]", default=None,
                        help="with --existing: reach the kernel's ports through an SSH tunnel "
                             "to HOST (the connection file's ip as seen from HOST)")
    parser.add_argument("--sshkey", metavar="FILE", default=None,
                        help="with --ssh: the private key to log in with")
    parser.add_argument("--ssh-option", metavar="KEY=VALUE", action="append", default=[],
                        help="with --ssh: an ssh -o option (repeatable)")
    parser.add_argument("--shutdown", action="store_true",
                        help="with --existing: shut the kernel down on exit")
    parser.add_argument("--include-other-output", action="store_true",
                        help="show other clients' inputs and outputs on the same kernel")
    parser.add_argument("--no-banner", action="store_true", help="do not print the banner")
    add_graphics_argument(parser)


def _warm_up(kernel_name: str | None) -> None:
    """Import the interactive UI and build the kernel language's lexer, off the event loop
    (this runs while the kernel process boots on the other core)."""
    import tui.console.repl  # noqa: F401
    from protocol.errors import ProtocolError
    from protocol.kernelspec import get_kernel_spec
    from tui.console.reader import warm_lexer

    name = kernel_name or "python3"
    remembered = remembered_language_info(name)
    if remembered is not None:
        warm_lexer(str(remembered.get("pygments_lexer") or remembered.get("name") or ""))
        return
    try:
        language = get_kernel_spec(name).language
    except ProtocolError:
        return
    warm_lexer(language)


def _info_cache() -> Path:
    from tui.console.history import history_dir

    return history_dir() / "language-info.json"


def remembered_language_info(kernel_name: str) -> dict[str, Any] | None:
    """The ``language_info`` kernel ``kernel_name`` sent last time (to warm its lexer early)."""
    try:
        data = json.loads(_info_cache().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    info = data.get(kernel_name) if isinstance(data, dict) else None
    return info if isinstance(info, dict) else None


def remember_language_info(kernel_name: str, info: dict[str, Any]) -> None:
    """Store ``language_info`` for the next start (best effort)."""
    if remembered_language_info(kernel_name) == info:
        return
    path = _info_cache()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[kernel_name] = info
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return


def console_renderer(flag: str | None) -> Any:
    """The :class:`~tui.console.rich_output.ConsoleRenderer` for ``--graphics`` (else the
    config file's ``[display]``, else detection), MIME order from the config too."""
    from tui.config import chosen_graphics, load_display, mime_order, terminal_is_interactive
    from tui.console.rich_output import ConsoleRenderer
    from tui.graphics.detect import resolve_graphics

    config = load_display()
    for warning in config.warnings:
        print(f"jtui console: {warning}", file=sys.stderr)
    tty = terminal_is_interactive((sys.stdin, sys.stdout))
    setup = resolve_graphics(chosen_graphics(flag, config), interactive=tty)
    if setup.hint and tty:
        print(setup.hint, file=sys.stderr)
    return ConsoleRenderer(graphics=setup.mode, cell_size=setup.cell_size,
                           order=mime_order(config),
                           options={"tmux_passthrough": setup.tmux_passthrough})


async def _connect(args: argparse.Namespace) -> Any:
    from tui.console.kernel import attach_kernel, remote_kernel, start_kernel

    url = args.server or args.gateway
    if url is not None:
        from protocol.remote.urls import parse_server_url

        if args.server and args.gateway:
            raise ValueError("use --server or --gateway, not both")
        if args.ssh is not None:
            raise ValueError("--ssh works with a connection file, not with --server/--gateway")
        if args.existing == "":
            raise ValueError("with --server/--gateway, --existing needs a kernel id "
                             "(`jtui kernels --server URL` lists them)")
        return await remote_kernel(parse_server_url(url, args.token), args.kernel,
                                   args.existing, gateway=args.gateway is not None)
    if args.existing is not None:
        return await attach_kernel(args.existing, ssh=args.ssh, sshkey=args.sshkey,
                                   ssh_options=args.ssh_option)
    if args.ssh is not None:
        raise ValueError("--ssh needs --existing FILE (the kernel's connection file)")
    return await start_kernel(args.kernel)


async def _main(args: argparse.Namespace, interactive: bool) -> int:
    from protocol.errors import ProtocolError

    loop = asyncio.get_running_loop()
    connecting = loop.create_task(_connect(args))
    # One turn of the loop: the task imports the protocol library and launches the kernel (it
    # runs until its first real wait), so the warm-up below does not compete with that for the
    # GIL and runs while the kernel boots.
    await asyncio.sleep(0)
    renderer = None
    if interactive:
        # Terminal detection (a few queries with short timeouts) runs while the kernel boots.
        _, renderer = await asyncio.gather(
            asyncio.to_thread(_warm_up, None if args.existing is not None or args.server
                              or args.gateway else args.kernel),
            asyncio.to_thread(console_renderer, getattr(args, "graphics", None)),
        )
    try:
        kernel = await connecting
    except ProtocolError as exc:
        print(f"jtui console: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:  # no such / not a connection file
        print(f"jtui console: {exc}", file=sys.stderr)
        return 2
    if not interactive:
        from tui.console.piped import run_piped

        code = await asyncio.to_thread(sys.stdin.read)
        try:
            return await run_piped(kernel, code)
        finally:
            if kernel.owned or args.shutdown:
                await kernel.shutdown()
            await kernel.close()

    from tui.console.repl import Repl

    if kernel.owned and kernel.remote is None:
        remember_language_info(args.kernel or "python3", kernel.language_info)

    repl = Repl(
        kernel,
        include_other_output=args.include_other_output,
        shutdown_on_exit=True if args.shutdown else None,
        show_banner=not args.no_banner,
        renderer=renderer,
    )
    return await repl.run()


def run(args: argparse.Namespace) -> int:
    """Run the console; the exit status."""
    from tui.hangup import HangUp, run_until_hangup

    interactive = sys.stdin.isatty()
    try:
        # SIGHUP (the terminal closed) and SIGTERM end the console as Ctrl-D does: the kernel
        # is shut down and its connection file removed.
        return asyncio.run(run_until_hangup(_main(args, interactive)))
    except KeyboardInterrupt:
        return 130
    except HangUp as exc:
        return exc.exit_status
