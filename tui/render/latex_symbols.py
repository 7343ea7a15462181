"""Symbol tables for :mod:`tui.render.latex`: LaTeX command -> Unicode, by the part it plays.

Each table maps a command name (without its backslash) to its character. The class of a symbol
decides its spacing: relations and binary operators get a space either side at the top level.
"""

from __future__ import annotations

GREEK: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι",
    "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ",
    "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "digamma": "ϝ",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "varGamma": "Γ", "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ",
    "varPi": "Π", "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ",
    "varOmega": "Ω",
}
"""Greek letters (ordinary symbols)."""

ORDINARY: dict[str, str] = {
    "infty": "∞", "partial": "∂", "nabla": "∇", "hbar": "ℏ", "hslash": "ℏ", "ell": "ℓ",
    "wp": "℘", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "beth": "ℶ", "gimel": "ℷ",
    "emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃", "nexists": "∄",
    "neg": "¬", "lnot": "¬", "top": "⊤", "bot": "⊥", "angle": "∠", "measuredangle": "∡",
    "triangle": "△", "square": "□", "Box": "□", "blacksquare": "■", "Diamond": "◇",
    "prime": "′", "backslash": "∖", "surd": "√", "dagger": "†", "ddagger": "‡",
    "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dotsc": "…",
    "dotsb": "⋯", "dotsm": "⋯", "dotsi": "⋯", "imath": "ı", "jmath": "ȷ", "S": "§",
    "P": "¶", "copyright": "©", "degree": "°", "flat": "♭", "natural": "♮", "sharp": "♯",
    "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡", "spadesuit": "♠",
    "checkmark": "✓", "star": "⋆", "bigstar": "★", "complement": "∁", "mho": "℧",
    "eth": "ð", "Finv": "Ⅎ", "Game": "⅁", "circledS": "Ⓢ", "|": "‖", "{": "{", "}": "}",
    "$": "$", "%": "%", "&": "&", "#": "#", "_": "_", "lbrace": "{", "rbrace": "}",
    "vert": "|", "Vert": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "infin": "∞", "AA": "Å", "euro": "€", "pounds": "£",
}
"""Ordinary symbols."""

BINARY: dict[str, str] = {
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "⋅", "ast": "∗", "star": "⋆",
    "circ": "∘", "bullet": "∙", "oplus": "⊕", "ominus": "⊖", "otimes": "⊗", "oslash": "⊘",
    "odot": "⊙", "cap": "∩", "cup": "∪", "sqcap": "⊓", "sqcup": "⊔", "vee": "∨",
    "lor": "∨", "wedge": "∧", "land": "∧", "setminus": "∖", "smallsetminus": "∖",
    "wr": "≀", "uplus": "⊎", "amalg": "⨿", "bigcirc": "○", "diamond": "⋄",
    "bigtriangleup": "△", "bigtriangledown": "▽", "triangleleft": "◁", "triangleright": "▷",
    "lhd": "⊲", "rhd": "⊳", "unlhd": "⊴", "unrhd": "⊵", "dotplus": "∔", "ltimes": "⋉",
    "rtimes": "⋊", "boxplus": "⊞", "boxminus": "⊟", "boxtimes": "⊠", "boxdot": "⊡",
    "centerdot": "⋅", "divideontimes": "⋇", "intercal": "⊺", "mod": "mod",
}
"""Binary operators."""

RELATION: dict[str, str] = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "equiv": "≡",
    "approx": "≈", "approxeq": "≊", "cong": "≅", "simeq": "≃", "sim": "∼", "propto": "∝",
    "ll": "≪", "gg": "≫", "lll": "⋘", "ggg": "⋙", "subset": "⊂", "supset": "⊃",
    "subseteq": "⊆", "supseteq": "⊇", "subsetneq": "⊊", "supsetneq": "⊋",
    "nsubseteq": "⊈", "nsupseteq": "⊉", "sqsubset": "⊏", "sqsupset": "⊐",
    "sqsubseteq": "⊑", "sqsupseteq": "⊒", "in": "∈", "notin": "∉", "ni": "∋",
    "owns": "∋", "vdash": "⊢", "dashv": "⊣", "models": "⊨", "vDash": "⊨", "Vdash": "⊩",
    "perp": "⊥", "parallel": "∥", "nparallel": "∦", "mid": "∣", "nmid": "∤",
    "asymp": "≍", "doteq": "≐", "bowtie": "⋈", "smile": "⌣", "frown": "⌢",
    "prec": "≺", "succ": "≻", "preceq": "⪯", "succeq": "⪰", "leqslant": "⩽",
    "geqslant": "⩾", "lesssim": "≲", "gtrsim": "≳", "nless": "≮", "ngtr": "≯",
    "nleq": "≰", "ngeq": "≱", "nsim": "≁", "ncong": "≇", "triangleq": "≜",
    "coloneqq": "≔", "eqqcolon": "≕", "coloneq": "≔", "colon": ":", "therefore": "∴",
    "because": "∵", "to": "→", "gets": "←", "rightarrow": "→", "leftarrow": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔", "Leftrightarrow": "⇔",
    "longrightarrow": "⟶", "longleftarrow": "⟵", "Longrightarrow": "⟹",
    "Longleftarrow": "⟸", "longleftrightarrow": "⟷", "Longleftrightarrow": "⟺",
    "implies": "⟹", "impliedby": "⟸", "iff": "⟺", "mapsto": "↦", "longmapsto": "⟼",
    "uparrow": "↑", "downarrow": "↓", "updownarrow": "↕", "Uparrow": "⇑",
    "Downarrow": "⇓", "Updownarrow": "⇕", "nearrow": "↗", "searrow": "↘",
    "swarrow": "↙", "nwarrow": "↖", "hookrightarrow": "↪", "hookleftarrow": "↩",
    "rightharpoonup": "⇀", "rightharpoondown": "⇁", "leftharpoonup": "↼",
    "leftharpoondown": "↽", "rightleftharpoons": "⇌", "leftrightharpoons": "⇋",
    "rightrightarrows": "⇉", "leftleftarrows": "⇇", "twoheadrightarrow": "↠",
    "rightsquigarrow": "⇝", "leadsto": "⇝", "xrightarrow": "⟶", "xleftarrow": "⟵",
    "nrightarrow": "↛", "nleftarrow": "↚", "nRightarrow": "⇏", "nLeftarrow": "⇍",
    "circlearrowleft": "↺", "circlearrowright": "↻", "leftrightarrows": "⇆",
    "rightleftarrows": "⇄", "upharpoonright": "↾", "downharpoonright": "⇂",
    "lessgtr": "≶", "gtrless": "≷", "vartriangleleft": "⊲", "vartriangleright": "⊳",
}
"""Relations and arrows."""

BIG_OPERATORS: dict[str, str] = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "oiint": "∯", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁",
    "bigotimes": "⨂", "bigodot": "⨀", "bigvee": "⋁", "bigwedge": "⋀", "bigsqcup": "⨆",
    "biguplus": "⨄", "intop": "∫", "smallint": "∫",
}
"""Large operators; their scripts go above and below in display math (integrals: beside,
unless ``\\limits``)."""

SIDE_LIMITS = frozenset({"int", "iint", "iiint", "oint", "oiint", "intop", "smallint"})
"""Big operators whose scripts stay beside them unless ``\\limits`` says otherwise."""

FUNCTIONS = frozenset({
    "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth", "arcsin",
    "arccos", "arctan", "arccot", "arcsec", "arccsc", "log", "ln", "lg", "exp", "det",
    "dim", "ker", "hom", "arg", "deg", "gcd", "lcm", "Pr", "sgn", "sign", "tr", "Tr",
    "rank", "diag", "erf", "asin", "acos", "atan", "asinh", "acosh", "atanh", "sech",
    "csch", "Re", "Im", "bmod", "pmod",
})
"""Operator names set upright (``\\sin``), scripts beside them."""

LIMIT_FUNCTIONS = frozenset({
    "lim", "limsup", "liminf", "max", "min", "sup", "inf", "argmax", "argmin", "injlim",
    "projlim", "varlimsup", "varliminf",
})
"""Operator names whose scripts go below in display math (``\\lim_{x \\to 0}``)."""

FUNCTION_NAMES: dict[str, str] = {"limsup": "lim sup", "liminf": "lim inf",
                                  "argmax": "arg max", "argmin": "arg min",
                                  "varlimsup": "lim sup", "varliminf": "lim inf",
                                  "bmod": "mod", "injlim": "inj lim", "projlim": "proj lim"}
"""Operator names spelled differently from their command."""

SPACES: dict[str, str] = {
    ",": " ", ":": " ", ";": " ", ">": " ", " ": " ", "!": "", "quad": "  ",
    "qquad": "    ", "enspace": " ", "thinspace": " ", "medspace": " ",
    "thickspace": " ", "negthinspace": "", "negmedspace": "", "negthickspace": "",
    "space": " ", "nobreakspace": " ",
}
"""Spacing commands -> the spaces they stand for."""

IGNORED = frozenset({
    "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "nonumber", "notag",
    "limits", "nolimits", "mathstrut", "strut", "left.", "right.", "big", "Big", "bigg",
    "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "bigm",
    "Bigm", "middle", "relax", "allowbreak", "nolinebreak", "noindent", "centering",
    "protect", "displaybreak", "boldmath", "unboldmath", "rm", "bf", "it", "sf", "tt",
    "cal", "scriptsize", "small", "large", "Large", "LARGE", "huge", "Huge",
    "normalsize", "tiny", "footnotesize",
})
"""Commands that change nothing a terminal can show."""

DROP_ONE_ARG = frozenset({"label", "tag", "ref", "eqref", "hspace", "vspace", "hspace*",
                          "vspace*", "color", "pagecolor", "kern", "mkern", "hskip"})
"""Commands whose one argument is dropped with them (``\\label{eq:1}``)."""

ACCENTS: dict[str, str] = {
    "hat": "\u0302", "widehat": "\u0302", "check": "\u030c", "tilde": "\u0303",
    "widetilde": "\u0303", "acute": "\u0301", "grave": "\u0300", "dot": "\u0307",
    "ddot": "\u0308", "dddot": "\u20db", "breve": "\u0306", "bar": "\u0304",
    "vec": "\u20d7", "mathring": "\u030a", "overline": "\u0305", "underline": "\u0332",
    "overrightarrow": "\u20d7", "overleftarrow": "\u20d6",
}
"""Accents, as combining characters on a one-character base."""

WIDE_ACCENTS: dict[str, str] = {
    "hat": "^", "widehat": "^", "check": "ˇ", "tilde": "~", "widetilde": "~", "acute": "´",
    "grave": "`", "dot": "˙", "ddot": "¨", "dddot": "⋯", "breve": "˘", "bar": "_", "vec": "→",
    "mathring": "˚", "overline": "_", "overrightarrow": "→", "overleftarrow": "←",
    "overbrace": "⏞", "underbrace": "⏟", "underline": "‾",
}
"""Accents over (or under: ``underline``, ``underbrace``) a wider base: a row of their own."""

DELIMITERS: dict[str, str] = {
    "(": "(", ")": ")", "[": "[", "]": "]", "\\{": "{", "\\}": "}", "|": "|", "\\|": "‖",
    "lbrace": "{", "rbrace": "}", "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|",
    "vert": "|", "lVert": "‖", "rVert": "‖", "Vert": "‖", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "lbrack": "[", "rbrack": "]", "<": "⟨", ">": "⟩",
    "/": "/", "backslash": "∖", "uparrow": "↑", "downarrow": "↓", "updownarrow": "↕",
    "lgroup": "(", "rgroup": ")", "lmoustache": "⎰", "rmoustache": "⎱", ".": "",
}
"""What may follow ``\\left``, ``\\right`` and ``\\big``: the delimiter character."""

GROWN: dict[str, tuple[str, str, str, str]] = {
    "(": ("⎛", "⎜", "⎝", "⎜"), ")": ("⎞", "⎟", "⎠", "⎟"),
    "[": ("⎡", "⎢", "⎣", "⎢"), "]": ("⎤", "⎥", "⎦", "⎥"),
    "{": ("⎧", "⎪", "⎩", "⎨"), "}": ("⎫", "⎪", "⎭", "⎬"),
    "⌊": ("⎢", "⎢", "⎣", "⎢"), "⌋": ("⎥", "⎥", "⎦", "⎥"),
    "⌈": ("⎡", "⎢", "⎢", "⎢"), "⌉": ("⎤", "⎥", "⎥", "⎥"),
    "|": ("│", "│", "│", "│"), "‖": ("‖", "‖", "‖", "‖"),
    "⟨": ("╱", "╱", "╲", "⟨"), "⟩": ("╲", "╲", "╱", "⟩"),
}
"""Delimiters taller than a line: (top, extension, bottom, middle) pieces."""

SUPERSCRIPTS: dict[str, str] = dict(zip(
    "0123456789+-−=()niabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ ′",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ ′",
))
"""Characters that have a superscript form."""

SUBSCRIPTS: dict[str, str] = dict(zip(
    "0123456789+-−=()aehijklmnoprstuvxβγρφχ,",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ,",
))
"""Characters that have a subscript form (a comma passes as itself)."""


def _alphabet(upper: int, lower: int | None, digits: int | None = None,
              exceptions: dict[str, str] | None = None) -> dict[str, str]:
    table: dict[str, str] = {}
    for i in range(26):
        table[chr(65 + i)] = chr(upper + i)
        if lower is not None:
            table[chr(97 + i)] = chr(lower + i)
    if digits is not None:
        for i in range(10):
            table[chr(48 + i)] = chr(digits + i)
    table.update(exceptions or {})
    return table


FONTS: dict[str, dict[str, str]] = {
    "mathbb": _alphabet(0x1D538, 0x1D552, 0x1D7D8, {
        "C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}),
    "mathcal": _alphabet(0x1D49C, 0x1D4B6, None, {
        "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
        "e": "ℯ", "g": "ℊ", "o": "ℴ"}),
    "mathfrak": _alphabet(0x1D504, 0x1D51E, None, {
        "C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"}),
    "mathbf": _alphabet(0x1D400, 0x1D41A, 0x1D7CE),
    "mathsf": _alphabet(0x1D5A0, 0x1D5BA, 0x1D7E2),
    "mathtt": _alphabet(0x1D670, 0x1D68A, 0x1D7F6),
}
"""Font commands that have a Unicode alphabet (others are set as plain text)."""
FONTS["mathscr"] = FONTS["mathcal"]
FONTS["boldsymbol"] = FONTS["bm"] = FONTS["mathbold"] = FONTS["mathbf"]
FONTS["Bbb"] = FONTS["mathbb"]

PLAIN_FONTS = frozenset({"mathrm", "mathit", "mathnormal", "mathup", "textit", "textbf",
                         "mathop", "mathbin", "mathrel", "mathord", "mathopen",
                         "mathclose", "mathpunct", "mathinner", "emph", "textup", "pmb"})
"""Font or class commands whose argument is set as it is."""

TEXT_COMMANDS = frozenset({"text", "textrm", "textsf", "texttt", "textnormal", "mbox",
                           "hbox", "textmd", "textsl", "fbox"})
"""Commands whose argument is text (spaces kept), not math."""
