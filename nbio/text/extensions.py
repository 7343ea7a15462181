"""Script extensions and their languages' comment markers (data only: cheap to import)."""

from __future__ import annotations

SCRIPT_EXTENSIONS: dict[str, dict[str, str]] = {
    ".py": {"language": "python", "comment": "#"},
    ".coco": {"language": "coconut", "comment": "#"},
    ".R": {"language": "R", "comment": "#"},
    ".r": {"language": "R", "comment": "#"},
    ".jl": {"language": "julia", "comment": "#"},
    ".cpp": {"language": "c++", "comment": "//"},
    ".ss": {"language": "scheme", "comment": ";;"},
    ".clj": {"language": "clojure", "comment": ";;"},
    ".scm": {"language": "scheme", "comment": ";;"},
    ".sh": {"language": "bash", "comment": "#"},
    ".ps1": {"language": "powershell", "comment": "#"},
    ".q": {"language": "q", "comment": "/"},
    ".m": {"language": "matlab", "comment": "%"},
    ".wolfram": {"language": "wolfram language", "comment": "(*", "comment_suffix": "*)"},
    ".pro": {"language": "idl", "comment": ";"},
    ".js": {"language": "javascript", "comment": "//"},
    ".ts": {"language": "typescript", "comment": "//"},
    ".scala": {"language": "scala", "comment": "//"},
    ".rs": {"language": "rust", "comment": "//"},
    ".robot": {"language": "robotframework", "comment": "#"},
    ".resource": {"language": "robotframework", "comment": "#"},
    ".cs": {"language": "csharp", "comment": "//"},
    ".fsx": {"language": "fsharp", "comment": "//"},
    ".fs": {"language": "fsharp", "comment": "//"},
    ".sos": {"language": "sos", "comment": "#"},
    ".java": {"language": "java", "comment": "//"},
    ".groovy": {"language": "groovy", "comment": "//"},
    ".sage": {"language": "sage", "comment": "#"},
    ".ml": {"language": "ocaml", "comment": "(*", "comment_suffix": "*)"},
    ".hs": {"language": "haskell", "comment": "--"},
    ".tcl": {"language": "tcl", "comment": "#"},
    ".mac": {"language": "maxima", "comment": "/*", "comment_suffix": "*/"},
    ".gp": {"language": "gnuplot", "comment": "#"},
    ".do": {"language": "stata", "comment": "//"},
    ".sas": {"language": "sas", "comment": "/*", "comment_suffix": "*/"},
    ".jenner": {"language": "jenner", "comment": "/*", "comment_suffix": "*/"},
    ".xsh": {"language": "xonsh", "comment": "#"},
    ".lgt": {"language": "logtalk", "comment": "%"},
    ".logtalk": {"language": "logtalk", "comment": "%"},
    ".lua": {"language": "lua", "comment": "--"},
    ".go": {"language": "go", "comment": "//"},
}
"""jupytext's table of script extensions (its ``_SCRIPT_EXTENSIONS``): the language and the
line-comment marker of each. The cell magic and quoting rules below are keyed by these
languages even for cells inside a notebook of another language."""

PERCENT_SUFFIXES: frozenset[str] = frozenset(
    ext for ext, info in SCRIPT_EXTENSIONS.items()
    if "comment_suffix" not in info and ext not in (".q", ".go"))
"""File suffixes read and written as percent scripts (``.py``, ``.R``, ``.r``, ``.jl``,
``.sh``, ``.ps1``, ``.js``...: the languages with a line comment; not block-comment languages
such as OCaml, nor q and Go, whose percent rules jupytext special-cases)."""

MARKDOWN_SUFFIXES: frozenset[str] = frozenset({".md"})
"""File suffixes read and written as jupytext markdown notebooks."""

TEXT_SUFFIXES: frozenset[str] = PERCENT_SUFFIXES | MARKDOWN_SUFFIXES
"""Every suffix :func:`nbio.read` and :func:`nbio.write` treat as a text notebook."""
