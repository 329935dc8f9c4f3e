"""Link a module's facts into the tests pytest would collect, each with its skips.

pytest collects from a test module's namespace, so what the module imports counts as what it
defines: test functions and classes whose bound name matches ``python_functions`` /
``python_classes`` (collected under that name, with their own module's marks), and an imported
``pytestmark``. The trap: following every import would analyze the library a test module
tests; only names a test pattern matches (or ``pytestmark``) are looked up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from guards.collect.model import Skip, TestItem
from guards.collect.python.config.paths import name_matches
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.linking.class_members import (
    Owned,
    class_test_attr,
    disabled_by,
    nested_classes,
)
from guards.collect.python.linking.fixture_params import Order, fixture_columns
from guards.collect.python.linking.fixtures import Fixtures
from guards.collect.python.linking.resolve import Owner, Resolver
from guards.collect.python.linking.test_skips import Candidate, Placed, SkipFinder
from guards.collect.python.parsing.cases import (
    EMPTY,
    combinations,
    empty_parameter_set,
    may_skip_a_case,
)
from guards.collect.python.parsing.facts import Func, Klass, Module, Params

PYTESTMARK = "in module pytestmark"


class Linker:
    def __init__(
        self,
        module: Module,
        cfg: PytestConfig,
        resolver: Resolver,
        conftests: list[Module],
        skipped_only: bool = False,
    ) -> None:
        """SKIPPED_ONLY: only the tests with a skip are wanted, and nothing after linking can
        add one (select.may_add_skips): a test that has none, and whose parametrizations can
        give none of its cases one (its marks', its parametrized fixtures'), is not expanded
        into items (its fixture order and ids: a tenth of pytest's listing's linking)."""
        self.module, self.cfg, self.resolver, self.conftests = module, cfg, resolver, conftests
        self.skipped_only = skipped_only
        self.fixtures = Fixtures(module, conftests, resolver)
        self.finder = SkipFinder(module, resolver, self.fixtures)
        marked = self._marks_from()
        self.module_marks = [Placed(u, marked, PYTESTMARK) for u in marked.marks]
        # Tests that share a closure share its order; the entry holds the classes its key
        # names by id, so no id is reused while the entry lives.
        self._orders: dict[tuple[object, ...], tuple[tuple[Owner, ...], Order]] = {}
        self._renamed: list[Klass] = []  # imported test classes bound under another name
        self._fixture_cases: dict[int, bool] = {}  # class chain -> may_skip_a_case of its fixtures

    def _marks_from(self) -> Module:
        """The module whose ``pytestmark`` applies: this one, or the one it imports it from
        (``from tests.marks import pytestmark``: pytest reads the module's attribute)."""
        value = self.module.exports.get("pytestmark", "")
        found = self.resolver.external(value, self.module.path) if "." in value else None
        if found is None or ":" in value or found[1] != "pytestmark":
            return self.module
        return found[0]

    def items(self) -> list[TestItem]:
        return [item for cand in self.candidates() for item in self.expand(cand)]

    def candidates(self) -> Iterator[Candidate]:
        for func in self.module.functions:
            yield from self._function(func, self.module)
        for klass in self.module.classes:
            yield from self._class(self.module, klass, [], [])
        yield from self._imported_tests()

    def _imported_tests(self) -> Iterator[Candidate]:
        """Test functions and classes the module imports from another repository module: pytest
        collects what the module's namespace holds, under the name bound there (``from
        tests.shared import test_common``). Only a name a test pattern matches is looked up."""
        for name, value in self.module.exports.items():
            if ":" in value or "." not in value:
                continue
            func = name_matches(name, self.cfg.python_functions)
            if not (func or name_matches(name, self.cfg.python_classes)):
                continue
            found = self.resolver.external(value, self.module.path)
            owner, attr = found if found else (None, "")
            if owner is None or "." in attr:
                continue
            for imported in (f for f in owner.functions if func and f.name == attr):
                yield from self._function(imported, owner, name)
            for klass in (k for k in owner.classes if k.name == attr):
                yield from self._class(owner, self._named(klass, name), [], [])

    def _named(self, klass: Klass, name: str) -> Klass:
        """KLASS under the name NAME; a renamed copy is kept for the linker's life (the
        resolver memoizes class chains by id: no id of one may be reused while it lives)."""
        if klass.name == name:
            return klass
        renamed = replace(klass, name=name)
        self._renamed.append(renamed)
        return renamed

    def _function(self, func: Func, owner: Module, name: str = "") -> Iterator[Candidate]:
        """FUNC of OWNER as a test candidate, under NAME when the module binds it to another."""
        disabled = self._func_state(name or func.name, func.test_attr, func.fixture is None)
        if disabled is not None and func.is_method_like:
            found = replace(func, name=name) if name and name != func.name else func
            cand = Candidate(found, owner, [], [Placed(u, owner) for u in func.marks])
            cand.disabled = disabled or None
            yield cand

    def _func_state(self, name: str, test_attr: bool | None, not_fixture: bool) -> Skip | None:
        """None: not a test; a Skip: a test disabled by __test__; falsy Skip-less: a test."""
        if not not_fixture:
            return None
        if test_attr is True or (name_matches(name, self.cfg.python_functions)):
            if test_attr is False:
                return Skip("not-collected", 0, "__test__ = False on the function")
            return Skip("", 0)
        return None

    def _class(
        self, module: Module, klass: Klass, outer: list[str], outer_marks: list[Placed]
    ) -> Iterator[Candidate]:
        mro = tuple(self.resolver.mro(module, klass))
        unittest = self.resolver.is_testcase(list(mro))
        test_attr, attr_line = class_test_attr(mro)
        if not (unittest or test_attr is True or name_matches(klass.name, self.cfg.python_classes)):
            return
        if klass.abstract:
            return
        names = [*outer, klass.name]
        marks = [Placed(u, m, f"on class {k.name}") for m, k in mro for u in k.marks] + outer_marks
        disabled = disabled_by(klass, mro, test_attr, attr_line, unittest)
        owner = Owned(mro, names, marks, disabled, self.finder.setup_class(mro))
        yield from self._methods(owner, unittest)
        if not unittest:
            for nested in nested_classes(mro):
                yield from self._class(mro[0][0], nested, names, marks)

    def _methods(self, owner: Owned, unittest: bool) -> Iterator[Candidate]:
        seen: set[str] = set()
        found = False
        for module, klass in owner.chain:
            for func in klass.methods:
                if func.name in seen:
                    continue
                seen.add(func.name)
                state = self._method_state(func, unittest)
                if state is not None and func.is_method_like:
                    found = True
                    yield owner.candidate(func, module, state)
        if unittest and not found:
            yield from self._run_test(owner)

    def _method_state(self, func: Func, unittest: bool) -> Skip | None:
        """Like _func_state; unittest collects every method named ``test*``."""
        if not unittest:
            return self._func_state(func.name, func.test_attr, func.fixture is None)
        if not func.name.startswith("test"):
            return None
        if func.test_attr is False:
            return Skip("not-collected", 0, "__test__ = False on the method")
        return Skip("", 0)

    def _run_test(self, owner: Owned) -> Iterator[Candidate]:
        """A TestCase without test methods runs ``runTest`` if it has one."""
        for module, klass in owner.chain:
            func = next((f for f in klass.methods if f.name == "runTest"), None)
            if func is not None:
                yield owner.candidate(func, module, None)
                return

    def expand(self, cand: Candidate) -> Iterator[TestItem]:
        placed = cand.marks + self.module_marks
        params = [p.use.params for p in placed if p.use.params is not None]
        argnames = {a for p in params for a in p.argnames}
        usefixtures = [a for p in placed if p.use.name == "usefixtures" for a in p.use.args]
        usefixtures += self.cfg.usefixtures  # the ini option: every test requests them
        names: set[str] = set()
        skips: list[Skip] = []
        for p in placed:
            name, skip = self.finder.mark(p)
            names.update([name] if name else [])
            skips += [skip] if skip else []
        skips += self.finder.body(cand) + cand.setup + self.finder.setup_module(not cand.names)
        skips += self.finder.fixtures_of(cand, argnames, usefixtures)
        skips += self.finder.conditions(cand)
        skips += self.finder.empty_generated(cand, self.cfg.empty_parameter_set_mark)
        skips += list(self.module.module_skips) + self.finder.at_import()
        if cand.disabled is not None and cand.disabled.kind:
            line = cand.disabled.line or cand.func.line
            skips.append(Skip(cand.disabled.kind, line, cand.disabled.detail))
        if self.skipped_only and not skips and not self._cases_may_skip(cand, params):
            return
        order = self._fixture_order(cand, argnames, usefixtures)
        owners = [c.found.module for c in order.columns] + [self.module] * len(params)
        params = [c.params for c in order.columns] + params
        why = order.why or self._unknown_ids(cand, params, argnames)
        base = "::".join([self.module.path, *cand.names, cand.func.name])
        if not why and any(p.ids == EMPTY and not p.case_marks for p in params):
            skips += empty_parameter_set(self.cfg, cand.func.line)  # an empty list: every id
        for ident, case_marks in combinations(params, why):
            marks = [Placed(use, owners[i], f"on parameter set [{ident}]") for i, use in case_marks]
            yield self._item(cand, base, ident, marks, names, skips, why)

    def _item(
        self,
        cand: Candidate,
        base: str,
        ident: str | None,
        case_marks: list[Placed],
        names: set[str],
        skips: list[Skip],
        why: str,
    ) -> TestItem:
        extra_names, extra_skips = set(), []
        for placed in case_marks:
            name, skip = self.finder.mark(placed)
            extra_names.update([name] if name else [])
            extra_skips += [skip] if skip else []
        nodeid = base if ident is None else f"{base}[{ident}]"
        marks = frozenset(names | extra_names)
        words = {*self.module.path.split("/"), *cand.names, nodeid.rsplit("::", 1)[-1], *marks}
        return TestItem(
            nodeid=nodeid,
            path=self.module.path,
            line=cand.func.line,
            skips=tuple(dict.fromkeys(skips + extra_skips)),
            marks=marks,
            keywords=frozenset(words),
            by_function=why,
        )

    def _cases_may_skip(self, cand: Candidate, params: list[Params]) -> bool:
        """Whether a case of CAND can get a skip from a parametrization: of its marks (PARAMS),
        or of a parametrized fixture its lookup sees (any of them: the closure is not
        worked out for this)."""
        if may_skip_a_case(params):
            return True
        key = id(cand.mro[0][1]) if cand.mro else 0
        if key not in self._fixture_cases:
            self._fixture_cases[key] = may_skip_a_case(self.fixtures.parametrized(cand.mro))
        return self._fixture_cases[key]

    def _fixture_order(self, cand: Candidate, argnames: set[str], usefixtures: list[str]) -> Order:
        """The test's parametrized fixtures in pytest's order (fixture_params.py)."""
        initial = [*usefixtures, *cand.func.args]  # getfixturevalue names are not parametrized
        key = (tuple(initial), tuple(id(k) for _, k in cand.mro), frozenset(argnames))
        if key not in self._orders:  # a pure function of these (and of this module's fixtures)
            order = fixture_columns(self.fixtures, initial, cand.mro, argnames)
            self._orders[key] = (cand.mro, order)
        order = self._orders[key][1]
        for column in order.columns:
            if column.params.ids is None:
                why = f"the ids of the parametrized fixture '{column.name}' are not static"
                return Order(order.columns, f"{why} ({column.params.why_unknown})")
        return order

    def _unknown_ids(self, cand: Candidate, params: list[Params], argnames: set[str]) -> str:
        for p in params:
            if p.ids is None:
                return f"parametrize ids are not static ({p.why_unknown})"
        if self.module.generate_tests and cand.func.args:
            return "the module defines pytest_generate_tests"
        for conftest in self.conftests:
            info = conftest.conftest
            if info and (set(info.generate_argnames) & {*cand.func.args, "*"}):
                return f"pytest_generate_tests in {conftest.path} parametrizes it"
            if info and info.makes_ids and params:
                return f"pytest_make_parametrize_id in {conftest.path} makes its ids"
        return ""
