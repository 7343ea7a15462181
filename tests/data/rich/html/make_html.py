"""Regenerate the pandas HTML samples in this folder (see README.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def save(name: str, html: str) -> None:
    (HERE / name).write_text(html, encoding="utf-8")


def main() -> None:
    simple = pd.DataFrame(
        {"name": ["apple", "banana", "cherry"], "count": [3, 12, 150], "price": [0.5, 0.25, 4.0]}
    )
    save("simple_repr.html", simple._repr_html_())
    save("simple_to_html.html", simple.to_html())

    rows = pd.MultiIndex.from_product([["a", "b"], [1, 2, 3]], names=["letter", "number"])
    mi_rows = pd.DataFrame({"x": np.arange(6) * 1.5, "y": list("uvwxyz")}, index=rows)
    save("multiindex_rows.html", mi_rows._repr_html_())

    cols = pd.MultiIndex.from_product([["left", "right"], ["min", "max"]], names=["side", "stat"])
    mi_cols = pd.DataFrame(np.arange(12).reshape(3, 4), columns=cols, index=["r0", "r1", "r2"])
    save("multiindex_cols.html", mi_cols._repr_html_())

    wide = pd.DataFrame(
        np.arange(90).reshape(3, 30) * 1000, columns=[f"column_{i}" for i in range(30)]
    )
    with pd.option_context("display.max_columns", 100):
        save("wide_30.html", wide._repr_html_())

    rng = np.random.default_rng(0)
    long = pd.DataFrame(
        {"a": np.arange(2000), "b": rng.normal(size=2000).round(4), "c": ["text"] * 2000}
    )
    save("rows_2000_repr.html", long._repr_html_())
    save("rows_2000_to_html.html", long.to_html())
    with pd.option_context("display.max_rows", None):
        save("rows_2000_repr_full.html", long._repr_html_())
    with pd.option_context("display.max_columns", 20):
        save("wide_30_repr_max20.html", wide._repr_html_())

    both = pd.DataFrame(np.arange(24).reshape(6, 4) / 4, index=rows, columns=cols)
    save("multiindex_both.html", both._repr_html_())
    save("styler_multiindex.html", both.style.format("{:.2f}").to_html())

    nan = pd.DataFrame({"v": [1.0, np.nan, 3.0], "w": ["p", None, "r"]})
    save("with_nan.html", nan._repr_html_())

    levels = pd.MultiIndex.from_product(
        [["x", "y"], ["p", "q", "r", "s"], range(250)], names=["outer", "middle", "inner"]
    )
    deep = pd.DataFrame({"value": np.arange(2000) * 0.5}, index=levels)
    with pd.option_context("display.max_rows", None):
        save("multiindex_rows_2000.html", deep._repr_html_())

    styled = pd.DataFrame(np.arange(12).reshape(4, 3), columns=["a", "b", "c"])
    save("styler_gradient.html", styled.style.background_gradient().to_html())
    styled_cap = styled.style.set_caption("Styled counts").highlight_max(color="yellow")
    save("styler_caption.html", styled_cap.to_html())


if __name__ == "__main__":
    main()
