"""Fixtures a test requests (arguments, usefixtures, autouse) and whether they skip.

A fixture is looked up the way pytest does: the test's class (and its bases), its module,
then the conftest files from the nearest directory up; at each module, the fixtures defined
there, then those it imports (imported_fixtures.py: pytest registers a module's namespace). A
fixture that reaches a skip (directly, through a helper, or through a fixture it requests)
skips every test using it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property

from guards.collect.model import Undecidable
from guards.collect.python.linking.imported_fixtures import (
    imported,
    imported_by_test,
    value_requests,
)
from guards.collect.python.linking.resolve import Hit, Owner, Resolver
from guards.collect.python.parsing.cases import may_skip_a_case
from guards.collect.python.parsing.facts import Func, Klass, MarkUse, Module, Params
from guards.collect.python.parsing.fixture_guards import ModuleNames, may_hold
from guards.core.records import record

BUILTIN_ARGS = frozenset({"request", "self", "cls"})
MAX_DEPTH = 10
_TOO_DEEP = f"fixtures request fixtures more than {MAX_DEPTH} levels deep from here"


@record
class Found:
    """A fixture definition: the module holding it, the function, the class chain if a method."""

    module: Module
    func: Func
    mro: tuple[Owner, ...] = ()


class Fixtures:
    """Fixture lookup for the tests of one module."""

    def __init__(
        self,
        module: Module,
        conftests: list[Module],
        resolver: Resolver,
        names: ModuleNames | None = None,
    ) -> None:
        """NAMES: what ``request.module`` holds when a fixture's skip asks (MODULE's own names
        by default; the prefilter, asking for any module, passes one that may hold anything)."""
        self.module, self.conftests, self.resolver = module, conftests, resolver
        self._hits: dict[tuple[str, str, str], Hit | None] = {}
        self._found: dict[tuple[str, int, int], Found | None] = {}
        self._auto: dict[int, list[Found]] = {}
        self._by_class: dict[int, dict[str, list[Found]]] = {}
        bound = frozenset([*module.exports, *module.bound_names])
        self.names = names or ModuleNames(dict(module.literals), bound, module.names_dynamic)

    def find(self, name: str, mro: tuple[Owner, ...] = (), below: int = -1) -> Found | None:
        """The definition of fixture NAME visible from a test with class chain MRO."""
        key = (name, id(mro[0][1]) if mro else 0, below)
        if key not in self._found:
            self._found[key] = self._find(name, mro, below)
        return self._found[key]

    def _find(self, name: str, mro: tuple[Owner, ...], below: int) -> Found | None:
        """The first definition of NAME in lookup order, or the one BELOW more further on."""
        found = [*self._owned(mro).get(name, ()), *self._shared.get(name, ())]
        at = max(below, 0)
        return found[at] if at < len(found) else None

    def _owned(self, mro: tuple[Owner, ...]) -> dict[str, list[Found]]:
        """The fixtures of a class chain by name, in lookup order."""
        key = id(mro[0][1]) if mro else 0
        if key not in self._by_class:
            self._by_class[key] = _by_name(_methods(mro))
        return self._by_class[key]

    @cached_property
    def _shared(self) -> dict[str, list[Found]]:
        return _by_name(self._functions)

    @cached_property
    def _functions(self) -> list[Found]:
        """The functions of the module, then of each conftest from the nearest up: each one's
        own, then the fixtures it imports (imported_fixtures.py)."""
        world, memo = self.resolver.world, self.resolver.imported_fixtures
        found = [Found(self.module, f) for f in pytest_order(self.module.functions)]
        wanted = module_requests(self.module)
        found += [Found(m, f) for m, f in imported_by_test(self.module, world, wanted)]
        for conftest in reversed(self.conftests):
            found += [Found(conftest, f) for f in pytest_order(conftest.functions)]
            found += [Found(m, f) for m, f in imported(conftest, world, memo)]
        return found

    def seen(self) -> list[Found]:
        """Every function a lookup from outside a class sees, in lookup order: the module's,
        then each conftest's from the nearest up, each one's own before those it imports."""
        return self._functions

    def _candidates(self, mro: tuple[Owner, ...]) -> list[Found]:
        """Every function a fixture lookup from class chain MRO sees, in lookup order."""
        return [*_methods(mro), *self._functions]

    def parametrized(self, mro: tuple[Owner, ...]) -> list[Params]:
        """The parametrizations of every fixture a lookup from class chain MRO sees."""
        return [
            f.func.fixture.params
            for f in self._candidates(mro)
            if f.func.fixture is not None and f.func.fixture.params is not None
        ]

    def autouse(self, mro: tuple[Owner, ...]) -> list[Found]:
        key = id(mro[0][1]) if mro else 0
        if key not in self._auto:
            self._auto[key] = self._autouse(mro)
        return self._auto[key]

    def _autouse(self, mro: tuple[Owner, ...]) -> list[Found]:
        seen: set[str] = set()
        out = []
        for found in self._candidates(mro):
            fixture = found.func.fixture
            if fixture is not None and fixture.autouse and fixture.name not in seen:
                seen.add(fixture.name)
                out.append(found)
        return out

    def hit(self, found: Found, depth: int = 0) -> Hit | None:
        """The skip a fixture reaches: in its body, its helpers or the fixtures it requests."""
        klass = found.mro[0][1].name if found.mro else ""
        key = (found.module.path, klass, found.func.name)
        if key in self._hits:
            return self._hits[key]
        self._hits[key] = None
        if not self._may_skip(found):
            self._hits[key] = None
            return None
        hit = self.resolver.refs(found.module, found.func.refs, list(found.mro) or None)
        if hit is None and depth >= MAX_DEPTH and self._requests_more(found):
            raise Undecidable(found.module.path, found.func.line, _TOO_DEEP)  # never a silent cut
        if hit is None and depth < MAX_DEPTH:
            hit = self._requested_hit(found, depth)
        self._hits[key] = hit
        return hit

    def cases_may_skip(self, found: Found, depth: int = 0) -> bool:
        """Whether a test that requests FOUND may have a case skipped by a parametrization in
        its closure: FOUND's own ``params`` (a case's marks, an empty list) or those of a
        fixture it requests, to MAX_DEPTH levels (past them: may)."""
        fixture = found.func.fixture
        if fixture is not None and fixture.params is not None and may_skip_a_case([fixture.params]):
            return True
        if depth >= MAX_DEPTH:
            return self._requests_more(found)
        return any(self.cases_may_skip(sub, depth + 1) for _, sub in self._requested(found))

    def _requests_more(self, found: Found) -> bool:
        """FOUND requests a fixture defined in the repository (one more level to follow)."""
        return any(self._requested(found))

    def _requested(self, found: Found) -> Iterator[tuple[str, Found]]:
        """The fixtures FOUND requests (its arguments, ``getfixturevalue`` names), each by name
        with its definition as a lookup from FOUND finds it (a fixture that requests its own
        name gets the next definition further on)."""
        own = found.func.fixture.name if found.func.fixture else ""
        for name in dict.fromkeys((*found.func.args, *value_requests(found.func))):
            if name not in BUILTIN_ARGS:
                sub = self.find(name, found.mro, below=1 if name == own else -1)
                if sub is not None:
                    yield name, sub

    def _may_skip(self, found: Found) -> bool:
        """Whether the fixture's skips can run for a test of this module (their condition on
        ``request.module`` evaluated against the module's literal top-level names)."""
        fixture = found.func.fixture
        return fixture is None or may_hold(fixture.skip_when, self.names)

    def _requested_hit(self, found: Found, depth: int) -> Hit | None:
        for name, sub in self._requested(found):
            hit = self.hit(sub, depth + 1)
            if hit is not None:
                return Hit(hit.sym, hit.line, hit.path, f"fixture '{name}'")
        return None


def requested(func: Func, usefixtures: list[str]) -> list[str]:
    """What a test requests: its arguments, ``request.getfixturevalue`` names, usefixtures."""
    return [*func.args, *value_requests(func), *usefixtures]


def module_requests(module: Module) -> frozenset[str]:
    """Every fixture name a function of MODULE may request (``requested``, with the
    ``usefixtures`` of its own, its class's and the module's marks)."""
    classes = _nested(module.classes)
    funcs = [*module.functions, *(m for k in classes for m in k.methods)]
    marks = [*module.marks, *(u for k in classes for u in k.marks)]
    usefixtures = _args(marks)
    return frozenset(n for f in funcs for n in requested(f, [*usefixtures, *_args(f.marks)]))


def _nested(classes: Iterable[Klass]) -> list[Klass]:
    return [c for k in classes for c in (k, *_nested(k.nested))]


def _args(marks: Iterable[MarkUse]) -> list[str]:
    return [a for u in marks for a in u.args]


def _methods(mro: tuple[Owner, ...]) -> list[Found]:
    return [Found(m, f, mro) for m, k in mro for f in k.methods]


def pytest_order(funcs: Iterable[Func]) -> list[Func]:
    """FUNCS of one module with the fixtures of one name (``name=``) in the order pytest
    prefers them: it registers a module's fixtures in ``dir()`` order, by function name, and
    uses the last, so the greatest name comes first (``zeta`` over ``alpha`` wherever each is
    defined); every other function where it stands."""
    funcs = list(funcs)
    groups: dict[str, list[Func]] = {}
    for func in funcs:
        if func.fixture is not None:
            groups.setdefault(func.fixture.name, []).append(func)
    out: list[Func] = []
    for func in funcs:
        group = groups.get(func.fixture.name, []) if func.fixture is not None else []
        if len(group) < 2:
            out.append(func)
        elif func is group[0]:
            out += sorted(group, key=lambda f: f.name, reverse=True)
    return out


def _by_name(found: Iterable[Found]) -> dict[str, list[Found]]:
    """The fixtures among FOUND by name, each name's in the order given."""
    index: dict[str, list[Found]] = {}
    for one in found:
        if one.func.fixture is not None:
            index.setdefault(one.func.fixture.name, []).append(one)
    return index
