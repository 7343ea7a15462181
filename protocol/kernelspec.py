"""Kernelspecs: finding installed kernels the way jupyter_client does.

Search order (first match of a name wins): ``jupyter_path("kernels")`` (``$JUPYTER_PATH``, user
and environment dirs in ``JUPYTER_PREFER_ENV_PATH`` order, system dirs), then
``~/.ipython/kernels`` when IPython is installed. Names are directory names, lower-cased. If no
directory holds ``python3`` and ipykernel is importable, ``python3`` is the running interpreter's
ipykernel (the "native kernel"). Specs that name a kernel provisioner other than the local one
are skipped: we can only launch local processes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocol.errors import NoSuchKernel
from protocol.paths import jupyter_path

NATIVE_KERNEL_NAME = "python3"
_VALID_NAME = re.compile(r"^[a-z0-9._\-]+$", re.IGNORECASE)
_PYTHON_NAMES = ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}")


@dataclass(frozen=True)
class KernelSpec:
    """One installed kernel (the parsed ``kernel.json`` plus where it was found)."""

    name: str
    resource_dir: Path
    argv: list[str]
    display_name: str
    language: str
    interrupt_mode: str = "signal"
    env: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    kernel_protocol_version: str = ""

    @property
    def supported_encryption(self) -> list[str]:
        """Transport encryption schemes the kernel declares (``metadata.supported_encryption``)."""
        value = self.metadata.get("supported_encryption", [])
        if isinstance(value, str):
            return [value.strip().lower()]
        if isinstance(value, list):
            return [str(v).strip().lower() for v in value]
        return []

    def to_dict(self) -> dict[str, Any]:
        """The spec as ``jupyter kernelspec list --json`` shows it."""
        return {
            "argv": list(self.argv),
            "env": dict(self.env),
            "display_name": self.display_name,
            "language": self.language,
            "interrupt_mode": self.interrupt_mode,
            "metadata": dict(self.metadata),
            "kernel_protocol_version": self.kernel_protocol_version,
        }

    @classmethod
    def from_dict(cls, name: str, resource_dir: Path, data: dict[str, Any]) -> KernelSpec:
        """Build a spec from a ``kernel.json`` object; raises ValueError if it is unusable."""
        argv = data.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            raise ValueError(f"kernelspec {name!r}: 'argv' must be a non-empty list of strings")
        mode = str(data.get("interrupt_mode", "signal")).lower()
        if mode not in ("signal", "message"):
            raise ValueError(f"kernelspec {name!r}: interrupt_mode {mode!r} is not signal/message")
        env = data.get("env") or {}
        metadata = data.get("metadata") or {}
        if not isinstance(env, dict) or not isinstance(metadata, dict):
            raise ValueError(f"kernelspec {name!r}: 'env' and 'metadata' must be objects")
        return cls(
            name=name,
            resource_dir=resource_dir,
            argv=list(argv),
            display_name=str(data.get("display_name", name)),
            language=str(data.get("language", "")),
            interrupt_mode=mode,
            env={str(k): str(v) for k, v in env.items()},
            metadata=metadata,
            kernel_protocol_version=str(data.get("kernel_protocol_version", "")),
        )

    def launch_argv(self, connection_file: str | os.PathLike[str]) -> list[str]:
        """``argv`` with ``{connection_file}``, ``{resource_dir}`` and ``{prefix}`` filled in,
        ``~`` expanded, and a bare ``python``/``python3``/``python3.X`` replaced by this
        interpreter (as jupyter_client does)."""
        values = {
            "connection_file": os.path.realpath(connection_file),
            "resource_dir": str(self.resource_dir),
            "prefix": sys.prefix,
        }

        def fill(arg: str) -> str:
            return re.sub(
                r"\{([A-Za-z0-9_]+)\}",
                lambda m: values.get(m.group(1), m.group(0)),
                arg,
            )

        argv = [os.path.expanduser(fill(a)) for a in self.argv]
        if argv and argv[0] in _PYTHON_NAMES:
            argv[0] = sys.executable
        return argv

    def launch_env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The kernel's environment: ``base`` (default ``os.environ``) with the spec's ``env``
        merged over it, ``${VAR}`` expanded against ``base``."""
        env = dict(os.environ if base is None else base)
        for key, value in self.env.items():
            env[key] = string.Template(value).safe_substitute(env)
        if self.language.lower().startswith("python"):
            env.pop("PYTHONEXECUTABLE", None)
        return env


def kernel_dirs() -> list[str]:
    """The directories searched for kernelspecs, highest priority first."""
    dirs = jupyter_path("kernels")
    if importlib.util.find_spec("IPython") is not None:
        ipython_dir = os.environ.get("IPYTHONDIR") or str(Path("~", ".ipython").expanduser())
        dirs.append(os.path.join(ipython_dir, "kernels"))
    return dirs


def _native_resource_dir() -> Path | None:
    try:
        found = importlib.util.find_spec("ipykernel")
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations)), "resources")


def _native_spec(resource_dir: Path) -> KernelSpec:
    """ipykernel's built-in spec for the running interpreter (``ipykernel.kernelspec``)."""
    return KernelSpec(
        name=NATIVE_KERNEL_NAME,
        resource_dir=resource_dir,
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info[0]} (ipykernel)",
        language="python",
        metadata={"debugger": True, "supported_encryption": ["curve"]},
        kernel_protocol_version="5.5",
    )


def find_kernel_spec_dirs() -> dict[str, Path]:
    """Map every installed kernel name to its resource directory (search order applied)."""
    found: dict[str, Path] = {}
    for directory in kernel_dirs():
        try:
            entries = sorted(os.listdir(directory))
        except OSError:
            continue
        for entry in entries:
            path = Path(directory, entry)
            if not (path / "kernel.json").is_file():
                continue
            name = entry.lower()
            if name not in found:
                found[name] = path
    if NATIVE_KERNEL_NAME not in found:
        native = _native_resource_dir()
        if native is not None:
            found[NATIVE_KERNEL_NAME] = native
    return found


def _load(name: str, resource_dir: Path) -> KernelSpec:
    native = _native_resource_dir()
    if name == NATIVE_KERNEL_NAME and native is not None and resource_dir == native:
        return _native_spec(resource_dir)
    kernel_file = resource_dir / "kernel.json"
    try:
        data = json.loads(kernel_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"kernelspec {name!r}: cannot read {kernel_file}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"kernelspec {name!r}: {kernel_file} is not a JSON object")
    spec = KernelSpec.from_dict(name, resource_dir, data)
    provisioner = spec.metadata.get("kernel_provisioner")
    local = "local-provisioner"
    if isinstance(provisioner, dict) and provisioner.get("provisioner_name", local) != local:
        raise NoSuchKernel(
            name, f"kernel {name!r} needs provisioner {provisioner['provisioner_name']!r}"
        )
    return spec


def find_kernel_specs() -> dict[str, KernelSpec]:
    """Every usable installed kernelspec by name; unreadable specs are left out."""
    specs: dict[str, KernelSpec] = {}
    for name, resource_dir in find_kernel_spec_dirs().items():
        try:
            specs[name] = _load(name, resource_dir)
        except (ValueError, NoSuchKernel):
            continue
    return specs


def get_kernel_spec(name: str) -> KernelSpec:
    """The kernelspec called ``name`` (case-insensitive); raises NoSuchKernel.

    ``python`` is an alias of ``python3``, as in jupyter_client.
    """
    key = name.lower()
    if key == "python":
        key = NATIVE_KERNEL_NAME
    dirs = find_kernel_spec_dirs()
    if key not in dirs:
        available = ", ".join(sorted(dirs)) or "none"
        raise NoSuchKernel(name, f"no kernel named {name!r} (installed: {available})")
    try:
        return _load(key, dirs[key])
    except ValueError as exc:
        raise NoSuchKernel(name, str(exc)) from None


def is_valid_kernel_name(name: str) -> bool:
    """Kernel names are ASCII letters, digits, ``-``, ``.`` and ``_``."""
    return bool(_VALID_NAME.match(name))
