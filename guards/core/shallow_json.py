"""JSON that guards did not write (a PR's package.json, a test run's report, an event payload, a
cache record), with its nesting bounded before it is parsed.

Python's json decoder recurses once a level: a document of 100,000 ``[`` ends in a RecursionError
from deep inside it, and any finalizer the garbage collector runs down there fails as well.
``loads`` first measures the nesting on a skeleton of the brackets alone (string literals taken
out, then every innermost ``[]`` or ``{}`` peeled off, one level a pass: regex passes in C, each
linear), and past MAX_DEPTH raises ValueError, which every caller already turns into a message
naming its file. The trap: a document whose brackets do not balance never peels to nothing;
when what is left is short it is shallow too, and json's own error (with its line and column)
is the better message, so it is parsed.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # GitHub's payloads nest about 8 deep, package.json and test reports fewer
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(TEXT)`` when TEXT nests at most MAX_DEPTH levels, else ValueError."""
    raw = text.decode(json.detect_encoding(text)) if isinstance(text, bytes) else text
    if depth_above(raw, max_depth):
        raise ValueError(f"JSON nested more than {max_depth} levels deep")
    return json.loads(text)


def depth_above(text: str, limit: int) -> bool:
    """TEXT's brackets nest more than LIMIT levels (unbalanced ones counted as open)."""
    skeleton = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for passes in range(limit + 1):
        if not skeleton:
            return False
        skeleton, peeled = _PAIR.subn("", skeleton)
        if not peeled:
            return passes + len(skeleton) > limit
    return True


def fields(value: object, kinds: tuple[type, ...]) -> tuple[Any, ...]:
    """VALUE, a JSON list holding one item of each of KINDS in turn (the exact type: a bool is
    no int), as a tuple; else a TypeError. How a cache record read back is checked."""
    if not isinstance(value, list) or len(value) != len(kinds):
        raise TypeError("not a list of the expected size")
    if not all(type(v) is k for v, k in zip(value, kinds, strict=True)):
        raise TypeError("an item of the wrong type")
    return tuple(value)
