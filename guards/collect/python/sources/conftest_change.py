"""Whether a changed conftest.py changed anything a test under it is collected by: a change
that rewrites a fixture's value, a hook's output, a comment or the lines' order changes no
skip, and so puts no test in scope (sympy's root conftest: one changed call argument put its
6,000 test files in scope, 3.4-3.8 s for an answer both sides agree on).

Contract: ``alters(path, base, head)`` is False only when the conftest's facts (what
parsing/analyze.py reads of it: its fixtures and the references of every function body, its
hooks' rules, ignore lists, plugins, data files, marks, exports, import-time calls, what it
cannot decide) are the same at both sides once where they sit is set aside: the line fields of
every record, and the line inside the pairs that carry one (``when``, ``undecidable``,
``plugins``, an ignore list's ``calls``, ``empty_generated``, ``generated``). A conftest added,
deleted or not parsing on a side alters, and so does one whose facts leave something out on a
side: what it cannot decide (a hook not understood says the same whatever its body now does),
names bound unseen, an ignore entry not known.

Why it is sound: the linker reads a conftest only through these facts (and other files, which a
change reaches by their own rules: a changed helper through dependents.py, a computed ignore
list through computed_ignores.py, a data file through its readers); equal facts link every test
below to the same skips, their lines aside, which no verdict compares. What is not a fact (a
hook the collector does not model) is not read by the linker at either side, so widening for it
found nothing either.

The trap: a positional field forgotten here makes every moved conftest "altered" (the safe
side); a field set aside that is not positional would hide a change. So fields are set aside by
name, from a closed list, and tests/test_conftest_change.py fails when a record gains an ``int``
field that list does not name. Texts that quote a line (a gap's or an undecidable construct's
message) are compared as they are: a moved one alters.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from guards.collect.model import NotParsable
from guards.collect.python.linking.hook_eval import unread
from guards.collect.python.parsing.facts import Module
from guards.collect.python.sources.revision import Revision

LINE_FIELDS = frozenset({"line", "test_attr_line", "start", "end"})  # a record's own position
# Fields holding pairs with a line in them, and where: "when" is one pair, the others many.
PAIR_LINES = {
    "when": 0,
    "undecidable": 0,
    "plugins": 1,
    "calls": 1,
    "empty_generated": 1,
    "generated": 1,
}
UNREAD = frozenset({"path", "defs", "bodies"})  # the module's own identity, kept for other uses


def alters(path: str, base: Revision, head: Revision) -> bool:
    """Whether the conftest PATH may give a test below it another skip at HEAD than at BASE."""
    try:
        before, after = base.analyzed(path), head.analyzed(path)
    except NotParsable:
        return True
    if before is None or after is None or _incomplete(before) or _incomplete(after):
        return True
    return placeless(before) != placeless(after)


def _incomplete(module: Module) -> bool:
    """Whether MODULE's facts leave out what it does: a construct it cannot decide (a hook not
    understood: the same message at both sides says nothing of its body), names bound unseen
    (a star, ``globals()``), an ignore-list entry not known, a hook condition on a value not
    known (``item.name in SKIP``, SKIP changed in place: hook_conditions.UNCLEAR)."""
    info = module.conftest
    lists = (info.collect_ignore, info.collect_ignore_glob) if info else ()
    gaps = any(listed and listed.gaps for listed in lists)
    unclear = any(unread(rule.cond) for rule in info.hooks) if info else False
    return bool(module.undecidable) or module.names_dynamic or gaps or unclear


def placeless(module: Module) -> tuple[Any, ...]:
    """MODULE's facts with every position set aside (comparable, hashable)."""
    return tuple(
        (f.name, _plain(f.name, getattr(module, f.name)))
        for f in dataclasses.fields(module)
        if f.name not in UNREAD
    )


def _plain(name: str, value: Any) -> Any:
    if name in LINE_FIELDS:
        return 0
    if name in PAIR_LINES and value is not None:
        pairs = [value] if name == "when" else list(value)
        where = PAIR_LINES[name]
        return tuple(tuple(_at(pair, where)) for pair in pairs)
    if dataclasses.is_dataclass(value):
        named = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
        return (type(value).__name__, *(_plain(key, item) for key, item in named))
    if isinstance(value, (tuple, list)):
        return tuple(_plain("", item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _plain("", item)) for key, item in value.items()))
    return value


def _at(pair: tuple[Any, ...], where: int) -> list[Any]:
    return [0 if i == where else _plain("", item) for i, item in enumerate(pair)]
