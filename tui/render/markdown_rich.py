"""Rich's :class:`~rich.markdown.Markdown` taught about notebook markdown: display math and
images drawn where they stand, inside list items and block quotes as at the top level.

:mod:`tui.render.markdown` rewrites every display-math block into a fence whose info string
is ``jtui-math-N`` (the block's source kept aside, as ``maths[N]``); here such a fence renders
as math (:func:`tui.render.latex.render_math`) at the width of its container. Images
(``![alt](src)``) collect in their paragraph: a paragraph of images alone draws them; one with
text keeps a label where each image stands and draws the pictures below its text. Lines of
``<img>`` tags (an HTML block) draw their images too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import ClassVar

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
from rich.markdown import (
    CodeBlock,
    ImageItem,
    Markdown,
    MarkdownElement,
    Paragraph,
)
from rich.text import Text

from tui.render.context import RenderContext
from tui.render.markdown_images import image_label, resolve_image, tag_images

MATH_INFO = "jtui-math-"
"""Info string prefix of the fences standing for display math."""

_MARKER = re.compile(r"^\s*`{3,}" + re.escape(MATH_INFO) + r"(\d+)\s*\n\s*`{3,}\s*$")
_IMG_LINES = re.compile(r"^\s*(?:<img\s[^>]*>\s*)+$", re.IGNORECASE)


def _spaced(parts: Sequence[RenderableType]) -> list[RenderableType]:
    out: list[RenderableType] = []
    for i, part in enumerate(parts):
        if i:
            out.append(Text(""))
        out.append(part)
    return out


def _display_math(body: str, ctx: RenderContext, width: int) -> RenderableType:
    from tui.render.latex import render_math
    from tui.render.registry import RenderError

    try:
        return render_math(body, ctx.with_width(width), display=True)
    except RenderError as exc:
        return Text.assemble((body.strip(), "dim"), "\n", (f"[math: {exc}]", "dim italic"))


class MathBlock(CodeBlock):
    """A fence: display math when its info string says so (or, moved by indentation into an
    indented code block, its content does), else highlighted code as Rich draws it."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> CodeBlock:
        """The block of ``token``, knowing the maths of ``markdown``."""
        block = super().create(markdown, token)
        assert isinstance(block, MathBlock)
        block.owner = markdown if isinstance(markdown, NotebookMarkdown) else None
        block.index = None
        info = (token.info or "").strip()
        if token.type == "fence" and info.startswith(MATH_INFO):
            block.index = _index(info[len(MATH_INFO):])
        elif token.type == "code_block" and (m := _MARKER.match(token.content)):
            block.index = _index(m.group(1))
        return block

    owner: NotebookMarkdown | None = None
    index: int | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        owner, index = self.owner, self.index
        if owner is not None and index is not None and index < len(owner.maths):
            yield _display_math(owner.maths[index], owner.ctx or RenderContext(),
                                options.max_width)
            return
        yield from super().__rich_console__(console, options)


def _index(text: str) -> int | None:
    return int(text) if text.isdigit() else None


class InlineImage(ImageItem):
    """``![alt](src)``: resolved for the document's context; drawn by its paragraph."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> MarkdownElement:
        """The image of ``token``."""
        item = cls(str(token.attrs.get("src", "")), markdown.hyperlinks)
        item.owner = markdown if isinstance(markdown, NotebookMarkdown) else None
        return item

    owner: NotebookMarkdown | None = None

    def resolve(self) -> tuple[Text, RenderableType | None]:
        """The label and (when it is drawn) the picture of this image."""
        alt = self.text.plain
        ctx = self.owner.ctx if self.owner is not None else None
        found = resolve_image(alt, self.destination, ctx)
        return found.label, found.picture

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        label, picture = self.resolve()  # outside a paragraph (a heading, a table cell)
        yield picture if picture is not None else label


_SPOT = "\ue000"
"""Stands in a paragraph's text where an image was (a private-use character)."""


class ImageParagraph(Paragraph):
    """A paragraph that draws its images: alone, as pictures; among text, as labels in the
    text and pictures below it. :meth:`NotebookMarkdown._flatten_tokens` hands it its images
    (``token.meta["jtui_images"]``) and leaves a mark where each stood."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> Paragraph:
        """The paragraph of ``token`` with the images found in it."""
        para = cls(justify=markdown.justify or "left")
        para.images = list(token.meta.get("jtui_images", ())) if token.meta else []
        para.ctx = markdown.ctx if isinstance(markdown, NotebookMarkdown) else None
        return para

    images: list[tuple[str, str]] = []
    ctx: RenderContext | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.images or _SPOT not in self.text.plain:
            yield from super().__rich_console__(console, options)
            return
        found = [resolve_image(alt, src, self.ctx) for alt, src in self.images]
        pieces = self.text.split(_SPOT, allow_blank=True)
        if not "".join(piece.plain for piece in pieces).strip():
            yield from _spaced([f.picture if f.picture is not None else f.label
                                for f in found])
            return
        text = Text(justify=self.justify)
        for index, piece in enumerate(pieces):
            if index:
                text.append_text(found[index - 1].label if index - 1 < len(found) else Text())
            text.append_text(piece)
        self.text = text
        yield from super().__rich_console__(console, options)
        for f in found:
            if f.picture is not None:
                yield Text("")
                yield f.picture


class HtmlImages(MarkdownElement):
    """An HTML block: lines of ``<img>`` tags draw their images; other HTML shows nothing."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> MarkdownElement:
        """The block of ``token``."""
        block = cls()
        block.content = token.content
        block.owner = markdown if isinstance(markdown, NotebookMarkdown) else None
        return block

    content = ""
    owner: NotebookMarkdown | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not _IMG_LINES.match(self.content):
            return
        ctx = self.owner.ctx if self.owner is not None else None
        parts: list[RenderableType] = []
        for alt, src in tag_images(self.content):
            found = resolve_image(alt, src, ctx)
            parts.append(found.picture if found.picture is not None else found.label)
        yield from _spaced(parts)


_DATA_IMAGE = re.compile(r"^data:image/[\w.+-]+[;,]")
_BAD_PROTO = re.compile(r"^(vbscript|javascript|file|data):")


def _valid_link(url: str) -> bool:
    """markdown-it's link check, with any ``data:image/...`` URI allowed (never executed:
    decoded by Pillow or resvg at most)."""
    url = url.strip().lower()
    return bool(_DATA_IMAGE.match(url)) if _BAD_PROTO.match(url) else True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt().enable("strikethrough").enable("table")
    parser.validateLink = _valid_link  # type: ignore[method-assign]
    return parser


class NotebookMarkdown(Markdown):
    """Markdown with the maths it stands for (``jtui-math-N`` fences) and the context its
    images and math are drawn for (``None``: images are labels)."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "paragraph_open": ImageParagraph,
        "fence": MathBlock,
        "code_block": MathBlock,
        "image": InlineImage,
        "html_block": HtmlImages,
    }

    def __init__(self, markup: str, *, ctx: RenderContext | None = None,
                 maths: Sequence[str] = (), code_theme: str = "monokai",
                 justify: JustifyMethod | None = None, hyperlinks: bool = True,
                 inline_code_lexer: str | None = None) -> None:
        # Rich's __init__ with one shared parser that lets data:image/... URIs through
        # (markdown-it refuses all but four image types: SVG data URIs became text)
        self.markup = markup
        self.parsed = _parser().parse(markup)
        self.code_theme = code_theme
        self.justify = justify
        self.style = "none"
        self.hyperlinks = hyperlinks
        self.inline_code_lexer = inline_code_lexer
        self.inline_code_theme = code_theme
        self.ctx = ctx
        self.maths = list(maths)

    def _flatten_tokens(self, tokens: Iterable[Token]) -> Iterable[Token]:
        """Rich's flattening, the images of a paragraph moved onto its opening token (a mark
        left in the text where each stood)."""
        para: Token | None = None
        for token in tokens:
            if token.type == "paragraph_open":
                para = token
            elif token.type in ("heading_open", "th_open", "td_open"):
                para = None
            if token.type == "inline" and para is not None and token.children:
                token.children = self._images_out(token.children, para)
        return super()._flatten_tokens(tokens)

    @staticmethod
    def _images_out(children: list[Token], para: Token) -> list[Token]:
        out: list[Token] = []
        for child in children:
            if child.type == "image":
                images = para.meta.setdefault("jtui_images", [])
                images.append((child.content, str(child.attrs.get("src", ""))))
                out.append(Token("text", "", 0, content=_SPOT))
            else:
                out.append(child)
        return out


__all__ = ["MATH_INFO", "NotebookMarkdown", "image_label"]
