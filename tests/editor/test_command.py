"""``jtui PATH`` argument handling: a file nbio cannot read is a clear error, not a crash."""

from __future__ import annotations

import argparse
import shutil

from tests.editor.conftest import CORPUS
from tui.notebook import command


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_unreadable_notebook_is_reported(tmp_path, capsys):
    path = tmp_path / "broken.ipynb"
    shutil.copyfile(CORPUS / "test3_no_worksheets.ipynb", path)
    before = path.read_bytes()
    assert command.run(parse(str(path))) == 1
    err = capsys.readouterr().err
    assert "cannot open" in err and "broken.ipynb" in err and "worksheets" in err
    assert path.read_bytes() == before


def test_not_json_is_reported(tmp_path, capsys):
    path = tmp_path / "x.ipynb"
    path.write_text("{ not json")
    assert command.run(parse(str(path))) == 1
    assert "cannot open" in capsys.readouterr().err
