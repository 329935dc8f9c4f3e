"""Values of a parsed file read in the shape its tool requires: a table, an array of tables, a
string, a list of strings.

Contract: a TOML, JSON or YAML document parses into any shape, and the tool that reads it
refuses one that is not what it wants there (cargo on ``[lib] path = 3``, ruff on
``per-file-ignores = "a.py"``, pytest on ``[tool] pytest = 1``). Each reader here returns the
value in its shape, an empty one where there is none, and raises Shape naming the KEY where it
is something else; ``shaped`` wraps a whole file's reader so that a Shape it raises names the
file too. The trap: ``doc.get(key, {}).items()`` looks safe and is a crash (an "internal error",
exit 2 with no word of what to fix) on ``key = "x"``; a crash here is never a verdict.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from guards.errors import GuardsError

T = TypeVar("T")


class Shape(GuardsError):
    """A key of a file holds what its tool refuses (``shaped`` names the file)."""


def table(value: Any, key: str) -> Mapping[str, Any]:
    """VALUE, the table at KEY: {} where there is none, Shape where it is something else."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise Shape(f"{key} is {kind(value)}, not a table")
    return value


def tables(value: Any, key: str) -> list[Mapping[str, Any]]:
    """VALUE, the array of tables at KEY ([] where there is none)."""
    return [table(item, f"{key}[{n}]") for n, item in enumerate(array(value, key))]


def array(value: Any, key: str) -> list[Any]:
    """VALUE, the array at KEY ([] where there is none)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Shape(f"{key} is {kind(value)}, not an array")
    return value


def strings(value: Any, key: str) -> list[str]:
    """VALUE, the array of strings at KEY ([] where there is none)."""
    found = array(value, key)
    for n, item in enumerate(found):
        string(item, f"{key}[{n}]")
    return found


def string(value: Any, key: str) -> str:
    """VALUE, the string at KEY."""
    if not isinstance(value, str):
        raise Shape(f"{key} is {kind(value)}, not a string")
    return value


def kind(value: Any) -> str:
    """What VALUE is, in the words of TOML and JSON."""
    if isinstance(value, bool):
        return "a boolean"
    kinds = (
        (str, "a string"),
        ((int, float), "a number"),
        (list, "an array"),
        (Mapping, "a table"),
    )
    return next((word for cls, word in kinds if isinstance(value, cls)), "a value")


def shaped(read: Callable[[bytes, str], T]) -> Callable[[bytes, str], T]:
    """READ, with a Shape it raises for a file named with the file."""

    @functools.wraps(read)
    def checked(data: bytes, path: str) -> T:
        try:
            return read(data, path)
        except Shape as exc:
            raise GuardsError(f"{path}: {refused(exc)}") from exc

    return checked


def refused(exc: Shape, tool: str = "its tool") -> str:
    """The words of a file's refusal for EXC, after its name: what TOOL refuses, what to do."""
    return f"{exc}, which {tool} refuses; fix the file"
