"""``jtui console``: argument parsing and start-up.

Start-up is the benchmark's critical path, so the kernel is launched before anything heavy is
imported: prompt_toolkit and Pygments load in a worker thread while the kernel process boots on
the other core, and the prompt appears as soon as the kernel answered ``kernel_info``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jtui console``."""
    parser.add_argument("--kernel", metavar="NAME", default=None,
                        help="kernelspec to start (default: python3 / the native kernel)")
    parser.add_argument(
        "--existing", metavar="FILE", nargs="?", const="", default=None,
        help="attach to a running kernel: a connection file path or name in the runtime dir; "
             "the newest one when FILE is omitted. The kernel is left running on exit.",
    )
    parser.add_argument("--shutdown", action="store_true",
                        help="with --existing: shut the kernel down on exit")
    parser.add_argument("--include-other-output", action="store_true",
                        help="show other clients' inputs and outputs on the same kernel")
    parser.add_argument("--no-banner", action="store_true", help="do not print the banner")


def _warm_imports() -> None:
    """Import the interactive UI (prompt_toolkit, Pygments lexers) off the event loop."""
    import tui.console.repl  # noqa: F401


async def _connect(args: argparse.Namespace) -> Any:
    from tui.console.kernel import attach_kernel, start_kernel

    if args.existing is not None:
        return await attach_kernel(args.existing)
    return await start_kernel(args.kernel)


async def _main(args: argparse.Namespace, interactive: bool) -> int:
    from protocol.errors import ProtocolError

    loop = asyncio.get_running_loop()
    connecting = loop.create_task(_connect(args))
    if interactive:
        await asyncio.to_thread(_warm_imports)
    try:
        kernel = await connecting
    except ProtocolError as exc:
        print(f"jtui console: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, OSError) as exc:
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

    repl = Repl(
        kernel,
        include_other_output=args.include_other_output,
        shutdown_on_exit=True if args.shutdown else None,
        show_banner=not args.no_banner,
    )
    return await repl.run()


def run(args: argparse.Namespace) -> int:
    """Run the console; the exit status."""
    interactive = sys.stdin.isatty()
    try:
        return asyncio.run(_main(args, interactive))
    except KeyboardInterrupt:
        return 130
