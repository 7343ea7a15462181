"""Where Jupyter keeps per-user data, resolved as ``jupyter_core.paths`` does (stdlib only).

Only what nbio needs: the data directory (trust database and secret live there) and the config
directory it falls back on under Windows.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

APPNAME = "jupyter"

_NO_CONFIG_TEMP: dict[str, str] = {}


def _envset(env: Mapping[str, str], name: str) -> bool:
    """jupyter_core's ``envset``: set to anything but no/n/false/off/0/0.0 (any case)."""
    if name not in env:
        return False
    return env[name].lower() not in ("no", "n", "false", "off", "0", "0.0")


def _home() -> Path:
    return Path("~").expanduser().resolve()


def _platform_user_data_dir(env: Mapping[str, str], platform: str) -> Path:
    """platformdirs' ``user_data_dir("jupyter", appauthor=False)``."""
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or str(_home() / "AppData" / "Local")
        return Path(base) / APPNAME
    if platform == "darwin":
        return _home() / "Library" / "Application Support" / APPNAME
    xdg = env.get("XDG_DATA_HOME", "").strip()
    return Path(xdg or str(_home() / ".local" / "share")) / APPNAME


def _platform_user_config_dir(env: Mapping[str, str], platform: str) -> Path:
    """platformdirs' ``user_config_dir("jupyter", appauthor=False)``."""
    if platform == "win32":
        return _platform_user_data_dir(env, platform)
    if platform == "darwin":
        return _home() / "Library" / "Application Support" / APPNAME
    xdg = env.get("XDG_CONFIG_HOME", "").strip()
    return Path(xdg or str(_home() / ".config")) / APPNAME


def jupyter_config_dir(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> Path:
    """``jupyter_core.paths.jupyter_config_dir()``: ``$JUPYTER_CONFIG_DIR`` or ``~/.jupyter``."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("JUPYTER_NO_CONFIG"):
        if "cfg" not in _NO_CONFIG_TEMP:
            _NO_CONFIG_TEMP["cfg"] = tempfile.mkdtemp(prefix="jupyter-clean-cfg")
        return Path(_NO_CONFIG_TEMP["cfg"])
    if env.get("JUPYTER_CONFIG_DIR"):
        return Path(env["JUPYTER_CONFIG_DIR"])
    if _envset(env, "JUPYTER_PLATFORM_DIRS"):
        return _platform_user_config_dir(env, platform)
    return _home() / ".jupyter"


def jupyter_data_dir(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """``jupyter_core.paths.jupyter_data_dir()``.

    ``$JUPYTER_DATA_DIR`` if set; with ``JUPYTER_PLATFORM_DIRS=1`` the platformdirs user data
    dir; otherwise ``~/Library/Jupyter`` (macOS), ``%APPDATA%\\jupyter`` (Windows, else
    ``<config dir>\\data``), ``$XDG_DATA_HOME/jupyter`` or ``~/.local/share/jupyter``.
    ``env`` and ``platform`` default to ``os.environ`` and ``sys.platform``.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("JUPYTER_DATA_DIR"):
        return Path(env["JUPYTER_DATA_DIR"])
    if _envset(env, "JUPYTER_PLATFORM_DIRS"):
        return _platform_user_data_dir(env, platform)
    if platform == "darwin":
        return _home() / "Library" / "Jupyter"
    if platform == "win32":
        appdata = env.get("APPDATA")
        if appdata:
            return Path(appdata, APPNAME).resolve()
        return jupyter_config_dir(env, platform) / "data"
    xdg = env.get("XDG_DATA_HOME")
    if not xdg:
        xdg = str(_home() / ".local" / "share")
    return Path(xdg) / APPNAME
