"""Readable config errors: which keys exist, the nearest one, and no parser internals.

jsonschema says ``Additional properties are not allowed ('skip-sett' was unexpected)`` and
PyYAML says ``in "<unicode string>", line 3, column 5`` across several lines; a user needs the
file, the key, the keys that exist there and the nearest one. The trap: the nearest key is a
suggestion, never applied (a typo'd key is still exit 2). Pure: no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any


def nearest(word: str, choices: Sequence[str]) -> str | None:
    """The closest of CHOICES to WORD (difflib ratio >= 0.6), or None."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_keys(extra: Sequence[str], allowed: Sequence[str]) -> str:
    """``unknown key 'x' (did you mean 'y'?); the keys here are: a, b``."""
    parts = []
    for key in extra:
        near = nearest(key, allowed)
        parts.append(f"unknown key {key!r}" + (f" (did you mean {near!r}?)" if near else ""))
    return "; ".join(parts) + f"; the keys here are: {', '.join(allowed)}"


def schema_message(message: str, validator: str, instance: Any, schema: Mapping[str, Any]) -> str:
    """A jsonschema error rewritten for people; other errors keep their own message."""
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        extra = [str(k) for k in instance if k not in allowed]
        return unknown_keys(extra, allowed)
    if validator == "enum":
        return f"{instance!r} is not one of: {', '.join(map(str, schema.get('enum', ())))}"
    return one_line(message)


def yaml_message(exc: Exception) -> str:
    """A PyYAML error as one line: ``line 3, column 5: mapping values are not allowed here``."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    context = getattr(exc, "context", None)
    return one_line(where + problem + (f" ({context})" if context else ""))


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces; drop PyYAML's ``"<unicode string>"`` name."""
    return " ".join(text.replace('in "<unicode string>",', "").split())
