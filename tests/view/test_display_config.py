"""The ``[display]`` table of ``jupyter_tui.toml``: what each key does and what is refused."""

from __future__ import annotations

from pathlib import Path

from tui.commands.view import view_options
from tui.config import load_display, mime_order
from tui.render.registry import DEFAULT_ORDER


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "jupyter_tui.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_display(tmp_path / "absent.toml")
    assert (config.graphics, config.mime_order, config.options) == ("auto", (), {})
    assert config.max_image_rows is None and config.warnings == ()
    assert mime_order(config) == DEFAULT_ORDER


def test_every_setting_is_read(tmp_path: Path) -> None:
    config = load_display(_config(tmp_path, """
[display]
graphics = "sixel"
mime_order = ["text/plain", "image/PNG"]
wide_tables = "truncate"
max_table_rows = 10
json_depth = 0
max_image_rows = 12
"""))
    assert config.warnings == ()
    assert config.graphics == "sixel"
    assert mime_order(config)[:2] == ("text/plain", "image/png")
    assert sorted(mime_order(config)) == sorted(DEFAULT_ORDER)
    assert config.options == {"wide_tables": "truncate", "max_table_rows": 10, "json_depth": 0}
    assert config.max_image_rows == 12


def test_bad_values_are_refused_with_a_warning_each(tmp_path: Path) -> None:
    config = load_display(_config(tmp_path, """
[display]
graphics = "braille"
mime_order = "text/plain"
wide_tables = "wrap"
max_table_rows = 1
json_depth = true
max_image_rows = "40"
"""))
    assert config.graphics == "auto" and config.options == {} and config.max_image_rows is None
    text = "\n".join(config.warnings)
    for key in ("graphics", "mime_order", "wide_tables", "max_table_rows", "json_depth",
                "max_image_rows"):
        assert f"[display] {key}" in text
    assert len(config.warnings) == 6


def test_a_file_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    config = load_display(_config(tmp_path, "[display\ngraphics = 1"))
    assert config.graphics == "auto"
    assert len(config.warnings) == 1 and "using the default display settings" in config.warnings[0]


def test_the_view_flag_wins_and_a_page_never_scrolls_sideways() -> None:
    assert view_options({"wide_tables": "truncate"}, None) == {"wide_tables": "truncate"}
    assert view_options({"wide_tables": "truncate"}, "split") == {"wide_tables": "split"}
    assert view_options({"wide_tables": "scroll", "json_depth": 1}, None) == {
        "wide_tables": "split", "json_depth": 1}
