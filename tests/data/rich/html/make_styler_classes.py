"""Write ``styler_classes.html``: pandas Styler output whose colours come from CSS class and
element selectors (``set_table_styles``, ``set_td_classes``) as well as per-cell ids
(``highlight_max``). See README.md.

Run: cd tests/data/rich/html && ../../../../.venv/bin/python make_styler_classes.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def main() -> None:
    df = pd.DataFrame(np.arange(12).reshape(4, 3), columns=["a", "b", "c"],
                      index=["w", "x", "y", "z"])
    classes = pd.DataFrame([["low" if v < 3 else "" for v in row] for row in df.to_numpy()],
                           index=df.index, columns=df.columns)
    styler = (
        df.style.set_uuid("classes")
        .set_table_styles([
            {"selector": "th.col_heading", "props": "background-color: #305080; color: white;"},
            {"selector": ".row_heading", "props": [("color", "#aa0000"), ("font-weight", "bold")]},
            {"selector": "td", "props": "color: #333333;"},
            {"selector": "td.low", "props": "background-color: #ffe0e0;"},
            {"selector": "tr:hover td", "props": "background-color: yellow;"},
        ])
        .set_td_classes(classes)
        .highlight_max(color="lightgreen")
    )
    (HERE / "styler_classes.html").write_text(styler.to_html(), encoding="utf-8")


if __name__ == "__main__":
    main()
