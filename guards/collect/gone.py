"""A test collected at base that is gone at head: removed, or still there but not collected?

Renaming ``test_x`` to ``check_x``, nesting it inside another function, moving it into a
class pytest does not collect, narrowing python_files or testpaths: the definition is still
in the file, so the test stopped running. That counts as skipped; only a test whose
definition is gone is removed.

The trap: a test deleted beside a definition that was already there (a fixture ``app_session``,
a helper nested in another test) is removed, not renamed to it. A rename or a move makes a new
definition, so only a qualified name the base did not hold is a candidate for where the test went.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from guards.collect.model import Def, Skip, TestItem

if TYPE_CHECKING:
    from guards.collect.compare import Side


def moved_id(test: TestItem, renames: Mapping[str, str]) -> str:
    """TEST's id after the rename of its file, for ids that name a class, not a path (Java's
    ``pkg.LoginTest::login``): the file's stem, which is the class name, follows the file."""
    new = renames.get(test.path)
    if new is None or test.nodeid.startswith(test.path):
        return test.nodeid
    old_stem, new_stem = _stem(test.path), _stem(new)
    head, sep, tail = test.nodeid.partition("::")
    parts = head.split(".")
    if sep and parts[-1].split("$", 1)[0] == old_stem:
        parts[-1] = new_stem + parts[-1][len(old_stem) :]
        return ".".join(parts) + sep + tail
    return test.nodeid


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def uncollected(
    test: TestItem, head: Side, base_defs: tuple[Def, ...], renames: Mapping[str, str]
) -> Skip | None:
    """Why TEST is no longer collected although its definition remains; None if removed."""
    path = renames.get(test.path, test.path)
    # Python and JS ids start with the file's path; Java, Go and Rust ids name a class,
    # package or crate instead, and keep their id when only the file moves.
    starts = test.nodeid.startswith(test.path)
    nodeid = path + test.nodeid[len(test.path) :] if starts else moved_id(test, renames)
    if nodeid in head.dormant:
        dormant = head.dormant[nodeid]
        why = head.excluded.get(dormant.path) or head.excluded.get(path, "is not collected")
        return Skip("uncollected", test.line, f"{dormant.path} {why}")
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
    defs = _new(defs, base_defs)  # where a renamed or nested test may have gone
    nested = next((d for d in defs if d.name == name), None)
    if nested is not None:
        return _skip(nested, f"now defined as {nested.qualname}, which pytest does not collect")
    renamed = _renamed(name, _key(base_defs, qual), defs)
    if renamed is not None:
        return _skip(renamed, f"renamed to {renamed.qualname}, which pytest does not collect")
    return None


def _new(defs: tuple[Def, ...], base_defs: tuple[Def, ...]) -> tuple[Def, ...]:
    """The definitions of DEFS whose qualified name the base did not hold."""
    before = {d.qualname for d in base_defs}
    return tuple(d for d in defs if d.qualname not in before)


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
