"""Regenerate the non-table HTML samples in this folder (see README.md)."""

from __future__ import annotations

import base64
import difflib
import io
from pathlib import Path

from markdown_it import MarkdownIt
from PIL import Image

HERE = Path(__file__).resolve().parent

MARKDOWN = """\
# Report &amp; summary

Some **bold**, *italic*, `code()` and a [link](https://example.com/docs) in a paragraph
that is long enough to wrap when the output is narrow, so width handling shows.

## Steps

1. first step
2. second step
   - nested bullet
   - another one
3. third step

- apple
- banana

> A quoted remark, indented.

```python
def f(x):
    return  x  + 1
```

---

![a red square](data:image/png;base64,{png})

![remote picture](https://example.com/cat.png)

Entities: &lt;tag&gt; &copy; caf&eacute;
"""


def red_square_png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (220, 30, 30)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def main() -> None:
    md = MarkdownIt("commonmark")
    (HERE / "markdown_it.html").write_text(
        md.render(MARKDOWN.replace("{png}", red_square_png())), encoding="utf-8")
    before = ["alpha\n", "beta\n", "gamma\n"]
    after = ["alpha\n", "BETA\n", "gamma\n", "delta\n"]
    (HERE / "difflib_htmldiff.html").write_text(
        difflib.HtmlDiff().make_file(before, after, "before.txt", "after.txt"),
        encoding="utf-8")


if __name__ == "__main__":
    main()
