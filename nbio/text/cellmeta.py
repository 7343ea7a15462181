"""Cell metadata on a percent marker line (``# %% tags=["x"] key="value"``) and metadata
filters, as jupytext writes and reads them (a port of its ``cell_metadata.py`` and
``metadata_filter.py``, jupytext 1.19, MIT licensed)."""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from nbio.text.languages import JUPYTER_LANGUAGES

JUPYTEXT_CELL_METADATA = ["skipline", "noskipline", "cell_marker", "lines_to_next_cell",
                          "lines_to_end_of_cell_marker"]
"""Cell metadata jupytext keeps for itself (never written on a marker line)."""

IGNORE_CELL_METADATA = ",".join(
    f"-{name}" for name in ["autoscroll", "collapsed", "scrolled", "trusted", "execution",
                            "ExecuteTime", *JUPYTEXT_CELL_METADATA])
"""Cell metadata a text notebook leaves out by default."""

DEFAULT_NOTEBOOK_METADATA = "jupytext,kernelspec,kernel_info,orphan,tocdepth"
"""Notebook metadata the YAML header keeps by default."""

_IS_IDENTIFIER = re.compile(r"^[a-zA-Z_\.]+[a-zA-Z0-9_\.]*$")
_IS_VALID_METADATA_KEY = re.compile(r"^[a-zA-Z0-9_\.@/-]+$")

Filter = dict[str, Any]


def is_valid_metadata_key(text: str) -> bool:
    """Whether ``text`` can be written as a ``key=value`` key."""
    return bool(_IS_VALID_METADATA_KEY.match(text))


def is_active(ext: str, metadata: dict[str, Any], default: bool = True) -> bool:
    """Whether the cell runs in a file of this extension (``active``, ``active-*`` tags,
    frozen cells)."""
    run_control = metadata.get("run_control", {})
    if isinstance(run_control, dict) and run_control.get("frozen") is True:
        return ext == ".ipynb"
    for tag in metadata.get("tags", []):
        if isinstance(tag, str) and tag.startswith("active-"):
            return ext.replace(".", "") in tag.split("-")
    if "active" not in metadata:
        return default
    return ext.replace(".", "") in re.split(r"\.|,", str(metadata["active"]))


def metadata_to_text(title: str | None, metadata: dict[str, Any], plain_json: bool = False) -> str:
    """``title key=value ...`` (values as JSON), or ``title {JSON}`` with ``plain_json``."""
    metadata = {k: v for k, v in metadata.items() if k not in JUPYTEXT_CELL_METADATA}
    text = [title] if title else []
    if plain_json:
        if metadata:
            text.append(json.dumps(metadata))
    else:
        for key, value in metadata.items():
            if key == "incorrectly_encoded_metadata":
                text.append(str(value))
            elif value is None:
                text.append(key)
            else:
                text.append(f"{key}={json.dumps(value)}")
    return " ".join(text)


def double_percent_options(metadata: dict[str, Any], plain_json: bool) -> str:
    """What follows ``# %%`` for a cell with this (filtered) metadata; pops what it writes."""
    text: list[str] = []
    if "title" in metadata:
        text.append(str(metadata.pop("title")))
    if "cell_depth" in metadata:
        text.insert(0, "%" * int(metadata.pop("cell_depth")))
    if "cell_type" in metadata:
        text.append("[{}]".format(metadata.pop("region_name", metadata.pop("cell_type"))))
    return metadata_to_text(" ".join(text), metadata, plain_json=plain_json)


# -- reading --------------------------------------------------------------------------------
def _incorrect(text: str) -> dict[str, Any]:
    return {"incorrectly_encoded_metadata": text}


def relax_json_loads(text: str, catch: bool = False) -> Any:
    """JSON, or else a Python literal (``True``, ``'a'``); with ``catch``, anything else is
    kept as ``incorrectly_encoded_metadata``."""
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    if not catch:
        return ast.literal_eval(text)
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    return _incorrect(text)


def parse_key_equal_value(text: str) -> dict[str, Any]:
    """``key1=value1 key2 key3=value3`` to a dict (values JSON or Python literals)."""
    text = text.strip()
    if not text:
        return {}
    last_space_pos = text.rfind(" ")
    if not text.startswith("--") and _IS_IDENTIFIER.match(text[last_space_pos + 1:]):
        key = text[last_space_pos + 1:]
        result = parse_key_equal_value(text[:last_space_pos]) if last_space_pos > 0 else {}
        result.setdefault(key, None)
        return result
    equal_sign_pos: int | None = None
    while True:
        equal_sign_pos = text.rfind("=", None, equal_sign_pos)
        if equal_sign_pos < 0:
            return _incorrect(text)
        prev_whitespace = text[:equal_sign_pos].rstrip().rfind(" ")
        key = text[prev_whitespace + 1:equal_sign_pos].strip()
        if not is_valid_metadata_key(key):
            continue
        try:
            value = relax_json_loads(text[equal_sign_pos + 1:])
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        metadata = parse_key_equal_value(text[:prev_whitespace]) if prev_whitespace > 0 else {}
        metadata[key] = value
        return metadata


def is_json_metadata(text: str) -> bool:
    """Whether the options are a JSON object (``{...}`` before any ``=``)."""
    first_curly = text.find("{")
    if first_curly < 0:
        return False
    first_equal = text.find("=")
    return first_equal < 0 or first_curly < first_equal


def _is_jupyter_language(language: str) -> bool:
    return any(language.lower() == lang.lower() for lang in JUPYTER_LANGUAGES)


def text_to_metadata(text: str, allow_title: bool = False) -> tuple[str, dict[str, Any]]:
    """The title (or language) and the metadata of a marker line's options."""
    text = text.strip()
    first_curly = text.find("{")
    first_equal = text.find("=")
    if first_curly < 0 or (0 <= first_equal < first_curly):
        if not allow_title:
            if _is_jupyter_language(text):
                return text, {}
            if " " not in text:
                return "", parse_key_equal_value(text)
            language, options = text.split(" ", 1)
            if _is_jupyter_language(language):
                return language, parse_key_equal_value(options)
            return "", parse_key_equal_value(text)
        if first_equal >= 0:
            words = text[:first_equal].split(" ")
            while words and not words[-1]:
                words.pop()
            if words:
                words.pop()
        else:
            words = text.split(" ")
        while words and (not words[-1].strip() or words[-1].startswith(".")):
            words.pop()
        title = " ".join(words)
        return title, parse_key_equal_value(text[len(title):])
    value = relax_json_loads(text[first_curly:], catch=True)
    if not isinstance(value, dict):
        value = _incorrect(text[first_curly:])
    return text[:first_curly].strip(), value


# -- filters --------------------------------------------------------------------------------
def filter_as_dict(config: Any) -> Filter:
    """A filter (``"-all"``, ``"tags,-foo"``, a bool or a dict) as
    ``{"additional": [...] | "all", "excluded": [...] | "all"}``."""
    if config is None:
        return {}
    if config is True:
        return {"additional": "all"}
    if config is False:
        return {"excluded": "all"}
    if isinstance(config, dict):
        return dict(config)
    result: dict[str, Any] = {}
    for key in str(config).split(","):
        key = key.strip()
        if key.startswith("-"):
            result.setdefault("excluded", []).append(key[1:].strip())
        elif key.startswith("+"):
            result.setdefault("additional", []).append(key[1:].strip())
        else:
            result.setdefault("additional", []).append(key)
    for section in result:
        if "all" in result[section]:
            result[section] = "all"
        else:
            result[section] = [k for k in result[section] if k]
    return result


def filter_as_string(metadata_filter: Any) -> Any:
    """The inverse of :func:`filter_as_dict` (strings pass through)."""
    if not isinstance(metadata_filter, dict):
        return metadata_filter
    additional = metadata_filter.get("additional", [])
    entries = ["all"] if additional == "all" else [
        k for k in additional if k not in JUPYTEXT_CELL_METADATA]
    excluded = metadata_filter.get("excluded", [])
    if excluded == "all":
        entries.append("-all")
    else:
        entries.extend("-" + e for e in excluded)
    return ",".join(entries)


def update_metadata_filters(metadata: dict[str, Any], jupyter_md: bool,
                            cell_metadata: list[str]) -> None:
    """After reading: filters that keep the file's metadata as it is on the next write."""
    if not jupyter_md:
        metadata.setdefault("jupytext", {})["notebook_metadata_filter"] = "-all"
        metadata["jupytext"].setdefault("cell_metadata_filter", filter_as_string(
            {"additional": cell_metadata, "excluded": "all"}))
    elif "cell_metadata_filter" in metadata.get("jupytext", {}):
        mfilter = filter_as_dict(metadata["jupytext"]["cell_metadata_filter"])
        if isinstance(mfilter.get("excluded"), list):
            mfilter["excluded"] = [k for k in mfilter["excluded"] if k not in cell_metadata]
        mfilter.setdefault("additional", [])
        if isinstance(mfilter.get("additional"), list):
            for key in cell_metadata:
                if key not in mfilter["additional"]:
                    mfilter["additional"].append(key)
        metadata["jupytext"]["cell_metadata_filter"] = filter_as_string(mfilter)
    else:
        nb_filter = [k for k in str(metadata.get("jupytext", {}).get(
            "notebook_metadata_filter", "")).split(",") if k]
        if "all" in nb_filter or "-all" in nb_filter:
            return
        defaults = DEFAULT_NOTEBOOK_METADATA.split(",")
        for key in metadata:
            if key in defaults or key in nb_filter or ("-" + key) in nb_filter:
                continue
            nb_filter.append(key)
        if nb_filter:
            metadata.setdefault("jupytext", {})["notebook_metadata_filter"] = ",".join(nb_filter)


def filter_metadata(metadata: dict[str, Any], user_filter: Any, default_filter: Any = ""
                    ) -> dict[str, Any]:
    """The metadata a text notebook writes, by the user's filter and the default one."""
    default = filter_as_dict(default_filter) or {}
    user = filter_as_dict(user_filter) or {}
    default_exclude = default.get("excluded", [])
    default_include = default.get("additional", [])
    if isinstance(default_include, list) and default_include and default_exclude == []:
        default_exclude = "all"
    user_exclude = user.get("excluded", [])
    user_include = user.get("additional", [])
    if default_exclude == "all":
        if user_include == "all":
            return _subset(metadata, exclude=user_exclude)
        if user_exclude == "all":
            return _subset(metadata, keep_only=user_include)
        return _subset(metadata, keep_only=set(user_include).union(default_include),
                       exclude=user_exclude)
    if user_include == "all":
        return _subset(metadata, exclude=user_exclude)
    if user_exclude == "all":
        return _subset(metadata, keep_only=user_include)
    if "tags" in metadata and not metadata["tags"]:
        metadata = dict(metadata)
        metadata.pop("tags")
    return _subset(metadata, exclude=set(user_exclude).union(
        set(default_exclude).difference(user_include)))


def _second_level(keys: Any) -> dict[str, list[str]]:
    sub: dict[str, list[str]] = {}
    for key in keys:
        if "." in key:
            left, right = key.split(".", 1)
            sub.setdefault(left, []).append(right)
    return sub


def _subset(metadata: Any, keep_only: Any = None, exclude: Any = None) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        return metadata  # type: ignore[no-any-return]
    supported = [key for key in metadata if is_valid_metadata_key(key)]
    if keep_only is not None:
        filtered = {key: metadata[key] for key in supported if key in keep_only}
        sub_keep = _second_level(keep_only)
        for key in supported:
            if key in sub_keep:
                filtered[key] = _subset(metadata[key], keep_only=sub_keep[key])
    else:
        filtered = {key: metadata[key] for key in supported}
    if exclude is not None:
        for key in exclude:
            filtered.pop(key, None)
        for key, sub in _second_level(exclude).items():
            if key in filtered:
                filtered[key] = _subset(filtered[key], exclude=sub)
    return filtered
