"""The README's editor section documents every binding id (the table is the defaults)."""

from __future__ import annotations

from pathlib import Path

from tui.notebook import keymap

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_every_binding_with_its_default_keys():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("<!-- section:editor -->"):text.index("<!-- /section:editor -->")]
    for spec in keymap.DEFAULTS:
        if spec.id.startswith("notebook.heading-"):
            assert "`notebook.heading-1` … `notebook.heading-6`" in section
            continue
        row = next((line for line in section.splitlines() if f"`{spec.id}`" in line), None)
        assert row is not None, spec.id
        for key in spec.keys.split(","):
            assert f"`{key}`" in row, (spec.id, key)
    for image in ("small_notebook", "rendered_markdown", "edit_mode", "help_screen", "find",
                  "view_80x24"):
        assert f"screenshots/{image}.svg" in section
        assert (README.parent / "screenshots" / f"{image}.svg").exists()
