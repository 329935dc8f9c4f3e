"""Evaluate a hook condition on a test item, three-valued: a part that does not involve the
item (an option, the platform) is unknown, and an unknown condition counts as true."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from guards.collect.python.parsing.hook_conditions import DATA, Cond


@dataclass(frozen=True)
class ItemView:
    """What a condition can see of a test item."""

    nodeid: str
    name: str
    path: str
    keywords: frozenset[str]
    marks: frozenset[str]


def evaluate(cond: Cond, item: ItemView, data: Mapping[str, frozenset[str]]) -> bool:
    """Whether the hook's action may apply to ITEM (unknown parts count as true)."""
    return _value(cond, item, data) is not False


def _value(cond: Cond, item: ItemView, data: Mapping[str, frozenset[str]]) -> bool | None:
    """Three-valued: True, False, or None for a condition that does not involve the item."""
    op = cond[0]
    if op == "any":
        return None
    if op == "true":
        return True
    if op == "not":
        inner = _value(cond[1], item, data)
        return None if inner is None else not inner
    if op in ("and", "or"):
        left, right = _value(cond[1], item, data), _value(cond[2], item, data)
        return _and(left, right) if op == "and" else _or(left, right)
    if op == "keyword":
        return cond[1] in item.keywords or cond[1] in item.marks
    if op == "mark":
        return cond[1] in item.marks
    return _text_op(cond, item, data)


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return True if a and b else None


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a or b:
        return True
    return False if a is False and b is False else None


def _text_op(cond: Cond, item: ItemView, data: Mapping[str, frozenset[str]]) -> bool:
    _, which, op, value = cond
    text = {
        "nodeid": item.nodeid,
        "name": item.name,
        "originalname": item.name.split("[")[0],
        "path": item.path,
        "basename": item.path.rsplit("/", 1)[-1],
    }[str(which)]
    if op == "in":
        values = data[value[1]] if isinstance(value, tuple) and value[:1] == (DATA,) else value
        return bool(text in values)
    if op == "contains":
        return str(value) in text
    if op == "eq":
        return bool(text == value)
    options = value if isinstance(value, tuple) else (value,)
    method = str.startswith if op == "startswith" else str.endswith
    return any(method(text, str(v)) for v in options)
