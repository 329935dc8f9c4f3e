"""The fixtures a module imports: pytest registers every fixture in a test module's or a
conftest's namespace, defined there or not (``from tests.fixtures import db``, ``from
tests.fixtures import *`` in a conftest: the common way to share fixtures).

Contract: ``imported(conftest, world, memo)`` is the fixture functions a conftest binds by
import, each with the module defining it, in the order the imports bind them;
``imported_by_test(module, world)`` the same for a test module, whose named imports count only
for the names its functions request (its arguments, ``usefixtures``, ``getfixturevalue``) and,
in turn, the names the fixtures it so imports request (``from tests.fx import dep, none``
where ``dep(none)``: pytest registers both, and ``none``'s parameters are the test's): an
autouse fixture a test module imports by name and nothing requests is not seen. A fixture is
registered under the name the importing module binds it to (``import db as database``:
``database``), unless it names itself (``@pytest.fixture(name="db")``), as pytest does. A
star import brings the public fixtures of the module it names (a name without a leading
underscore) and, in turn, what that module imports; a re-export is followed to the definition.

The trap: following every import of every test module would read the library they test
(sympy's tests import sympy: 1,900 lookups, 0.4 s on a listing of its tree), hence the test
modules' rule above; and a module is analyzed only when its text says "fixture" or imports with
a star on one line (World.fixture_module), which every module that defines or star-re-exports a
fixture does. A fixture re-exported by name through a module whose text says neither is not
followed. Bounds: MAX_DEPTH modules deep; a cycle of star imports ends where it started.
"""

from __future__ import annotations

from dataclasses import replace

from guards.collect.python.linking.resolve import World
from guards.collect.python.parsing.facts import Func, Module

MAX_DEPTH = 4
Defined = tuple[Module, Func]  # a fixture function and the module defining it


def imported(module: Module, world: World, memo: dict[str, list[Defined]]) -> list[Defined]:
    """The fixtures the conftest MODULE imports (see the module docstring), kept in MEMO by
    its path (every test module of a folder asks about the same conftests)."""
    if module.path not in memo:
        memo[module.path] = _imported(module, world, 0, {module.path})
    return memo[module.path]


def imported_by_test(module: Module, world: World, requested: frozenset[str]) -> list[Defined]:
    """The fixtures the test module MODULE imports: by a star, or by one of the REQUESTED names
    or a name a fixture so imported requests, to a fixed point (following every import of a
    test module would read the library it tests)."""
    wanted = requested
    while True:
        found = _imported(module, world, 0, {module.path}, wanted)
        more = {n for _, func in found for n in (*func.args, *value_requests(func))} - wanted
        if not more:
            return found
        wanted |= more


def value_requests(func: Func) -> list[str]:
    """The fixtures FUNC's body asks for by ``request.getfixturevalue("name")``."""
    return [r.target[8:] for r in func.refs if r.target.startswith("fixture:")]


def _imported(
    module: Module, world: World, depth: int, seen: set[str], only: frozenset[str] | None = None
) -> list[Defined]:
    return [_registered(name, found) for name, found in _bound(module, world, depth, seen, only)]


def _bound(
    module: Module, world: World, depth: int, seen: set[str], only: frozenset[str] | None = None
) -> list[tuple[str, Defined]]:
    """The fixtures MODULE imports, each with the name it is bound to there; by name, only the
    names in ONLY when it is given."""
    if depth >= MAX_DEPTH:
        return []
    found: list[tuple[str, Defined]] = []
    for name, value in module.exports.items():
        wanted = only is None or name in only or value.rpartition(".")[2] in only
        if ":" not in value and "." in value and wanted:
            found += [(name, d) for d in _named(value, module.path, world, depth)]
    for dotted in module.stars:
        source = world.fixture_module(dotted, module.path)
        if source is not None and source.path not in seen:
            seen.add(source.path)
            public = [(d[1].name, d) for d in _own(source)]
            public += _bound(source, world, depth + 1, seen)
            found += [(name, d) for name, d in public if not name.startswith("_")]
    return found


def _registered(name: str, defined: Defined) -> Defined:
    """DEFINED as pytest registers it when a module binds it to NAME: under NAME, unless the
    fixture names itself (``@pytest.fixture(name=...)``)."""
    module, func = defined
    fixture = func.fixture
    if fixture is None or fixture.name != func.name or fixture.name == name:
        return defined
    return module, replace(func, fixture=replace(fixture, name=name))


def _named(value: str, from_path: str, world: World, depth: int) -> list[Defined]:
    """The fixture the dotted VALUE names (``tests.fixtures.db``), followed through re-exports."""
    dotted, _, name = value.rpartition(".")
    source = world.fixture_module(dotted, from_path, name)
    if source is None:
        return []
    own = [d for d in _own(source) if d[1].name == name]
    further = source.exports.get(name, "")
    if own or depth + 1 >= MAX_DEPTH or ":" in further or "." not in further:
        return own
    return _named(further, source.path, world, depth + 1)


def _own(module: Module) -> list[Defined]:
    return [(module, f) for f in module.functions if f.fixture is not None]
