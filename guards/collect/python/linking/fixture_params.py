"""The parametrized fixtures of a test, in the order pytest joins their ids into the node id.

pytest (9.x) parametrizes a test's fixtures before its own ``parametrize`` marks (the fixture
manager's ``pytest_generate_tests`` runs first), one column per parametrized fixture of the
closure: autouse names, then ``usefixtures``, then the test's arguments, each followed by what
it requests (depth first), names the test parametrizes itself left out, then stably sorted by
scope (session first). ``test_x[m1-True-10]`` is a module-scoped fixture's id, a function-scoped
one's, then the test's own.

The trap: older pytest walks the closure breadth first, and pytest orders autouse fixtures of
one module by name; where these could give another order, or a scope, an override of a same-name
fixture or a fixture's ids are not literal, the caller keys the test by function instead of
emitting an id that may not be pytest's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from guards.collect.python.linking.fixtures import BUILTIN_ARGS, Fixtures, Found
from guards.collect.python.linking.resolve import Owner
from guards.collect.python.parsing.facts import Params

SCOPES = ("session", "package", "module", "class", "function")
MAX_NAMES = 200  # fixtures in one closure before the order is not worked out


class Column(NamedTuple):
    """One parametrized fixture of a test: its name, definition and parametrization."""

    name: str
    found: Found
    params: Params


class Order(NamedTuple):
    """The parametrized fixtures in pytest's order, or why the order is not known ("")."""

    columns: list[Column]
    why: str = ""


def fixture_columns(
    fixtures: Fixtures, initial: list[str], mro: tuple[Owner, ...], ignore: set[str]
) -> Order:
    """The parametrized fixtures reached from INITIAL (autouse, usefixtures, arguments)."""
    lookup = _Lookup(fixtures, mro, ignore)
    autouse = [f.func.fixture.name for f in fixtures.autouse(mro) if f.func.fixture]
    names = list(dict.fromkeys([*autouse, *initial]))
    try:
        depth = list(_depth_first(names, lookup.deps))
        columns = _columns(depth, lookup)
        if len(columns) < 2:
            return Order(columns)
        order = _sorted(depth, lookup)
        breadth = _sorted(_breadth_first(names, lookup.deps), lookup)
    except _Unsure as exc:
        return Order([], str(exc))
    columns = _columns(order, lookup)
    if [c.name for c in columns] != [c.name for c in _columns(breadth, lookup)]:
        return Order([], "pytest versions order its parametrized fixtures differently")
    if sum(1 for c in columns if c.name in autouse) > 1:
        return Order([], "it uses several parametrized autouse fixtures (pytest orders by name)")
    return Order(columns)


class _Unsure(Exception):
    """The closure's order cannot be worked out statically."""


class _Lookup:
    def __init__(self, fixtures: Fixtures, mro: tuple[Owner, ...], ignore: set[str]) -> None:
        self.fixtures, self.mro, self.ignore = fixtures, mro, ignore

    def found(self, name: str) -> Found | None:
        if name in self.ignore or name in BUILTIN_ARGS:
            return None
        found = self.fixtures.find(name, self.mro)
        return found if found is not None and found.func.fixture is not None else None

    def deps(self, name: str) -> list[str]:
        found = self.found(name)
        if found is None:
            return []
        if name in found.func.args:
            raise _Unsure(f"the fixture '{name}' overrides a fixture of the same name")
        return [a for a in found.func.args if a not in BUILTIN_ARGS]

    def scope(self, name: str) -> int:
        found = self.found(name)
        scope = found.func.fixture.scope if found and found.func.fixture else "function"
        if scope not in SCOPES:
            raise _Unsure(f"the scope of the fixture '{name}' is not a literal")
        return SCOPES.index(scope)


def _depth_first(names: list[str], deps: Callable[[str], list[str]]) -> Iterator[str]:
    seen: set[str] = set()
    stack = list(reversed(names))
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if len(seen) > MAX_NAMES:
            raise _Unsure(f"its fixtures request more than {MAX_NAMES} fixtures")
        yield name
        stack += reversed(deps(name))


def _breadth_first(names: list[str], deps: Callable[[str], list[str]]) -> list[str]:
    out = list(names)
    for name in out:  # grows while walked, as pytest 8 does
        if len(out) > MAX_NAMES:
            raise _Unsure(f"its fixtures request more than {MAX_NAMES} fixtures")
        out += [d for d in deps(name) if d not in out]
    return out


def _sorted(names: list[str], lookup: _Lookup) -> list[str]:
    return sorted(names, key=lookup.scope)


def _columns(names: list[str], lookup: _Lookup) -> list[Column]:
    out = []
    for name in names:
        found = lookup.found(name)
        params = found.func.fixture.params if found and found.func.fixture else None
        if found is not None and params is not None:
            out.append(Column(name, found, params))
    return out
