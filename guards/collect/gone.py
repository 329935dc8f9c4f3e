"""A test collected at base that is gone at head: removed, or still there but not collected?

Renaming ``test_x`` to ``check_x``, nesting it inside another function, moving it into a
class pytest does not collect, narrowing python_files or testpaths: the definition is still
in the file, so the test stopped running. That counts as skipped; only a test whose
definition is gone is removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from guards.collect.model import Def, Skip, TestItem

if TYPE_CHECKING:
    from guards.collect.compare import Side


def uncollected(
    test: TestItem, head: Side, base_defs: tuple[Def, ...], renames: Mapping[str, str]
) -> Skip | None:
    """Why TEST is no longer collected although its definition remains; None if removed."""
    path = renames.get(test.path, test.path)
    nodeid = path + test.nodeid[len(test.path) :]
    if nodeid in head.dormant:
        return Skip("uncollected", test.line, f"{path} {head.excluded[path]}")
    defs = head.defs.get(path)
    function = nodeid.split("[", 1)[0]
    if not defs or any(t.function_id == function for t in head.tests.values()):
        return None  # gone with its file, or a parameter case dropped from a collected test
    qual = _qual(test.function_id)
    name = qual.rsplit(".", 1)[-1]
    running = {_qual(t.function_id) for t in head.tests.values() if t.path == path}
    defs = tuple(d for d in defs if d.qualname not in running)
    exact = next((d for d in defs if d.qualname == qual), None)
    if exact is not None:
        return _skip(exact, "its definition is still there but pytest does not collect it")
    nested = next((d for d in defs if d.name == name), None)
    if nested is not None:
        return _skip(nested, f"now defined as {nested.qualname}, which pytest does not collect")
    renamed = _renamed(name, _key(base_defs, qual), defs)
    if renamed is not None:
        return _skip(renamed, f"renamed to {renamed.qualname}, which pytest does not collect")
    return None


def _qual(function_id: str) -> str:
    return function_id.partition("::")[2].replace("::", ".")


def _skip(found: Def, why: str) -> Skip:
    return Skip("uncollected", found.line, why)


def _key(defs: tuple[Def, ...], qual: str) -> str:
    return next((d.body_key for d in defs if d.qualname == qual), "")


def _renamed(name: str, body_key: str, defs: tuple[Def, ...]) -> Def | None:
    """A definition with the same body, or a name derived from the old one."""
    for d in defs:
        if d.name != name and (_similar(name, d.name) or (body_key and d.body_key == body_key)):
            return d
    return None


def _similar(old: str, new: str) -> bool:
    """``test_login`` -> ``_test_login``, ``check_login``, ``login_disabled``, ``xtest_y``."""
    tail = old.removeprefix("test")
    stem = tail.strip("_")
    return (
        old in new
        or (tail != old and len(tail) >= 2 and new.endswith(tail))
        or (len(stem) >= 3 and stem in new)
    )
