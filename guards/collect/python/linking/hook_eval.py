"""Evaluate a hook condition on a test item, three-valued: a part that does not involve the
item (the platform, an option no conftest flag declares) is unknown, and an unknown condition
counts as true; a flag the conftest declares is its value on the run (hook_options.py).

A part on the item that could not be read (``item.name in SKIP`` where SKIP's value is not
known: hook_conditions.UNCLEAR) must be decided: ``evaluate`` raises NotFollowed where the
answer would differ with it true and with it false (sympy's ``item.nodeid in veryslow_group
and config.getvalue("runquick")`` is false on a run without the flag, whatever the group)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from guards.collect.python.parsing.hook_conditions import DATA, UNCLEAR, Cond
from guards.core.records import record


@record
class ItemView:
    """What a condition can see of a test item."""

    nodeid: str
    name: str
    path: str
    keywords: frozenset[str]
    marks: frozenset[str]


def evaluate(
    cond: Cond,
    item: ItemView,
    data: Mapping[str, frozenset[str]],
    given: frozenset[str] = frozenset(),
) -> bool:
    """Whether the hook's action may apply to ITEM (unknown parts count as true); GIVEN are
    the options ``addopts`` passes (a declared flag among them is its default's opposite).
    NotFollowed where a part not read decides it (above)."""
    found = _value(cond, item, data, given, None)
    part = unread(cond) if found is None else None
    if part is not None:
        either = {_value(cond, item, data, given, v) is not False for v in (True, False)}
        if len(either) > 1:
            raise NotFollowed(part)
    return found is not False


class NotFollowed(Exception):
    """A hook condition's part on the item that was not read decides whether it applies."""

    def __init__(self, leaf: Cond) -> None:
        super().__init__(leaf[1])
        self.what, self.line = str(leaf[1]), int(leaf[2])


def unread(cond: Cond) -> Cond | None:
    """COND's first part that could not be read, if any."""
    if cond[0] == UNCLEAR:
        return cond
    parts = cond[1:] if cond[0] in OPERATORS else ()
    return next((found for part in parts if (found := unread(part))), None)


def _value(
    cond: Cond,
    item: ItemView,
    data: Mapping[str, frozenset[str]],
    given: frozenset[str],
    unclear: bool | None,
) -> bool | None:
    """Three-valued: True, False, or None for a condition that does not involve the item;
    a part not read is UNCLEAR's value."""

    def leaf(part: Cond) -> bool | None:
        return unclear if part[0] == UNCLEAR else _item_leaf(part, item, data, given)

    return _three(cond, leaf)


def _three(cond: Cond, leaf: Callable[[Cond], bool | None]) -> bool | None:
    """COND's value from LEAF's answers, three-valued (None: unknown)."""
    op = cond[0]
    if op == "any":
        return None
    if op == "true":
        return True
    if op == "not":
        inner = _three(cond[1], leaf)
        return None if inner is None else not inner
    if op in ("and", "or"):
        left, right = _three(cond[1], leaf), _three(cond[2], leaf)
        return _and(left, right) if op == "and" else _or(left, right)
    return leaf(cond)


OPERATORS = frozenset({"not", "and", "or"})  # conds that hold conds


def _item_leaf(
    cond: Cond, item: ItemView, data: Mapping[str, frozenset[str]], given: frozenset[str]
) -> bool:
    if cond[0] == "option":  # ("option", spellings, default): hook_options.py
        return cond[2] is given.isdisjoint(cond[1])
    if cond[0] == "keyword":
        return cond[1] in item.keywords or cond[1] in item.marks
    if cond[0] == "mark":
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


TEXTS: dict[str, Callable[[ItemView], str]] = {
    "nodeid": lambda item: item.nodeid,
    "name": lambda item: item.name,
    "originalname": lambda item: item.name.split("[")[0],
    "path": lambda item: item.path,
    "basename": lambda item: item.path.rsplit("/", 1)[-1],
}


def _text_op(cond: Cond, item: ItemView, data: Mapping[str, frozenset[str]]) -> bool:
    _, which, op, value = cond
    text = TEXTS[str(which)](item)
    if op == "in":
        return bool(text in _collection(value, data))
    if op == "contains":
        return str(value) in text
    if op == "eq":
        return bool(text == value)
    options = value if isinstance(value, tuple) else (value,)
    method = str.startswith if op == "startswith" else str.endswith
    return any(method(text, str(v)) for v in options)


def may_apply_in(cond: Cond, path: str, data: Mapping[str, frozenset[str]]) -> bool:
    """Whether COND may hold for some test of the file PATH, before its tests are known: every
    node id there starts with ``PATH::``, and nothing else of an item is known (unknown counts as
    true, as in ``evaluate``). The prefilter asks it of a conftest hook: a hook that skips the
    node ids a JSON list names sends only the files the list names to the parser."""
    return _three(cond, lambda leaf: _file_leaf(leaf, path, data)) is not False


def _file_leaf(cond: Cond, path: str, data: Mapping[str, frozenset[str]]) -> bool | None:
    if cond[0] != "text":
        return None  # a keyword or a mark: not known before the tests are
    _, which, kind, value = cond
    if which in ("path", "basename"):  # known whole: the item's own answer
        return _text_op(cond, ItemView("", "", path, frozenset(), frozenset()), data)
    values = _collection(value, data)
    options = [str(v) for v in (values if isinstance(values, (tuple, frozenset)) else (values,))]
    if which == "nodeid" and kind in ("in", "eq"):
        return None if any(_names_file(v, path) for v in options) else False
    if which == "nodeid" and kind == "startswith":
        here = path + "::"
        return None if any(here.startswith(v) or v.startswith(here) for v in options) else False
    return False if kind == "in" and not options else None


def _collection(value: Any, data: Mapping[str, frozenset[str]]) -> Any:
    """VALUE, or the data file's strings when it names one: ``(DATA, name)``."""
    return data[value[1]] if isinstance(value, tuple) and value[:1] == (DATA,) else value


def _names_file(nodeid: str, path: str) -> bool:
    return nodeid.startswith(path + "::")
