"""Jupyter's directory rules (jupyter_core.paths), reimplemented without jupyter_core.

Where Jupyter keeps things:

- config dir: ``$JUPYTER_CONFIG_DIR``, else ``~/.jupyter``;
- data dir (user): ``$JUPYTER_DATA_DIR``, else ``${XDG_DATA_HOME:-~/.local/share}/jupyter``
  on Linux, ``~/Library/Jupyter`` on macOS, ``%APPDATA%\\jupyter`` on Windows;
- runtime dir (connection files): ``$JUPYTER_RUNTIME_DIR``, else ``<data dir>/runtime``
  (``XDG_RUNTIME_DIR`` is deliberately not used, as in jupyter_core);
- the data search path (kernelspecs live in its ``kernels`` subdirectories): every entry of
  ``$JUPYTER_PATH``, then the user dirs and the environment dir (``sys.prefix/share/jupyter``)
  in the order ``JUPYTER_PREFER_ENV_PATH`` says (environment first when it is truthy, or when
  unset and running in a venv / non-base conda env that we own), then the system dirs
  (``/usr/local/share/jupyter``, ``/usr/share/jupyter``).
"""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

_FALSY = ("no", "n", "false", "off", "0", "0.0")

SYSTEM_JUPYTER_PATH: list[str] = (
    [str(Path(os.environ.get("PROGRAMDATA", ""), "jupyter"))]
    if os.name == "nt"
    and os.environ.get("JUPYTER_USE_PROGRAMDATA", "").lower() not in ("", *_FALSY)
    else [str(Path(sys.prefix, "share", "jupyter"))]
    if os.name == "nt"
    else ["/usr/local/share/jupyter", "/usr/share/jupyter"]
)
"""System-wide data directories (searched last)."""


def envset(name: str, default: bool = False) -> bool:
    """True if environment variable ``name`` is set to anything but a false-like word."""
    if name not in os.environ:
        return default
    return os.environ[name].lower() not in _FALSY


def home_dir() -> str:
    """The real path of the user's home directory."""
    return str(Path("~").expanduser().resolve())


def _owned_by_me(path: str) -> bool:
    p = Path(path).resolve()
    while not p.exists() and p != p.parent:
        p = p.parent
    if hasattr(os, "geteuid"):
        try:
            return p.stat().st_uid == os.geteuid()
        except OSError:
            pass
    return os.access(p, os.W_OK)


def prefer_environment_over_user() -> bool:
    """Should ``sys.prefix/share/jupyter`` come before the user's data dir?"""
    if "JUPYTER_PREFER_ENV_PATH" in os.environ:
        return envset("JUPYTER_PREFER_ENV_PATH")
    if sys.prefix != sys.base_prefix and _owned_by_me(sys.prefix):
        return True
    conda_prefix = os.environ.get("CONDA_PREFIX")
    return bool(
        conda_prefix
        and sys.prefix.startswith(conda_prefix)
        and os.environ.get("CONDA_DEFAULT_ENV", "base") != "base"
        and _owned_by_me(sys.prefix)
    )


def jupyter_config_dir() -> str:
    """The user's Jupyter config directory."""
    if os.environ.get("JUPYTER_CONFIG_DIR"):
        return os.environ["JUPYTER_CONFIG_DIR"]
    return str(Path(home_dir(), ".jupyter"))


def jupyter_data_dir() -> str:
    """The user's Jupyter data directory (kernelspecs, runtime files, ...)."""
    env = os.environ
    if env.get("JUPYTER_DATA_DIR"):
        return env["JUPYTER_DATA_DIR"]
    home = home_dir()
    if sys.platform == "darwin":
        if envset("JUPYTER_PLATFORM_DIRS"):
            return str(Path(home, "Library", "Application Support", "Jupyter"))
        return str(Path(home, "Library", "Jupyter"))
    if sys.platform == "win32":
        appdata = env.get("APPDATA")
        if appdata:
            return str(Path(appdata, "jupyter").resolve())
        return str(Path(jupyter_config_dir(), "data"))
    xdg = env.get("XDG_DATA_HOME") or str(Path(home, ".local", "share"))
    return str(Path(xdg, "jupyter"))


def jupyter_runtime_dir() -> str:
    """Where connection files live: ``$JUPYTER_RUNTIME_DIR`` or ``<data dir>/runtime``."""
    if os.environ.get("JUPYTER_RUNTIME_DIR"):
        return os.environ["JUPYTER_RUNTIME_DIR"]
    return str(Path(jupyter_data_dir(), "runtime"))


def ensure_runtime_dir() -> Path:
    """Create the runtime dir (mode 0700) if needed and return it."""
    path = Path(jupyter_runtime_dir())
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def jupyter_path(*subdirs: str) -> list[str]:
    """The data search path, highest priority first, with ``subdirs`` appended to each entry."""
    paths: list[str] = []
    if os.environ.get("JUPYTER_PATH"):
        paths.extend(p.rstrip(os.sep) for p in os.environ["JUPYTER_PATH"].split(os.pathsep))
    env_paths = [str(Path(sys.prefix, "share", "jupyter"))]
    if env_paths != SYSTEM_JUPYTER_PATH:
        env_paths = [p for p in env_paths if p not in SYSTEM_JUPYTER_PATH]
    paths.extend(_user_and_env(jupyter_data_dir(), ("share", "jupyter"), env_paths))
    for path in SYSTEM_JUPYTER_PATH:
        if path not in paths:
            paths.append(path)
    if subdirs:
        paths = [os.path.join(p, *subdirs) for p in paths]
    return paths


def jupyter_config_path() -> list[str]:
    """The config search path, highest priority first."""
    if os.environ.get("JUPYTER_NO_CONFIG"):
        return []
    paths: list[str] = []
    if os.environ.get("JUPYTER_CONFIG_PATH"):
        paths.extend(
            p.rstrip(os.sep) for p in os.environ["JUPYTER_CONFIG_PATH"].split(os.pathsep)
        )
    env_paths = [str(Path(sys.prefix, "etc", "jupyter"))]
    system = (
        env_paths[:] if os.name == "nt" else ["/usr/local/etc/jupyter", "/etc/jupyter"]
    )
    env_paths = [p for p in env_paths if p not in system]
    paths.extend(_user_and_env(jupyter_config_dir(), ("etc", "jupyter"), env_paths))
    paths.extend(system)
    return paths


def _user_and_env(user_dir: str, user_site_parts: tuple[str, ...],
                  env_paths: list[str]) -> list[str]:
    """The user entries (``user_dir`` and the user site's ``share|etc/jupyter``) and the
    environment entries, in jupyter_core's order (``JUPYTER_PREFER_ENV_PATH`` decides)."""
    user = [user_dir]
    if site.ENABLE_USER_SITE:
        userbase = site.getuserbase()
        if userbase:
            userdir = str(Path(userbase, *user_site_parts))
            if userdir not in user:
                user.append(userdir)
    return env_paths + user if prefer_environment_over_user() else user + env_paths
