"""Languages of text notebooks: comment markers, cell magics, Jupyter magics and quoting.

A port of jupytext's ``languages.py``, ``stringparser.py`` and ``magics.py`` (jupytext 1.19,
MIT licensed), kept rule for rule so that our percent files are jupytext's: which lines are
magics (``%matplotlib``, ``!ls``, ``cd x``) and get commented out as ``# %matplotlib``, which
``%%bash`` first lines make a cell of another language, and which lines are inside a string.
"""

from __future__ import annotations

import re
from typing import Any

from nbio.text.extensions import SCRIPT_EXTENSIONS

COMMENT: dict[str, str] = {v["language"]: v["comment"] for v in SCRIPT_EXTENSIONS.values()}

_JUPYTER_LANGUAGE_LIST = [
    "R", "bash", "sh", "python", "python2", "python3", "coconut", "javascript", "js", "perl",
    "html", "latex", "markdown", "pypy", "ruby", "script", "svg", "matlab", "octave", "idl",
    "robotframework", "sas", "spark", "sql", "cython", "haskell", "tcl", "gnuplot",
    "wolfram language",
]
JUPYTER_LANGUAGES: set[str] = (set(_JUPYTER_LANGUAGE_LIST) | set(COMMENT)
                               | {"c#", "f#", "cs", "fs"})
"""Languages a ``%%NAME`` first line switches a cell to (jupytext's ``_JUPYTER_LANGUAGES``)."""


def default_language(metadata: dict[str, Any], ext: str, pop_main_language: bool = False
                     ) -> str | None:
    """The notebook's language from its metadata, or else from the file extension."""
    from_ext = SCRIPT_EXTENSIONS.get(ext, {}).get("language")
    jupytext = metadata.get("jupytext", {})
    main = jupytext.get("main_language") if isinstance(jupytext, dict) else None
    spec = metadata.get("kernelspec", {})
    spec_language = spec.get("language") if isinstance(spec, dict) else None
    default = spec_language or from_ext
    language = main or default
    if main is not None and main == default and pop_main_language:
        metadata["jupytext"].pop("main_language")
    if language is None:
        return None
    language = str(language)
    if language in ("R", "sas"):
        return language
    if language.startswith("C++"):
        return "c++"
    return language.lower().replace("#", "sharp")


def usual_language_name(language: str) -> str:
    """The name :data:`SCRIPT_EXTENSIONS` uses for ``language``."""
    language = language.lower()
    if language == "r":
        return "R"
    if language.startswith("c++"):
        return "c++"
    if language == "octave":
        return "matlab"
    if language in ("cs", "c#"):
        return "csharp"
    if language in ("fs", "f#"):
        return "fsharp"
    if language == "sas":
        return "SAS"
    return language


def same_language(a: str, b: str) -> bool:
    """Whether the two names are one language."""
    return usual_language_name(a) == usual_language_name(b)


def cell_language(source: list[str], default: str | None,
                  custom_cell_magics: list[str]) -> tuple[str | None, str | None]:
    """A ``%%LANG args`` first line: (LANG, args), removing the line; else (None, None)."""
    if source:
        line = source[0]
        if default == "go" and re.match(r"^(%%\s*|%%\s+-.*)$", line):
            return None, None
        if default == "csharp":
            if line.startswith("#!"):
                lang = line[2:].strip()
                if lang in JUPYTER_LANGUAGES:
                    source.pop(0)
                    return lang, ""
        elif line.startswith("%%"):
            magic = line[2:]
            if " " in magic:
                lang, magic_args = magic.split(" ", 1)
            else:
                lang, magic_args = magic, ""
            if lang in JUPYTER_LANGUAGES or lang in custom_cell_magics:
                source.pop(0)
                return lang, magic_args
    return None, None


def comment_lines(lines: list[str], prefix: str, suffix: str = "") -> list[str]:
    """Each line commented (an empty line becomes the bare marker)."""
    if not prefix:
        return lines
    if not suffix:
        return [f"{prefix} {line}" if line else prefix for line in lines]
    return [f"{prefix} {line} {suffix}" if line else f"{prefix} {suffix}" for line in lines]


def uncomment(lines: list[str], prefix: str = "#", suffix: str = "") -> list[str]:
    """Each line without its comment marker (and the space after it) where it has one."""
    if prefix:
        with_space = prefix + " "
        lines = [line[len(with_space):] if line.startswith(with_space)
                 else line[len(prefix):] if line.startswith(prefix) else line for line in lines]
    if suffix:
        space_suffix = " " + suffix
        lines = [line[:-len(space_suffix)] if line.endswith(space_suffix)
                 else line[:-len(suffix)] if line.endswith(suffix) else line for line in lines]
    return lines


class StringParser:
    """Tells whether the next line starts inside a (multi-line) string literal."""

    def __init__(self, language: str | None) -> None:
        self.ignore = language is None
        self.python = language != "R"
        self.comment = COMMENT.get(language) if language is not None else None
        self.single: str | None = None
        self.triple: str | None = None
        self.triple_start = -1

    def is_quoted(self) -> bool:
        """Whether the next line starts inside a string."""
        if self.ignore:
            return False
        return bool(self.single or self.triple)

    def read_line(self, line: str) -> None:
        """Take one more line into account."""
        if self.ignore:
            return
        if (not self.is_quoted() and self.comment is not None
                and line.lstrip().startswith(self.comment)):
            return
        self.triple_start = -1
        if self.triple is not None:
            if 3 * self.triple not in line:
                return
        elif '"' not in line and "'" not in line:
            return
        for i, char in enumerate(line):
            if (self.single is None and self.triple is None and self.comment
                    and self.comment.startswith(char) and line[i:].startswith(self.comment)):
                break
            if char not in ('"', "'"):
                continue
            if line[i - 1:i] == "\\":
                continue
            if self.single == char:
                self.single = None
                continue
            if self.single is not None:
                continue
            if not self.python:
                continue
            if line[i - 2:i + 1] == 3 * char and i >= self.triple_start + 3:
                if self.triple == char:
                    self.triple = None
                    self.triple_start = i
                    continue
                if self.triple is not None:
                    continue
                self.triple = char
                self.triple_start = i
                continue
            if self.triple is not None:
                continue
            self.single = char
        if self.python:
            self.single = None


# -- magics ---------------------------------------------------------------------------------
def _esc_comment(ext: str) -> str:
    return re.escape(SCRIPT_EXTENSIONS[ext]["comment"])


_MAGIC_RE = {v["language"]: re.compile(r"^\s*({0} |{0})*(%|%%|%%%)[a-zA-Z]".format(_esc_comment(e)))
             for e, v in SCRIPT_EXTENSIONS.items()}
_MAGIC_FORCE_ESC_RE = {
    v["language"]: re.compile(r"^\s*({0} |{0})*(%|%%|%%%)[a-zA-Z](.*){0}\s*escape".format(
        _esc_comment(e))) for e, v in SCRIPT_EXTENSIONS.items()}
_MAGIC_NOT_ESC_RE = {
    v["language"]: re.compile(r"^\s*({0} |{0})*(%|%%|%%%)[a-zA-Z](.*){0}\s*noescape".format(
        _esc_comment(e))) for e, v in SCRIPT_EXTENSIONS.items()}
_MAGIC_RE["rust"] = re.compile(r"^(// |//)*:[a-zA-Z]")
_MAGIC_FORCE_ESC_RE["rust"] = re.compile(r"^(// |//)*:[a-zA-Z](.*)//\s*noescape")
_MAGIC_RE["csharp"] = re.compile(r"^(// |//)*#![a-zA-Z]")
_MAGIC_FORCE_ESC_RE["csharp"] = re.compile(r"^(// |//)*#![a-zA-Z](.*)//\s*noescape")
_MAGIC_RE["go"] = re.compile(r"^(// |//)*(!|!\*|%|%%|%%%)[a-zA-Z]")
_LINE_CONTINUATION_RE = re.compile(r".*\\\s*$")
_PYTHON_HELP_OR_BASH_CMD = re.compile(r"^\s*(?:(?:# |#)+\s*)?(\?|!)\s*[A-Za-z\.\~\$\\\/\{\}]")
_PYTHON_MAGIC_CMD = re.compile(r"^(# |#)*({})($|\s$|\s[^=,])".format("|".join(
    ["cat", "cd", "cp", "mv", "rm", "rmdir", "mkdir",  # posix
     "copy", "ddir", "echo", "ls", "ldir", "mkdir", "ren", "rmdir"])))  # windows
_IPYTHON_MAGIC_HELP = re.compile(r"^\s*(# )*[^\s]*\?\s*$")
_PYTHON_MAGIC_ASSIGN = re.compile(
    r"^(# |#)*\s*([a-zA-Z_][a-zA-Z_$0-9]*)\s*=\s*(%|%%|%%%|!)[a-zA-Z](.*)")
_SCRIPT_LANGUAGES = {v["language"] for v in SCRIPT_EXTENSIONS.values()}


def is_magic(line: str, language: str, global_escape_flag: bool = True,
             explicitly_code: bool = False) -> bool:
    """Whether ``line`` is a (possibly commented) Jupyter magic to comment out."""
    language = usual_language_name(language)
    if (language in ("octave", "matlab", "sas", "jenner", "logtalk")
            or language not in _SCRIPT_LANGUAGES):
        return False
    if _MAGIC_FORCE_ESC_RE[language].match(line):
        return True
    if not global_escape_flag or _MAGIC_NOT_ESC_RE[language].match(line):
        return False
    if _MAGIC_RE[language].match(line):
        return True
    if language != "python":
        return False
    if _PYTHON_HELP_OR_BASH_CMD.match(line) or _PYTHON_MAGIC_ASSIGN.match(line):
        return True
    if explicitly_code and _IPYTHON_MAGIC_HELP.match(line):
        return True
    return bool(_PYTHON_MAGIC_CMD.match(line))


def comment_magic(source: list[str], language: str = "python", global_escape_flag: bool = True,
                  explicitly_code: bool = True) -> list[str]:
    """Comment out the magics of ``source`` (in place): ``%time x`` -> ``# %time x``."""
    parser = StringParser(language)
    next_is_magic = False
    for pos, line in enumerate(source):
        if not parser.is_quoted() and (
                next_is_magic or is_magic(line, language, global_escape_flag, explicitly_code)):
            if next_is_magic:
                unindented, indent = line, ""
            else:
                unindented = line.lstrip()
                indent = line[:len(line) - len(unindented)]
            source[pos] = indent + COMMENT[language] + " " + unindented
            next_is_magic = language == "python" and bool(_LINE_CONTINUATION_RE.match(line))
        parser.read_line(line)
    return source


def _unesc(line: str, language: str) -> str:
    comment = COMMENT[language]
    unindented = line.lstrip()
    indent = line[:len(line) - len(unindented)]
    if unindented.startswith(comment + " "):
        return indent + unindented[len(comment) + 1:]
    if unindented.startswith(comment):
        return indent + unindented[len(comment):]
    return line


def uncomment_magic(source: list[str], language: str = "python", global_escape_flag: bool = True,
                    explicitly_code: bool = True) -> list[str]:
    """Undo :func:`comment_magic` (in place)."""
    parser = StringParser(language)
    next_is_magic = False
    for pos, line in enumerate(source):
        if not parser.is_quoted() and (
                next_is_magic or is_magic(line, language, global_escape_flag, explicitly_code)):
            source[pos] = _unesc(line, language)
            next_is_magic = language == "python" and bool(_LINE_CONTINUATION_RE.match(line))
        parser.read_line(line)
    return source


_ESCAPED_CODE_START = {e: re.compile(r"^({0} |{0})*({0}|{0} )\+".format(_esc_comment(e)))
                       for e in SCRIPT_EXTENSIONS}


def unescape_code_start(source: list[str], ext: str, language: str = "python") -> list[str]:
    """Lines like ``# # +`` lose one comment marker (jupytext's light-format escape)."""
    parser = StringParser(language)
    pattern = _ESCAPED_CODE_START[ext]
    for pos, line in enumerate(source):
        if not parser.is_quoted() and pattern.match(line):
            unescaped = _unesc(line, language) if language in COMMENT else line
            if pattern.match(unescaped):
                source[pos] = unescaped
        parser.read_line(line)
    return source
