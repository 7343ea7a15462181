"""Edit mode is highlighted with Pygments like command mode: same lexer choice, same colours,
right columns for non-ASCII text, kept up to date while typing, large cells re-lexed exactly."""

from __future__ import annotations

import asyncio

from rich.console import Console

from nbio.model import Cell, Notebook
from tests.editor.conftest import run_editor, sample_notebook
from tui.notebook.cell_view import CellEditor
from tui.notebook.highlighted_text_area import HighlightedTextArea, pygments_theme
from tui.render.highlight import highlight

TIMEOUT = 10


def one_cell_notebook(source: str, cell_type: str = "code", *,
                      metadata: dict[str, object] | None = None) -> Notebook:
    return Notebook(cells=[Cell.new(cell_type, source, cell_id="cell0000")],
                    metadata=metadata if metadata is not None else {
                        "kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"},
                        "language_info": {"name": "python", "pygments_lexer": "ipython3"}},
                    nbformat=4, nbformat_minor=5)


async def edit(ed, *keys: str) -> CellEditor:
    await ed.press(*keys)
    await ed.settle()
    assert isinstance(ed.app.focused, CellEditor)
    return ed.app.focused


def spans(editor: HighlightedTextArea, row: int, prefix: str) -> list[tuple[int, int]]:
    """The (start, end) columns of the runs on ``row`` whose token type starts with ``prefix``."""
    return [(s, e) for s, e, name in editor.line_highlights(row) if name.startswith(prefix)]


def covered(editor: HighlightedTextArea, row: int, prefix: str) -> set[int]:
    return {col for s, e in spans(editor, row, prefix) for col in range(s, e)}


async def test_python_cell_has_keyword_string_and_comment_spans(write_nb):
    source = 'import os\ns = "text"  # note\ndef f():\n    return 1'
    async with run_editor(write_nb(one_cell_notebook(source))) as ed:
        editor = await edit(ed, "enter")
        assert type(editor.pygments_lexer).__name__ in {"IPython3Lexer", "PythonLexer"}
        assert spans(editor, 0, "Token.Keyword") == [(0, 6)]
        assert covered(editor, 1, "Token.Literal.String") == set(range(4, 10))
        assert spans(editor, 1, "Token.Comment") == [(12, 18)]
        assert spans(editor, 2, "Token.Keyword") == [(0, 3)]
        assert spans(editor, 2, "Token.Name.Function") == [(4, 5)]
        assert spans(editor, 3, "Token.Keyword") == [(4, 10)]
        assert spans(editor, 3, "Token.Literal.Number") == [(11, 12)]
        assert editor.theme == pygments_theme().name


async def test_typing_and_undo_rehighlight(write_nb):
    async with run_editor(write_nb(one_cell_notebook("x = 1"))) as ed:
        editor = await edit(ed, "enter")
        assert spans(editor, 0, "Token.Comment") == []
        await ed.press("end", "space", "#", "space", "h", "i")
        assert editor.text == "x = 1 # hi"
        assert spans(editor, 0, "Token.Comment") == [(6, 10)]
        await ed.press("enter", *"for")
        assert spans(editor, 1, "Token.Keyword") == [(0, 3)]
        for _ in range(3):  # typing batches undo steps by time: undo until the start
            if editor.text != "x = 1":
                await ed.press("ctrl+z")
        assert editor.text == "x = 1"
        assert editor.line_highlights(0)[-1] == (4, 5, "Token.Literal.Number.Integer")
        assert spans(editor, 0, "Token.Comment") == []


async def test_non_ascii_columns_are_code_points(write_nb):
    source = 's = "é🐍世界"  # 注释 ok\nt = 1'
    async with run_editor(write_nb(one_cell_notebook(source))) as ed:
        editor = await edit(ed, "enter")
        assert covered(editor, 0, "Token.Literal.String") == set(range(4, 10))
        assert spans(editor, 0, "Token.Comment") == [(12, 19)]
        assert spans(editor, 1, "Token.Literal.Number") == [(4, 5)]
        line = editor.get_line(0)
        comment = editor.line_highlights(0)[-1]
        assert line.plain[comment[0]:comment[1]] == "# 注释 ok"
        await ed.press("home", *"é")  # typing a non-ASCII character keeps the columns right
        assert spans(editor, 0, "Token.Comment") == [(13, 20)]
        assert editor.get_line(0).plain[13:20] == "# 注释 ok"


async def test_edit_mode_looks_like_command_mode(write_nb):
    """Per character, the colours in the editor are those of the command-mode Rich Syntax."""
    source = ('import math  # é\n@decorator\nclass A(B):\n    """doc 🐍"""\n'
              '    def f(self, x: int = 0x1F) -> str:\n        return f"{x!r} 世界" % 2\n')
    async with run_editor(write_nb(one_cell_notebook(source))) as ed:
        editor = await edit(ed, "enter")
        console = Console()
        syntax = highlight(source, "ipython3")
        shown = syntax.highlight(source)
        offset = 0
        for row, text in enumerate(source.split("\n")):
            line = editor.get_line(row)
            for col in range(len(text)):
                want = shown.get_style_at_offset(console, offset + col)
                got = line.get_style_at_offset(console, col)
                assert (got.color, got.bold, got.italic) == (want.color, want.bold, want.italic), (
                    row, col, text)
            offset += len(text) + 1
        base = pygments_theme().base_style
        assert base is not None
        assert base.bgcolor == syntax.get_theme("monokai").get_background_style().bgcolor


async def test_markdown_and_raw_cells_are_not_python_highlighted(write_nb):
    async with run_editor(write_nb(sample_notebook())) as ed:
        editor = await edit(ed, "enter")  # cell 0 is markdown
        assert ed.nb.cells[0].cell_type == "markdown"
        assert editor.pygments_lexer is None
        assert all(editor.line_highlights(row) == [] for row in range(editor.document.line_count))
        assert editor.get_line(0).spans == []
        assert editor.theme == "css"
        await ed.press("escape", "j", "j", "j")
        editor = await edit(ed, "enter")
        assert ed.nb.cells[3].cell_type == "raw"
        assert editor.pygments_lexer is None
        assert editor.line_highlights(0) == []
        await ed.press("escape", "k")
        editor = await edit(ed, "enter")  # a code cell: highlighted
        assert editor.pygments_lexer is not None
        assert spans(editor, 0, "Token.Name") == [(0, 1)]


async def test_bash_notebook_uses_the_bash_lexer(write_nb):
    metadata = {"kernelspec": {"name": "bash", "display_name": "Bash", "language": "bash"},
                "language_info": {"name": "bash", "codemirror_mode": "shell",
                                  "mimetype": "text/x-sh", "file_extension": ".sh"}}
    source = 'for f in *.txt; do echo "$f"; done  # loop'
    async with run_editor(write_nb(one_cell_notebook(source, metadata=metadata))) as ed:
        editor = await edit(ed, "enter")
        assert type(editor.pygments_lexer).__name__ == "BashLexer"
        assert spans(editor, 0, "Token.Keyword") == [(0, 3), (6, 8), (16, 18), (30, 34)]
        assert spans(editor, 0, "Token.Name.Builtin") == [(19, 23)]
        assert spans(editor, 0, "Token.Comment") == [(36, 42)]
        assert covered(editor, 0, "Token.Literal.String") >= {24, 27}


async def test_large_cell_is_patched_at_once_then_relexed_exactly(write_nb):
    lines = [f"value_{k} = {k}  # line {k}" for k in range(800)]
    source = "\n".join(lines)
    assert len(source) > HighlightedTextArea.SYNC_LIMIT
    async with run_editor(write_nb(one_cell_notebook(source))) as ed:
        editor = await edit(ed, "enter")
        await asyncio.wait_for(editor.exact.wait(), TIMEOUT)
        last = lines[-1]
        assert spans(editor, len(lines) - 1, "Token.Comment") == [(last.index("#"), len(last))]
        # An edit is patched in at once (the changed lines lexed on their own), before the
        # whole re-lex that waits for a pause in typing.
        editor.move_cursor((0, len(lines[0])))
        editor.insert("\nwhile")
        assert not editor.exact.is_set()
        assert spans(editor, 1, "Token.Keyword") == [(0, 5)]
        moved = lines[1]  # the line below moved down, with its spans
        assert editor.document[2] == moved
        assert spans(editor, 2, "Token.Comment") == [(moved.index("#"), len(moved))]
        await asyncio.wait_for(editor.exact.wait(), TIMEOUT)
        # Opening a triple-quoted string changes the lines below it: the whole re-lex does.
        await ed.press(*'"""')  # typed keys, like a user
        await asyncio.wait_for(editor.exact.wait(), TIMEOUT)
        assert editor.document[1] == 'while"""'
        assert covered(editor, 2, "Token.Literal.String") == set(range(len(moved)))
        assert spans(editor, 2, "Token.Comment") == []
        # Leaving edit mode while a re-lex is pending or running is fine.
        editor.insert("x")
        assert not editor.exact.is_set()
        await ed.press("escape")
        assert not isinstance(ed.app.focused, CellEditor)
        assert ed.sources()[0].split("\n")[1] == 'while"""x'
