"""`jtui view`: the real command, piped and in a pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.terminal import Terminal

DATA = Path(__file__).resolve().parents[1] / "data" / "rich" / "notebooks"
SHOWCASE = DATA / "showcase.ipynb"
ESC = "\x1b"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PAGER", "COLUMNS")}
    env["JUPYTER_CONFIG_DIR"] = str(Path(__file__).parent / "no-such-config")
    env.update(extra)
    return env


def _view(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", "view", *args], capture_output=True,
                          text=True, env=_env(**env), timeout=120)


def _notebook(path: Path, cells: list[dict[str, object]]) -> Path:
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                      "display_name": "Python 3"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(cells):
        cell.setdefault("id", f"c{i}")
        cell.setdefault("metadata", {})
        if cell["cell_type"] == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _code(source: str, count: int, *outputs: dict[str, object]) -> dict[str, object]:
    return {"cell_type": "code", "source": source, "execution_count": count,
            "outputs": list(outputs)}


def _stream(text: str, name: str = "stdout") -> dict[str, object]:
    return {"output_type": "stream", "name": name, "text": text}


def test_piped_output_has_prompts_code_and_outputs_without_escapes(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "a.ipynb", [
        {"cell_type": "markdown", "source": "# Title\n\nSome *text*."},
        _code("print('hi')", 1, _stream("hi\n")),
        _code("1 + 1", 2, {"output_type": "execute_result", "execution_count": 2,
                           "data": {"text/plain": "2"}, "metadata": {}}),
        {"cell_type": "raw", "source": "raw stuff"},
    ])
    out = _view(str(nb), "--width", "60")
    assert out.returncode == 0, out.stderr
    assert ESC not in out.stdout
    lines = out.stdout.splitlines()
    assert "   [1]: print('hi')" in lines
    assert "        hi" in lines
    assert "   [2]: 1 + 1" in lines
    assert "   [2]: 2" in lines  # the execute result's prompt
    assert "        raw stuff" in lines
    assert any("Title" in line for line in lines)
    assert all(len(line) <= 60 for line in lines)
    assert all(line == line.rstrip() for line in lines)  # no padding when not coloured


def test_the_figure_repr_is_not_shown_when_the_image_is_drawn(tmp_path: Path) -> None:
    out = _view(str(SHOWCASE), "--width", "80", "--graphics", "halfblock", "--color")
    assert out.returncode == 0, out.stderr
    assert "<Figure size" not in out.stdout
    assert "▀" in out.stdout
    assert "\x1b[38;2;" in out.stdout  # 24-bit colours, whatever the terminal
    plain = _view(str(SHOWCASE), "--width", "80", "--graphics", "none")
    assert "[image/png, 18.9 KiB]" in plain.stdout  # none: placeholder and alt text
    assert "<Figure size 400x250 with 1 Axes>" in plain.stdout


def test_colour_follows_the_flag_then_no_color_then_the_terminal(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "c.ipynb", [_code("x = 1", 1, _stream("\x1b[31mred\x1b[0m\n"))])
    assert ESC not in _view(str(nb)).stdout  # a pipe: no colour
    forced = _view(str(nb), "--color").stdout
    assert "\x1b[31mred" in forced or "\x1b[38;2;" in forced
    assert ESC not in _view(str(nb), "--color", "--no-color").stdout
    with Terminal([sys.executable, "-m", "tui", "view", str(nb)], rows=24, cols=80,
                  env=_env(NO_COLOR="1")) as term:
        assert term.wait_exit() == 0
        assert b"\x1b[3" not in bytes(term.transcript)
        assert "red" in term.display()
    with Terminal([sys.executable, "-m", "tui", "view", str(nb)], rows=24, cols=80,
                  env=_env()) as term:
        assert term.wait_exit() == 0
        assert b"\x1b[" in bytes(term.transcript)


def test_halfblock_pictures_are_the_same_in_a_file_and_on_a_terminal() -> None:
    args = ["view", str(SHOWCASE), "--width", "80", "--graphics", "halfblock", "--color",
            "--no-pager"]
    piped = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True,
                           env=_env(), timeout=120).stdout
    with Terminal([sys.executable, "-m", "tui", *args], rows=24, cols=120,
                  env=_env(TERM="xterm")) as term:
        assert term.wait_exit() == 0
        on_tty = bytes(term.transcript).replace(b"\r\n", b"\n")
    assert piped == on_tty
    assert piped.count("▀".encode()) > 300  # a 400x250 px plot: about 37x12 cells


def test_long_notebooks_go_to_the_pager_on_a_terminal(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "long.ipynb",
                   [_code(f"print({i})", i, _stream(f"{i}\n")) for i in range(1, 40)])
    short = _notebook(tmp_path / "short.ipynb", [_code("print(1)", 1, _stream("1\n"))])
    got = tmp_path / "paged.txt"
    pager = tmp_path / "pager.py"
    pager.write_text(f"import sys\nopen({str(got)!r}, 'w').write(sys.stdin.read())\n"
                     "print('PAGER DONE')\n")
    env = _env(PAGER=f"{sys.executable} {pager}")
    with Terminal([sys.executable, "-m", "tui", "view", str(nb)], rows=24, cols=80,
                  env=env) as term:
        term.wait_for("PAGER DONE")
        assert term.wait_exit() == 0
    assert "  [39]: print(39)" in re.sub(r"\x1b\[[0-9;]*m", "", got.read_text())
    got.unlink()
    with Terminal([sys.executable, "-m", "tui", "view", str(short)], rows=24, cols=80,
                  env=env) as term:
        term.wait_for("[1]: print(1)")
        assert term.wait_exit() == 0
    assert not got.exists()  # fits the screen: printed straight
    with Terminal([sys.executable, "-m", "tui", "view", "--no-pager", str(nb)], rows=24,
                  cols=80, env=env) as term:
        assert term.wait_exit() == 0
    assert not got.exists()
    out = _view(str(short), "--pager", PAGER=f"{sys.executable} {pager}")
    assert "PAGER DONE" in out.stdout and got.exists()  # --pager: even when piped


def test_several_notebooks_and_one_unreadable(tmp_path: Path) -> None:
    a = _notebook(tmp_path / "a.ipynb", [_code("print('A')", 1, _stream("A\n"))])
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json", encoding="utf-8")
    b = _notebook(tmp_path / "b.ipynb", [_code("print('B')", 1, _stream("B\n"))])
    out = _view(str(a), str(bad), str(b), "--width", "200")
    assert out.returncode == 1
    assert "jtui view: cannot open" in out.stderr and "bad.ipynb" in out.stderr
    assert "Traceback" not in out.stderr
    assert re.search(r"─+ .*a\.ipynb ─+", out.stdout)
    assert "print('A')" in out.stdout and "print('B')" in out.stdout
    assert bad.read_text() == "{ not json"


def test_a_million_line_output_shows_head_tail_and_count(tmp_path: Path) -> None:
    text = "".join(f"line {i}\n" for i in range(1_000_000))
    nb = _notebook(tmp_path / "big.ipynb", [_code("spam()", 1, _stream(text))])
    out = _view(str(nb), "--width", "80")
    assert out.returncode == 0, out.stderr
    assert "        line 0" in out.stdout.splitlines()
    assert "        line 999999" in out.stdout.splitlines()
    assert "… 998,000 more lines" in out.stdout
    assert out.stdout.count("\n") < 2100


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "big.ipynb", [_code("spam()", 1, _stream("x\n" * 3000))])
    proc = subprocess.run(f"{sys.executable} -m tui view {nb} | head -n 2", shell=True,
                          capture_output=True, text=True, env=_env(), timeout=120)
    assert proc.stdout.count("\n") == 2
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_help_lists_view() -> None:
    out = subprocess.run([sys.executable, "-m", "tui", "--help"], capture_output=True,
                         text=True, check=True)
    assert "view" in out.stdout
    out = _view("--help")
    for option in ("--width", "--graphics", "--color", "--no-color", "--pager", "--no-pager"):
        assert option in out.stdout


def test_markdown_images_and_math_in_lists_and_quotes(tmp_path: Path) -> None:
    md = Path(__file__).resolve().parents[1] / "data" / "rich" / "markdown"
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes((md / "dot.png").read_bytes())
    cell = json.loads((md / "attachments.ipynb").read_text())["cells"][0]
    nb = _notebook(tmp_path / "m.ipynb", [
        {"cell_type": "markdown", "attachments": cell["attachments"],
         "source": "1. pasted ![image.png](attachment:image.png)\n"
                   "2. local:\n\n   ![dot](img/dot.png)\n\n"
                   "> $$\n> \\frac{a}{b}\n> $$\n\n- ![gone](img/missing.png)"},
        _code("x", 1, {"output_type": "display_data", "metadata": {},
                       "data": {"text/markdown": "- ![dot](img/dot.png)", "text/plain": "md"}}),
    ])
    out = _view(str(nb), "--graphics", "halfblock", "--color", "--width", "60")
    assert out.returncode == 0, out.stderr
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout)
    lines = [line.rstrip() for line in plain.splitlines()]
    assert sum("▀▀" in line for line in lines) == 3  # the attachment, the file, the output
    assert "pasted [image: image.png]" in plain
    quote = [line.strip() for line in lines if line.strip().startswith("▌")]
    assert quote == ["▌ a", "▌ ─", "▌ b"]
    assert "[image: gone: cannot read: No such file or directory]" in " ".join(
        line.strip() for line in lines)  # (wrapped at the width)
    assert "$$" not in plain and "jtui-math" not in plain
