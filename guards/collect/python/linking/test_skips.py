"""The skips of one candidate test: its marks, body, fixtures, setup methods and module."""

from __future__ import annotations

from dataclasses import dataclass, field

from guards.collect.model import Skip
from guards.collect.python.linking.fixtures import Fixtures, requested
from guards.collect.python.linking.resolve import Hit, Owner, Resolver
from guards.collect.python.parsing.facts import Func, MarkUse, Module
from guards.collect.python.parsing.marks import kind_of
from guards.collect.python.skip_forms import KINDS, display
from guards.core.records import record

SETUP_METHODS = ("setup_method", "setup_class", "setUp", "setUpClass", "asyncSetUp")
SETUP_FUNCTIONS = ("setup_module", "setUpModule", "setup_function")


@record
class Placed:
    """A mark use with the module it was written in and where it sits (for messages)."""

    use: MarkUse
    module: Module
    where: str = ""  # "" on the function, "on class X", "in module pytestmark", ...


@dataclass
class Candidate:
    """A function pytest would collect as a test (or would, but for ``__test__``/``__init__``)."""

    func: Func
    module: Module  # where the function is defined
    names: list[str]  # class names from the outermost, for the node id
    marks: list[Placed]
    mro: tuple[Owner, ...] = ()
    disabled: Skip | None = None
    setup: list[Skip] = field(default_factory=list)


class SkipFinder:
    def __init__(self, module: Module, resolver: Resolver, fixtures: Fixtures) -> None:
        self.module, self.resolver, self.fixtures = module, resolver, fixtures
        self._at_import: list[Skip] | None = None

    def mark(self, placed: Placed) -> tuple[str, Skip | None]:
        """The mark name (for -m) and the skip, if any, of one mark use."""
        use = placed.use
        kind = kind_of(use)
        path = "" if placed.module.path == self.module.path else placed.module.path
        if kind:
            reason = f": {use.detail!r}" if use.detail else ""  # the skip's own reason
            return use.name, Skip(kind, use.line, _phrase(kind, placed.where) + reason, path)
        if not use.sym:
            return use.name, None
        if use.applied and self.resolver.gives_no_function(placed.module, use.sym):
            detail = f"{use.detail or use.sym} returns no function: pytest does not collect it"
            return "", Skip("not-collected", use.line, _where(detail, placed.where), path)
        if not self.resolver.may(use.sym):
            return "", None  # names nothing that is a mark or a skip (sources/reach.py)
        _owner, value = self.resolver.meaning(use.sym, placed.module)
        name = value[5:] if value.startswith("mark:") and "." not in value else ""
        hit = self.resolver.symbol(placed.module, use.sym)
        if hit is None:
            return name, None
        kind = hit.kind(decorator=True)
        detail = f"{use.detail or use.sym} applies {_what(hit)}"
        return name or kind, Skip(kind, use.line, _where(detail, placed.where), path)

    def body(self, cand: Candidate) -> list[Skip]:
        hit = self.resolver.refs(cand.module, cand.func.refs, list(cand.mro) or None)
        return [self._runtime(hit, cand.module)] if hit else []

    def conditions(self, cand: Candidate) -> list[Skip]:
        """A test (or its class) defined under an ``if`` that depends on the environment."""
        owners = [cand.func.when, cand.mro[0][1].when if cand.mro else None]
        return [
            Skip("conditional", line, f"defined only if {text}")
            for line, text in (w for w in owners if w is not None)
        ]

    def empty_generated(self, cand: Candidate, mark: str) -> list[Skip]:
        """``metafunc.parametrize(name, [])`` in a ``pytest_generate_tests`` that sees the test
        (its module's, or a conftest's) for an argument it takes: skipped (MARK: skip|xfail)."""
        for module in [self.module, *self.fixtures.conftests]:
            for name, line in module.empty_generated:
                if name in cand.func.args:
                    path = "" if module.path == self.module.path else module.path
                    why = f"pytest_generate_tests gives '{name}' an empty parameter set"
                    return [Skip("xfail" if mark == "xfail" else "skip", line, why, path)]
        return []

    def _runtime(self, hit: Hit, module: Module, prefix: str = "") -> Skip:
        path = "" if hit.path == self.module.path else hit.path
        phrase = hit.phrase() if not prefix else f"{prefix} uses {_what(hit)}"
        return Skip(hit.kind(), hit.line, phrase, path)

    def fixtures_of(
        self, cand: Candidate, argnames: set[str], usefixtures: list[str]
    ) -> list[Skip]:
        out = []
        names = [n for n in requested(cand.func, usefixtures) if n not in argnames]
        found = [(n, self.fixtures.find(n, cand.mro)) for n in names]
        found += [
            (f.func.fixture.name, f) for f in self.fixtures.autouse(cand.mro) if f.func.fixture
        ]
        for name, fixture in found:
            hit = self.fixtures.hit(fixture) if fixture is not None else None
            if hit is not None:
                path = "" if hit.path == self.module.path else hit.path
                what = f"fixture '{name}'" + (f" ({hit.via})" if hit.via else "")
                out.append(Skip("fixture-skip", hit.line, f"{what} uses {_what(hit)}", path))
        return out

    def at_import(self) -> list[Skip]:
        """What a helper the module calls at import reaches: pytest imports the module to
        collect it, so every test of it is skipped (import_calls.py)."""
        if self._at_import is None:
            hit = self.resolver.refs(self.module, self.module.import_calls, None)
            if hit is None:
                self._at_import = []
            else:
                said = f"{hit.via or _what(hit)} at import"
                self._at_import = [self._runtime(hit, self.module, said)]
        return self._at_import

    def setup_class(self, mro: tuple[Owner, ...]) -> list[Skip]:
        for name in SETUP_METHODS:
            hit = self.resolver.method(list(mro), name, 0)
            if hit is not None:
                return [self._runtime(hit, self.module, f"{name}()")]
        return []

    def setup_module(self, module_level: bool) -> list[Skip]:
        for name in SETUP_FUNCTIONS:
            if name == "setup_function" and not module_level:
                continue
            hit = self._module_function(name)
            if hit is not None:
                return [self._runtime(hit, self.module, f"{name}()")]
        return []

    def _module_function(self, name: str) -> Hit | None:
        """What the module's function NAME reaches: defined there, or imported (pytest calls
        the module's attribute: ``from tests.helpers import setup_module`` counts)."""
        value = self.module.exports.get(name, "")
        if not value or value.startswith("local:"):
            return self.resolver.function(self.module, name)
        return self.resolver.symbol(self.module, value) if ":" not in value else None


def _what(hit: Hit) -> str:
    return display(hit.sym)


def _phrase(kind: str, where: str) -> str:
    return _where(KINDS[kind], where)


def _where(text: str, where: str) -> str:
    return f"{text} {where}" if where else text
