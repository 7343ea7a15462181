"""Kernelspec discovery and Jupyter paths, checked against jupyter_client / jupyter_core."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jupyter_core.paths
import pytest

from protocol import paths
from protocol.errors import NoSuchKernel
from protocol.kernelspec import find_kernel_specs, get_kernel_spec, kernel_dirs

BIN = Path(sys.executable).parent


def _json_of(cmd: list[str], env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=60)
    data: dict[str, object] = json.loads(out.stdout)
    return data


def _write_spec(root: Path, dirname: str, display: str, argv0: str = "python") -> Path:
    d = root / "kernels" / dirname
    d.mkdir(parents=True)
    spec = {"argv": [argv0, "-m", "x", "-f", "{connection_file}"], "display_name": display,
            "language": "python", "env": {"A": "${HOME}/b"}, "metadata": {"k": 1}}
    (d / "kernel.json").write_text(json.dumps(spec))
    return d


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(extra)
    return env


def test_jtui_kernels_json_agrees_with_jupyter_kernelspec_list() -> None:
    env = _env()
    ours = _json_of([str(BIN / "jtui"), "kernels", "--json"], env)
    theirs = _json_of([str(BIN / "jupyter"), "kernelspec", "list", "--json"], env)
    assert ours == theirs
    assert {"python3", "bash", "xpython"} <= set(ours["kernelspecs"])  # type: ignore[arg-type]


@pytest.mark.parametrize("prefer_env", ["1", "0"])
def test_search_order_agrees_with_jupyter(tmp_path: Path, prefer_env: str) -> None:
    """JUPYTER_PATH first, then user data dir vs environment per JUPYTER_PREFER_ENV_PATH."""
    first, second = tmp_path / "p1", tmp_path / "p2"
    data_dir = tmp_path / "data"
    _write_spec(first, "Bash", "bash from JUPYTER_PATH")  # upper case dir: name is lower-cased
    _write_spec(second, "bash", "shadowed")
    _write_spec(second, "extra", "Extra kernel")
    _write_spec(data_dir, "xpython", "xpython from the user data dir")
    _write_spec(data_dir, "python3", "python3 from the user data dir")
    env = _env(
        JUPYTER_PATH=os.pathsep.join([str(first), str(second)]),
        JUPYTER_DATA_DIR=str(data_dir),
        JUPYTER_PREFER_ENV_PATH=prefer_env,
    )
    ours = _json_of([str(BIN / "jtui"), "kernels", "--json"], env)
    theirs = _json_of([str(BIN / "jupyter"), "kernelspec", "list", "--json"], env)
    assert ours == theirs
    specs = ours["kernelspecs"]
    assert isinstance(specs, dict)
    assert specs["bash"]["spec"]["display_name"] == "bash from JUPYTER_PATH"
    expected = "Python . (XPython)" if prefer_env == "1" else "xpython from the user data dir"
    assert specs["xpython"]["spec"]["display_name"] == expected


def test_native_python3_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No python3 spec anywhere: python3 is this interpreter's ipykernel."""
    empty = tmp_path / "empty"
    monkeypatch.setenv("JUPYTER_PATH", str(empty))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(empty))
    monkeypatch.setattr(paths, "SYSTEM_JUPYTER_PATH", [str(empty)])
    monkeypatch.setattr(sys, "prefix", str(empty))
    spec = get_kernel_spec("python3")
    assert spec.argv[0] == sys.executable
    assert spec.resource_dir.name == "resources" and (spec.resource_dir / "logo-64x64.png").exists()
    assert get_kernel_spec("Python").name == "python3"
    assert "python3" in find_kernel_specs()


def test_unknown_kernel_is_a_clear_error() -> None:
    with pytest.raises(NoSuchKernel, match=r"no kernel named 'nope'.*installed: .*python3"):
        get_kernel_spec("nope")


def test_argv_and_env_substitution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_spec(tmp_path, "subst", "Subst", argv0="python3")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    spec = get_kernel_spec("subst")
    cf = tmp_path / "conn.json"
    argv = spec.launch_argv(cf)
    assert argv == [sys.executable, "-m", "x", "-f", os.path.realpath(cf)]
    env = spec.launch_env({"HOME": "/h", "PYTHONEXECUTABLE": "x"})
    assert env["A"] == "/h/b" and "PYTHONEXECUTABLE" not in env


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"JUPYTER_DATA_DIR": "/tmp/jd", "JUPYTER_RUNTIME_DIR": "/tmp/jr"},
        {"XDG_DATA_HOME": "/tmp/xdg"},
        {"JUPYTER_PATH": "/a:/b/", "JUPYTER_PREFER_ENV_PATH": "0"},
        {"JUPYTER_PREFER_ENV_PATH": "yes", "JUPYTER_CONFIG_DIR": "/tmp/cfg"},
        {"JUPYTER_CONFIG_PATH": "/c1:/c2", "JUPYTER_PREFER_ENV_PATH": "off"},
    ],
)
def test_paths_agree_with_jupyter_core(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for key in list(os.environ):
        if key.startswith("JUPYTER") or key == "XDG_DATA_HOME":
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert paths.jupyter_data_dir() == jupyter_core.paths.jupyter_data_dir()
    assert paths.jupyter_runtime_dir() == jupyter_core.paths.jupyter_runtime_dir()
    assert paths.jupyter_config_dir() == jupyter_core.paths.jupyter_config_dir()
    assert paths.jupyter_path("kernels") == jupyter_core.paths.jupyter_path("kernels")
    assert paths.jupyter_config_path() == jupyter_core.paths.jupyter_config_path()
    assert kernel_dirs()[:-1] == jupyter_core.paths.jupyter_path("kernels")


def test_jtui_kernels_table() -> None:
    out = subprocess.run(
        [str(BIN / "jtui"), "kernels"], capture_output=True, text=True, check=True, timeout=60
    )
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["NAME", "DISPLAY", "NAME", "LANGUAGE", "PATH"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert {"python3", "bash", "xpython"} <= set(rows)
    assert "Bash" in rows["bash"] and rows["bash"].rstrip().endswith("kernels/bash")
