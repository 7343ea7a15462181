"""Regenerate sympy_outputs.json: real ``text/latex`` values as sympy and IPython make them.

Run: /work/main/.venv/bin/python tests/data/rich/latex/make_sympy.py
"""

import json
from pathlib import Path

import sympy as sp
from IPython.display import Latex, Math

x, y, n, i, a, b = sp.symbols("x y n i a b")
M = sp.Matrix([[1, 2], [3, 4]])
cases = {
    "integral": sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo)),
    "fraction": (a + b) / (x - 1),
    "matrix": M,
    "limit": sp.Limit(sp.sin(x) / x, x, 0),
    "sum": sp.Sum(1 / n**2, (n, 1, sp.oo)),
    "sqrt": sp.sqrt(x**2 + 1),
    "piecewise": sp.Piecewise((x, x >= 0), (-x, True)),
    "derivative": sp.Derivative(sp.Function("f")(x), x, 2),
}
out = {}
for name, expr in cases.items():
    # what sympy's IPython printer puts in the bundle (sympy.interactive.printing)
    out[name] = "$\\displaystyle " + sp.latex(expr) + "$"
out["ipython_math"] = Math(r"F(k) = \int_{-\infty}^{\infty} f(x) e^{2\pi i k} dx")._repr_latex_()
out["ipython_latex"] = Latex(r"""\begin{eqnarray}
\nabla \times \vec{\mathbf{B}} -\, \frac1c\, \frac{\partial\vec{\mathbf{E}}}{\partial t} & = \frac{4\pi}{c}\vec{\mathbf{j}} \\
\nabla \cdot \vec{\mathbf{E}} & = 4 \pi \rho
\end{eqnarray}""")._repr_latex_()
Path(__file__).with_name("sympy_outputs.json").write_text(
    json.dumps(out, indent=1, ensure_ascii=False) + "\n")
