"""A small JSON Schema (draft-04) checker for nbformat's bundled schemas.

Only the keywords those schemas use are implemented: ``$ref`` (local), ``type``, ``enum``,
``not``, ``oneOf``, ``anyOf``, ``allOf``, ``required``, ``properties``,
``patternProperties``, ``additionalProperties``, ``items``, ``uniqueItems``, ``minimum``,
``maximum``, ``minLength``, ``maxLength`` and ``pattern``; others are ignored, as draft-04
ignores unknown keywords (which is how the schemas' own typos, ``item`` and misplaced
``source_hidden``, go unchecked in nbformat too).

A schema is compiled once into nested closures. Each check appends :class:`Err` records to a
list; a JSON path is kept as a linked ``(parent, key)`` pair and only turned into a string
when an error is reported.

``dollar_end`` selects how ``pattern`` treats ``$``: fastjsonschema (nbformat's default
backend) rewrites it to ``\\Z`` (true end of string), jsonschema keeps Python's ``$`` (which
also matches before a final newline). nbformat calls a notebook valid when either accepts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

PathNode = tuple[Any, Any] | None
"""A JSON path as a linked list: ``None`` for the root, else ``(parent, key)``."""


class Err(NamedTuple):
    """One schema violation: where, what, and which keyword failed."""

    path: PathNode
    message: str
    keyword: str


Check = Callable[[Any, PathNode, list[Err]], None]

_DOLLAR = re.compile(r"(?<!\\)\$")


def pointer(path: PathNode) -> str:
    """The JSON pointer (RFC 6901) of a linked path, e.g. ``/cells/3/outputs/0``."""
    keys: list[str] = []
    while path is not None:
        path, key = path
        keys.append(str(key).replace("~", "~0").replace("/", "~1"))
    return "".join("/" + k for k in reversed(keys))


def short(value: Any, limit: int = 60) -> str:
    """A value as compact JSON for messages, cut to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr)
    except (ValueError, TypeError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, (list, tuple))
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _enum_equal(a: Any, b: Any) -> bool:
    """Equality that keeps booleans apart from numbers, as both nbformat backends do."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_enum_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_enum_equal(x, y) for x, y in zip(a, b))
    return bool(type(a) is type(b) or (_is_number(a) and _is_number(b))) and a == b


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return ("o", frozenset((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ("a", tuple(_freeze(v) for v in value))
    if isinstance(value, bool):
        return ("b", value)
    return value


def relax(schema: Any) -> Any:
    """Every ``additionalProperties`` set to true, recursively (nbformat's future-minor rule)."""
    if isinstance(schema, dict):
        return {k: True if k == "additionalProperties" else relax(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [relax(v) for v in schema]
    return schema


class Compiled:
    """A schema compiled to closures; call :meth:`check` or :meth:`errors`."""

    def __init__(self, schema: dict[str, Any], *, dollar_end: bool) -> None:
        self.root = schema
        self.dollar_end = dollar_end
        self._refs: dict[str, Check] = {}
        self.check: Check = self.compile(schema)

    # public ---------------------------------------------------------------------------------
    def errors(self, instance: Any) -> list[Err]:
        """All violations in ``instance`` (empty when valid)."""
        errs: list[Err] = []
        self.check(instance, None, errs)
        return errs

    def definition(self, name: str) -> Check | None:
        """The check for ``#/definitions/<name>``, or ``None`` if the schema has no such entry."""
        defs = self.root.get("definitions", {})
        if not isinstance(defs.get(name), dict):
            return None
        return self.ref(f"#/definitions/{name}")

    # compilation ----------------------------------------------------------------------------
    def ref(self, ref: str) -> Check:
        """The check for a local ``$ref`` (compiled once; recursion-safe)."""
        if ref in self._refs:
            return self._refs[ref]
        if not ref.startswith("#"):
            raise ValueError(f"only local $ref is supported, not {ref!r}")
        target: Any = self.root
        for part in ref[1:].split("/"):
            if part:
                target = target[part.replace("~1", "/").replace("~0", "~")]
        holder: list[Check] = []

        def deferred(inst: Any, path: PathNode, errs: list[Err]) -> None:
            holder[0](inst, path, errs)

        self._refs[ref] = deferred
        holder.append(self.compile(target))
        self._refs[ref] = holder[0]
        return deferred

    def compile(self, schema: Any) -> Check:
        """Compile one schema node."""
        if schema is True or schema == {}:
            return _accept
        if schema is False:
            return _reject
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        checks: list[Check] = []
        if "type" in schema:
            checks.append(_type_check(schema["type"]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        if "not" in schema:
            checks.append(self._not(schema["not"]))
        if "oneOf" in schema:
            checks.append(self._one_of(schema["oneOf"]))
        if "anyOf" in schema:
            checks.append(self._any_of(schema["anyOf"]))
        for sub in schema.get("allOf", ()):
            checks.append(self.compile(sub))
        if any(k in schema for k in ("minimum", "maximum")):
            checks.append(_range_check(schema.get("minimum"), schema.get("maximum")))
        if any(k in schema for k in ("minLength", "maxLength", "pattern")):
            checks.append(self._string(schema))
        if "required" in schema:
            checks.append(_required_check(schema["required"]))
        if any(k in schema for k in ("properties", "patternProperties", "additionalProperties")):
            checks.append(self._object(schema))
        if "items" in schema or schema.get("uniqueItems"):
            checks.append(self._array(schema))
        if not checks:
            return _accept
        if len(checks) == 1:
            return checks[0]
        checks_t = tuple(checks)
        typed = "type" in schema

        def all_checks(inst: Any, path: PathNode, errs: list[Err]) -> None:
            if typed:  # a value of the wrong type gets that one clear problem, not more
                before = len(errs)
                checks_t[0](inst, path, errs)
                if len(errs) > before:
                    return
                for c in checks_t[1:]:
                    c(inst, path, errs)
            else:
                for c in checks_t:
                    c(inst, path, errs)

        return all_checks

    def _not(self, sub_schema: Any) -> Check:
        sub = self.compile(sub_schema)
        forbidden = sub_schema.get("enum") if isinstance(sub_schema, dict) else None

        def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
            tmp: list[Err] = []
            sub(inst, path, tmp)
            if not tmp:
                what = f"one of {short(forbidden)}" if forbidden else "this form"
                errs.append(Err(path, f"{short(inst)} is not allowed here (must not be {what})",
                                "not"))

        return check

    def _one_of(self, branches: list[Any]) -> Check:
        subs = [self.compile(b) for b in branches]
        names = [
            b["$ref"].rsplit("/", 1)[-1] if isinstance(b, dict) and "$ref" in b else None
            for b in branches
        ]
        kinds = [_describe(b) for b in branches]

        def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
            passed = 0
            for sub in subs:
                tmp: list[Err] = []
                sub(inst, path, tmp)
                if not tmp:
                    passed += 1
                    if passed > 1:
                        break
            if passed == 1:
                return
            if passed == 0:
                self._explain_one_of(inst, path, errs, names, kinds)
            else:
                errs.append(Err(path, f"{short(inst)} matches more than one allowed form",
                                "oneOf"))

        return check

    def _explain_one_of(self, inst: Any, path: PathNode, errs: list[Err],
                        names: list[str | None], kinds: list[str | None]) -> None:
        """nbformat's ``better_validation_error``: check against the declared type's schema."""
        known = [n for n in names if n]
        if isinstance(inst, dict):
            for key, suffix in (("cell_type", "_cell"), ("output_type", "")):
                if key not in inst:
                    continue
                declared = inst[key]
                ref = f"{declared}{suffix}" if isinstance(declared, str) else None
                sub = self.definition(ref) if ref and ref in known else None
                if sub is not None:
                    before = len(errs)
                    sub(inst, path, errs)
                    if len(errs) == before:
                        errs.append(Err(path, f"{short(inst)} does not match its {key} "
                                        f"{short(declared)}", "oneOf"))
                    return
                types = [n[: -len(suffix)] if suffix and n.endswith(suffix) else n
                         for n in known if not n.startswith("unrecognized")]
                errs.append(Err((path, key), f"unknown {key} {short(declared)} "
                                f"(expected one of: {', '.join(types)})", "oneOf"))
                return
        if names and all(names):
            forms = ", ".join(n for n in names if n)
            errs.append(Err(path, f"{short(inst)} does not match any of: {forms}", "oneOf"))
        elif kinds and all(kinds):
            wanted = " or ".join(k for k in kinds if k)
            errs.append(Err(path, f"expected {wanted}, got {short(inst)}", "oneOf"))
        else:
            errs.append(Err(path, f"{short(inst)} does not match any allowed form", "oneOf"))

    def _any_of(self, branches: list[Any]) -> Check:
        subs = [self.compile(b) for b in branches]

        def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
            for sub in subs:
                tmp: list[Err] = []
                sub(inst, path, tmp)
                if not tmp:
                    return
            errs.append(Err(path, f"{short(inst)} does not match any allowed form", "anyOf"))

        return check

    def _string(self, schema: dict[str, Any]) -> Check:
        min_len = schema.get("minLength")
        max_len = schema.get("maxLength")
        pattern = schema.get("pattern")
        rx = None
        if pattern is not None:
            rx = re.compile(_DOLLAR.sub(r"\\Z", pattern) if self.dollar_end else pattern)

        def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
            if not isinstance(inst, str):
                return
            if min_len is not None and len(inst) < min_len:
                errs.append(Err(path, f"{short(inst)} is too short (at least {min_len} "
                                "character" + ("s)" if min_len != 1 else ")"), "minLength"))
            if max_len is not None and len(inst) > max_len:
                errs.append(Err(path, f"{short(inst)} is too long (at most {max_len} characters)",
                                "maxLength"))
            if rx is not None and not rx.search(inst):
                errs.append(Err(path, f"{short(inst)} does not match the pattern {pattern}",
                                "pattern"))

        return check

    def _object(self, schema: dict[str, Any]) -> Check:
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        pats = [(re.compile(p), self.compile(v))
                for p, v in schema.get("patternProperties", {}).items()]
        additional = schema.get("additionalProperties", True)
        extra_check: Check | None = None
        forbid = additional is False
        if isinstance(additional, dict) and additional:
            extra_check = self.compile(additional)

        def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
            if not isinstance(inst, dict):
                return
            extras: list[str] = []
            for key, value in inst.items():
                matched = False
                sub = props.get(key)
                if sub is not None:
                    sub(value, (path, key), errs)
                    matched = True
                if pats:
                    for rx, pcheck in pats:
                        if rx.search(key):
                            pcheck(value, (path, key), errs)
                            matched = True
                if not matched:
                    if forbid:
                        extras.append(key)
                    elif extra_check is not None:
                        extra_check(value, (path, key), errs)
            if extras:
                listed = ", ".join(repr(k) for k in extras)
                noun = "key" if len(extras) == 1 else "keys"
                errs.append(Err(path, f"unexpected {noun} {listed} (not allowed here)",
                                "additionalProperties"))

        return check

    def _array(self, schema: dict[str, Any]) -> Check:
        items = schema.get("items")
        item_check = self.compile(items) if isinstance(items, dict) else None
        tuple_checks = [self.compile(s) for s in items] if isinstance(items, list) else None
        unique = bool(schema.get("uniqueItems"))

        def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
            if not isinstance(inst, (list, tuple)):
                return
            if item_check is not None:
                for i, value in enumerate(inst):
                    item_check(value, (path, i), errs)
            elif tuple_checks is not None:
                for i, (value, sub) in enumerate(zip(inst, tuple_checks)):
                    sub(value, (path, i), errs)
            if unique and len({_freeze(v) for v in inst}) != len(inst):
                errs.append(Err(path, f"{short(inst)} has repeated items", "uniqueItems"))

        return check


_ARTICLE = {"array": "an array", "object": "an object", "integer": "an integer"}


def _describe(schema: Any) -> str | None:
    """A short description of a simple typed schema ("a string", "an array of strings")."""
    if not isinstance(schema, dict) or not isinstance(schema.get("type"), str):
        return None
    kind: str = schema["type"]
    text = _ARTICLE.get(kind, f"a {kind}")
    items = schema.get("items")
    if kind == "array" and isinstance(items, dict) and isinstance(items.get("type"), str):
        text += f" of {items['type']}s"
    return text


def _accept(inst: Any, path: PathNode, errs: list[Err]) -> None:
    return None


def _reject(inst: Any, path: PathNode, errs: list[Err]) -> None:
    errs.append(Err(path, "no value is allowed here", "false"))


def _type_check(types: Any) -> Check:
    names = [types] if isinstance(types, str) else list(types)
    wanted = " or ".join(names)

    def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
        for name in names:
            if _is_type(inst, name):
                return
        errs.append(Err(path, f"expected {wanted}, got {_type_name(inst)} {short(inst)}", "type"))

    return check


def _enum_check(values: list[Any]) -> Check:
    listed = ", ".join(short(v) for v in values)

    def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
        for v in values:
            if _enum_equal(inst, v):
                return
        errs.append(Err(path, f"{short(inst)} is not one of: {listed}", "enum"))

    return check


def _range_check(minimum: Any, maximum: Any) -> Check:
    def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
        if not _is_number(inst):
            return
        if minimum is not None and inst < minimum:
            errs.append(Err(path, f"{short(inst)} is less than the minimum {minimum}", "minimum"))
        if maximum is not None and inst > maximum:
            errs.append(Err(path, f"{short(inst)} is more than the maximum {maximum}", "maximum"))

    return check


def _required_check(required: list[str]) -> Check:
    def check(inst: Any, path: PathNode, errs: list[Err]) -> None:
        if not isinstance(inst, dict):
            return
        for key in required:
            if key not in inst:
                errs.append(Err(path, f"missing required key {key!r}", "required"))

    return check
