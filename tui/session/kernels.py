"""Installed kernels as the kernel picker shows them, and start failures as user-facing notices.

A picker row carries the kernel's *resolved* command (``argv`` with ``{connection_file}`` left as
a placeholder and the executable looked up on ``PATH``), so a user can see which Python or which
bash a kernel would run, and why a kernel cannot start (its executable is missing).
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass

from protocol.errors import KernelDeadError, KernelStartError, NoSuchKernel, RequestTimeout
from protocol.kernelspec import KernelSpec, find_kernel_specs
from protocol.remote.errors import RemoteError
from tui.session.records import Notice


@dataclass(frozen=True)
class KernelChoice:
    """One row of the kernel picker."""

    name: str
    display_name: str
    language: str
    command: str
    """The resolved launch command, shell-quoted."""
    problem: str = ""
    """Why this kernel cannot start (its executable is missing), or empty."""


def resolve_command(spec: KernelSpec) -> tuple[list[str], str]:
    """The spec's launch argv (connection file as a placeholder) and a problem, if any."""
    argv = spec.launch_argv("{connection_file}")
    argv = [a.replace(os.path.realpath("{connection_file}"), "{connection_file}") for a in argv]
    exe = argv[0] if argv else ""
    found = shutil.which(exe) if exe else None
    if found is None:
        return argv, f"executable {exe!r} not found"
    argv[0] = found
    return argv, ""


def kernel_choices() -> list[KernelChoice]:
    """Every installed kernel, sorted by display name, with its resolved command."""
    rows = []
    for name, spec in find_kernel_specs().items():
        argv, problem = resolve_command(spec)
        rows.append(
            KernelChoice(
                name=name,
                display_name=spec.display_name,
                language=spec.language,
                command=shlex.join(argv),
                problem=problem,
            )
        )
    rows.sort(key=lambda r: (r.display_name.lower(), r.name))
    return rows


def _installed_names() -> str:
    try:
        names = sorted(find_kernel_specs())
    except Exception:  # a broken kernel dir must not hide the real error
        names = []
    return ", ".join(names) if names else "none"


def no_kernel_notice() -> Notice:
    """The notebook names no kernel: ask the user to pick one."""
    return Notice(
        "warning",
        "No kernel selected",
        "This notebook names no kernel. Pick one with 'Change kernel' in the command palette "
        f"or start with --kernel NAME (installed: {_installed_names()}).",
        action="change-kernel",
    )


def start_failure_notice(name: str, exc: BaseException, ready_timeout: float) -> Notice:
    """A clear message, with what to do, for a kernel that could not be started."""
    if isinstance(exc, NoSuchKernel):
        return Notice(
            "error",
            f"No kernel named {name!r}",
            f"Installed kernels: {_installed_names()}. Pick one with 'Change kernel' in the "
            "command palette or start with --kernel NAME; `jtui kernels` lists them with their "
            "commands.",
            action="change-kernel",
        )
    if isinstance(exc, (RequestTimeout, TimeoutError)):
        return Notice(
            "error",
            f"Kernel {name!r} did not answer",
            f"It started but did not reply to kernel_info within {ready_timeout:g} s. Check that "
            "its command runs in a terminal (`jtui kernels` shows it), then restart the kernel "
            "or pick another one.",
            action="restart",
        )
    if isinstance(exc, (KernelStartError, KernelDeadError, OSError)):
        return Notice(
            "error",
            f"Kernel {name!r} failed to start",
            f"{exc}. Check its command (`jtui kernels` shows it), then restart the kernel or "
            "pick another one with 'Change kernel'.",
            action="change-kernel",
        )
    if isinstance(exc, RemoteError):  # a server's kernel: its sentence has no token
        return Notice("error", f"Kernel {name!r} failed to start on the server",
                      f"{exc} The notebook stays editable; restart the kernel (0,0) to try "
                      "again.", action="restart")
    return Notice(
        "error",
        f"Kernel {name!r} failed to start",
        f"{type(exc).__name__}: {exc}",
        action="change-kernel",
    )
