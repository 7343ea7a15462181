"""The header's YAML without PyYAML: what yaml.safe_dump writes, and read back."""

from __future__ import annotations

import math
import re

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nbio.text.yamlish import YamlError, dump, load

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
               max_size=12)
scalars = (st.none() | st.booleans() | st.integers(-10**12, 10**12)
           | st.floats(allow_nan=False, allow_infinity=True)
           | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)
           | st.sampled_from(["yes", "No", "1.3", "0x1f", "~", "null", "", " lead", "trail ",
                              "a: b", "# c", "- d", "x #y", "it's", '"q"', "1_000", "12:30",
                              "2026-01-01", "word " * 30, "é" * 50, "a\nb", "a \nb", "\tx"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=12)
documents = st.dictionaries(keys, values, min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_dump_is_what_pyyaml_safe_dump_writes(doc) -> None:
    assert dump(doc) == yaml.safe_dump(doc, default_flow_style=False)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_load_reads_what_pyyaml_wrote(doc) -> None:
    text = yaml.safe_dump(doc, default_flow_style=False)
    assume(not re.search(r"^[\s-]*\?( |$)", text, re.M))  # explicit keys (a key with a line break)
    assert _same(load(text), yaml.safe_load(text))


HAND_WRITTEN = [
    "jupyter:\n  kernelspec:\n    name: python3  # the kernel\n    display_name: 'Py 3'\n",
    "jupyter:\n  tags: [a, 'b c', 1, {x: 2}]\n  flag: yes\n  o: Off\n",
    "jupyter:\n  long: \"one\n    two\\\n    \\ three\"\n  plain: a\n    b\n\n    c\n",
    "jupyter:\n  list:\n    - 1\n    -   nested: true\n        more: [x]\n  - bad\n"[:-8],
    "jupyter:\n  empty:\n  e2: {}\n  e3: []\n  n: ~\n  q: 'it''s'\n",
    "jupyter:\n  - 1\n  - - 2\n    - 3\n",
]


@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_hand_written_headers_read_as_pyyaml_reads_them(text: str) -> None:
    assert _same(load(text), yaml.safe_load(text))


@pytest.mark.parametrize("text", ["a: |\n  block\n", "a: [1, 2\n", "a: 'open\n",
                                  "a: &anchor 1\n", "a: \"\\q\"\n",
                                  "? complex\n: key\n"])
def test_what_it_cannot_read_is_an_error_with_a_line(text: str) -> None:
    with pytest.raises(YamlError) as info:
        load(text)
    assert info.value.line >= 1
