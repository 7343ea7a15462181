"""LaTeX math to Unicode (tui.render.latex) on real sympy/IPython outputs and hand cases."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from rich.console import Console

from tui.render.context import RenderContext
from tui.render.latex import (
    math_inline_text,
    math_to_unicode,
    render_latex,
    render_math,
    split_math,
    strip_math_delimiters,
)
from tui.render.registry import RenderError, render_mime

DATA = Path(__file__).resolve().parents[1] / "data" / "rich" / "latex"
SYMPY = json.loads((DATA / "sympy_outputs.json").read_text())


def shown(renderable: object, width: int = 80) -> list[str]:
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


LAYOUTS = {
    r"\frac{a+b}{c}": ["a+b", "───", " c "],
    r"x^2 + y_1": ["x² + y₁"],
    r"\alpha + \beta \leq \infty": ["α + β ≤ ∞"],
    r"f: \mathbb{R}^n \to \mathbb{R}": ["f : ℝⁿ → ℝ"],
    r"\mathcal{L} \cdot \nabla \times \partial": ["ℒ ⋅ ∇ × ∂"],
    r"\pm\mathrm{d}x": ["±dx"],
    r"\text{if } x": ["if x"],
    r"\operatorname{Var}(X)": ["Var(X)"],
    r"\sqrt{x^2+1}": [" ______", "√x² + 1"],
    r"\sum_{i=1}^{n} x_i": [" n    ", " ∑  xᵢ", "i=1   "],
    r"\lim_{x \to 0} f(x)": ["lim f(x)", "x→0     "],
    r"\int_0^1 x\,dx": ["∫₀¹ x dx"],
    r"e^{i\pi}": [" iπ", "e  "],
    r"\left(\frac{a}{b}\right)": ["⎛a⎞", "⎜─⎟", "⎝b⎠"],
    r"\begin{pmatrix}1 & 2\\3 & 4\end{pmatrix}": ["⎛ 1  2 ⎞", "⎝ 3  4 ⎠"],
    r"\begin{bmatrix}a & b\\c & d\\e & f\end{bmatrix}":
        ["⎡ a  b ⎤", "⎢ c  d ⎥", "⎣ e  f ⎦"],
    r"\begin{aligned} a &= b + c \\ dd &= e \end{aligned}": [" a = b + c", "dd = e    "],
    r"|x| = \begin{cases} x & x \geq 0 \\ -x & x < 0 \\ 0 & \text{never}\end{cases}":
        ["      ⎧ x   x ≥ 0", "|x| = ⎨ -x  x < 0", "      ⎩ 0   never"],
    r"\hat x + \vec{v}": ["x̂ + v⃗"],
    r"\hat\beta = \frac{\sum_i x_i y_i}{\sum_i x_i^2}": [  # the showcase notebook's cell
        "    ∑ᵢ xᵢyᵢ", "β̂ = ───────", "    ∑ᵢ xᵢ²"],
    r"\frac{\sum\limits_{i} x}{2}": ["∑ x", "i", "───", " 2"],
    r"\foo{x} + \bar": ["foox + bar"],
    r"a \not= b \neq c \not\in d": ["a ≠ b ≠ c ∉ d"],
}


@pytest.mark.parametrize("tex", list(LAYOUTS), ids=range(len(LAYOUTS)))
def test_exact_layout(tex: str) -> None:
    assert [line.rstrip() for line in math_to_unicode(tex)] == [
        line.rstrip() for line in LAYOUTS[tex]]


def test_inline_keeps_one_line() -> None:
    assert math_inline_text(r"\frac{a+b}{c}") == "(a+b)/c"
    assert math_inline_text(r"\frac{1}{2}") == "1/2"
    assert math_inline_text(r"e^{i\pi}") == "e^(iπ)"
    assert math_inline_text(r"\sum_{i=1}^{n} i") == "∑ᵢ₌₁ⁿ i"
    assert math_inline_text(r"\sqrt{\frac{a}{b}}") == "√(a/b)"
    assert math_inline_text(r"\begin{pmatrix}1 & 2\\3 & 4\end{pmatrix}") == "(1 2; 3 4)"


@pytest.mark.parametrize("tex", [r"\frac{a}{b", r"x^{2", r"a}", r"\left( x",
                                 r"\begin{matrix} 1", r"x \right)", r"\end{matrix}"])
def test_does_not_parse(tex: str) -> None:
    with pytest.raises(RenderError) as info:
        math_to_unicode(tex)
    assert "does not parse" in str(info.value)


def test_unparsable_output_is_a_placeholder_with_the_reason() -> None:
    out = shown(render_mime("text/latex", "$\\frac{a}{b$", {}, RenderContext()))
    assert out[0].startswith("[text/latex, ")
    assert "never closed" in out[0]


@pytest.mark.parametrize("tex", ["{" * 9_000 + "}" * 9_000, "\\sqrt" * 3000 + "x",
                                 "x^{" * 5000 + "}" * 5000,
                                 "\\left(" * 1200 + "x" + "\\right)" * 1200],
                         ids=["braces", "roots", "scripts", "delimiters"])
def test_hostile_nesting_is_refused_quickly(tex: str) -> None:
    start = time.perf_counter()
    with pytest.raises(RenderError) as info:
        math_to_unicode(tex)
    assert "nested too deeply" in str(info.value)
    assert time.perf_counter() - start < 1.0


def test_long_formula_is_bounded() -> None:
    start = time.perf_counter()
    lines = math_to_unicode(" + ".join(f"\\frac{{x_{{{i}}}}}{{y}}" for i in range(500)))
    assert len(lines) == 3 and time.perf_counter() - start < 2.0
    with pytest.raises(RenderError, match="too long"):
        math_to_unicode("x" * 100_000)


def test_wrappers_stripped() -> None:
    for wrapped in ("$$x$$", "$x$", "\\[x\\]", "\\(x\\)", "$\\displaystyle x$",
                    "\\begin{equation}x\\end{equation}", "\\begin{equation*} x \\end{equation*}"):
        assert strip_math_delimiters(wrapped) == "x"


def test_sympy_integral() -> None:
    assert shown(render_latex(SYMPY["integral"], {}, RenderContext())) == [
        "∞   -x²", "∫  e    dx", "-∞"]


def test_sympy_fraction_matrix_sum_limit() -> None:
    ctx = RenderContext()
    assert shown(render_latex(SYMPY["fraction"], {}, ctx)) == ["a+b", "───", "x-1"]
    assert shown(render_latex(SYMPY["matrix"], {}, ctx)) == ["⎡1  2⎤", "⎣3  4⎦"]
    assert shown(render_latex(SYMPY["sum"], {}, ctx)) == [" ∞  1", " ∑  ──", "n=1 n²"]
    assert shown(render_latex(SYMPY["limit"], {}, ctx)) == [
        "    ⎛sin(x)⎞", "lim ⎜──────⎟", "x→0⁺⎝  x   ⎠"]
    assert shown(render_latex(SYMPY["sqrt"], {}, ctx)) == [" ______", "√x² + 1"]
    assert shown(render_latex(SYMPY["piecewise"], {}, ctx)) == [
        "⎰ x   for x ≥ 0", "⎱ -x  otherwise"]


def test_every_saved_output_renders_without_its_source() -> None:
    for name, value in SYMPY.items():
        text = "\n".join(shown(render_latex(value, {}, RenderContext())))
        assert "\\" not in text and "$" not in text, name


def test_nbconvert_notebook_latex() -> None:  # notebook1.ipynb's sympy output, older sympy
    out = shown(render_latex(["$$x^{2} + 2.0 y + \\sin{\\left (z \\right )}$$"], {},
                             RenderContext()))
    assert out == ["x² + 2.0y + sin(z)"]


def test_text_with_inline_and_display_math() -> None:
    value = "The area is $\\pi r^2$, and\n$$\\frac{1}{2}$$"
    out = shown(render_latex(value, {}, RenderContext()))
    assert out == ["The area is πr², and", "1", "─", "2"]


def test_split_math() -> None:
    assert split_math(r"a \$5 and $x$ or $$y$$ \[z\] \begin{align}w\end{align}") == [
        ("text", r"a \$5 and "), ("inline", "x"), ("text", " or "), ("display", "y"),
        ("text", " "), ("display", "z"), ("text", " "),
        ("display", r"\begin{align}w\end{align}")]
    assert split_math("costs $5 and $") == [("text", "costs $5 and $")]


def test_display_math_in_halfblock_mode_is_text() -> None:
    out = render_math(r"\frac{a}{b}", RenderContext(graphics="halfblock"), display=True)
    assert shown(out) == ["a", "─", "b"]


def test_display_math_in_pixel_mode_falls_back_or_draws() -> None:
    ctx = RenderContext(graphics="kitty")
    out = render_math(r"\frac{a}{b}", ctx, display=True)
    try:
        from tui.render.image import render_svg  # noqa: F401
    except ImportError:  # the image renderer is not there: the Unicode layout is shown
        assert shown(out) == ["a", "─", "b"]
    else:
        assert shown(out) != ["a", "─", "b"]
