"""The tests of one Java compilation unit and the skips that keep each from running (pure).

A test is a method annotated ``@Test`` (JUnit 4/5, TestNG), ``@ParameterizedTest``,
``@RepeatedTest``, ``@TestFactory`` or ``@TestTemplate``, or a public method of a class that
TestNG's class-level ``@Test`` covers. It belongs to a concrete top-level class or a
``@Nested`` inner class (annotations of the enclosing classes apply to it). Skips come from:

- annotations (conditions.py) on the method and on every enclosing class;
- an assumption (``Assume.*``, ``Assumptions.*``, ``assume*`` imported statically) or a
  ``throw new SkipException/AssumptionViolatedException/TestAbortedException`` in its body,
  in a helper of its class it calls, or in a ``@Before*`` method of its classes
  (kind ``runtime-skip``);
- the build's tag selection (``@Tag``, ``@Category``, TestNG ``groups``): kind ``deselected``.

A test the runner never discovers although it is written as one (an inner class without
``@Nested``, a private or static JUnit 5 test method) is kept with kind ``not-collected``:
moving a test there is a way to stop running it.

The trap: abstract classes are not run themselves and inherited test methods are not
followed (a subclass in another file runs them under its own name).
"""

from __future__ import annotations

from dataclasses import field

from guards.collect.java import assume, conditions, ids, tags
from guards.collect.java.syntax import Annotation, Call, Expr, JClass, Method, Unit
from guards.collect.model import Skip, TestItem
from guards.core.records import record

TESTNG_SETUP = frozenset(
    {"BeforeMethod", "BeforeClass", "BeforeTest", "BeforeSuite", "BeforeGroups"}
)
SETUP = frozenset({"BeforeEach", "BeforeAll", "Before", "BeforeClass"}) | TESTNG_SETUP
NOT_TESTS = SETUP | {
    "AfterEach",
    "AfterAll",
    "After",
    "AfterClass",
    "AfterMethod",
    "DataProvider",
    "BeforeSuite",
    "AfterSuite",
    "BeforeTest",
    "AfterTest",
    "BeforeGroups",
    "AfterGroups",
    "Factory",
}


@record
class Selection:
    """What the build runs of a file: tags it drops or requires, methods named by ``<test>``."""

    excluded_tags: frozenset[str] = frozenset()
    included_tags: frozenset[str] = frozenset()
    methods: tuple[str, ...] | None = None
    where: str = ""

    def drops(self, tags: frozenset[str], method: str) -> str:
        """Why the build leaves a test with TAGS out ("" when it runs it)."""
        hit = sorted(_matching(tags, self.excluded_tags))
        if hit:
            return f"tag {hit[0]} excluded by {self.where}"
        if self.included_tags and not _matching(tags, self.included_tags):
            return f"no tag among {sorted(self.included_tags)} required by {self.where}"
        if self.methods is not None and not any(_glob(p, method) for p in self.methods):
            return f"method not named by {self.where}"
        return ""


def _matching(tags: frozenset[str], wanted: frozenset[str]) -> set[str]:
    simple = {w.rsplit(".", 1)[-1] for w in wanted}
    return {t for t in tags if t in wanted or t.rsplit(".", 1)[-1] in simple}


def _glob(pattern: str, name: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(name, pattern)


@record
class _Scope:
    classname: str
    skips: tuple[Skip, ...] = ()
    tags: frozenset[str] = frozenset()
    testng_class: Annotation | None = None
    flags: frozenset[str] = field(default_factory=frozenset)


def collect(path: str, unit: Unit, selection: Selection) -> list[TestItem]:
    flags = _frameworks(unit)
    items: list[TestItem] = []
    prefix = f"{unit.package}." if unit.package else ""
    for cls in unit.classes:
        if cls.kind == "class" and "abstract" not in cls.modifiers:
            items += _class(path, cls, _Scope(prefix + cls.name, flags=flags), selection)
    return items


def _frameworks(unit: Unit) -> frozenset[str]:
    names = " ".join(unit.imports)
    found = {"testng"} if "org.testng" in names else set()
    found |= {"jupiter"} if "org.junit.jupiter" in names else set()
    legacy = any(i.startswith(("org.junit.", "static org.junit.")) for i in unit.imports)
    found |= {"junit4"} if legacy and not found else set()
    return frozenset(found)


def _class(path: str, cls: JClass, outer: _Scope, sel: Selection) -> list[TestItem]:
    testng = "testng" in outer.flags
    class_test = next((a for a in cls.annotations if a.name == "Test"), None) if testng else None
    scope = _Scope(
        outer.classname,
        outer.skips + tuple(conditions.skips(cls.annotations, testng)) + assume.in_setup(cls),
        outer.tags | tags.of(cls.annotations),
        class_test or outer.testng_class,
        outer.flags | _runner(cls),
    )
    helpers = assume.helpers(cls)
    items = [item for method in cls.methods for item in _method(path, method, scope, helpers, sel)]
    for inner in cls.inner:
        items += _inner(path, inner, scope, sel)
    if items and "junit4" in scope.flags:
        return _ignored_class(path, cls, scope.classname) or items
    if items and testng:
        items += _config_skips(path, cls, scope.classname, helpers)
    return items


def _runner(cls: JClass) -> frozenset[str]:
    """``@RunWith(Parameterized.class)``: JUnit 4 names each run ``method[i]`` from data."""
    run_with = next((a for a in cls.annotations if a.name == "RunWith"), None)
    value = run_with.arg("value") if run_with is not None else None
    text = value.text if isinstance(value, Expr) else ""
    return frozenset({"junit4-parameterized"}) if "Parameterized" in text else frozenset()


def _ignored_class(path: str, cls: JClass, classname: str) -> list[TestItem]:
    """JUnit 4 reports a class-level ``@Ignore`` as one test named after the class."""
    ignore = next((a for a in cls.annotations if a.name == "Ignore"), None)
    if ignore is None:
        return []
    skip = conditions.skips([ignore], False)
    return [TestItem(ids.nodeid(classname, classname), path, cls.line, tuple(skip))]


def _config_skips(
    path: str, cls: JClass, classname: str, helpers: dict[str, Call]
) -> list[TestItem]:
    """TestNG reports a ``@Before*`` method that skips as a skipped test of its own."""
    return [
        TestItem(
            ids.nodeid(classname, m.name),
            path,
            m.line,
            (assume.skip_of(helpers[m.name], m.name),),
        )
        for m in cls.methods
        if {a.name for a in m.annotations} & TESTNG_SETUP and m.name in helpers
    ]


def _inner(path: str, inner: JClass, scope: _Scope, sel: Selection) -> list[TestItem]:
    inner_scope = _Scope(
        f"{scope.classname}${inner.name}", scope.skips, scope.tags, None, scope.flags
    )
    nested = any(a.name == "Nested" for a in inner.annotations) and "static" not in inner.modifiers
    if inner.kind != "class" or "abstract" in inner.modifiers:
        return []
    found = _class(path, inner, inner_scope, sel)
    if nested:
        return found
    why = Skip("not-collected", inner.line, f"inner class {inner.name} is not a @Nested class")
    return [_with(t, why) for t in found]


def _with(item: TestItem, skip: Skip) -> TestItem:
    return TestItem(item.nodeid, item.path, item.line, (skip,), item.marks, item.keywords)


def _method(
    path: str, method: Method, scope: _Scope, helpers: dict[str, Call], sel: Selection
) -> list[TestItem]:
    kind = _test_kind(method, scope)
    if not kind:
        return []
    testng = "testng" in scope.flags
    static = scope.skips + tuple(conditions.skips(method.annotations, testng))
    if scope.testng_class is not None and kind == "Test":
        static += tuple(conditions.skips([scope.testng_class], True))
    static += _uncollectable(method, scope)
    late = assume.in_body(method, helpers)
    method_tags = scope.tags | tags.of(method.annotations)
    dropped = sel.drops(method_tags, method.name)
    if dropped:
        late += (Skip("deselected", method.line, dropped),)
    return _items(path, method, kind, scope, _real(static), late, method_tags)


def _real(skips: tuple[Skip, ...]) -> tuple[Skip, ...]:
    return tuple(s for s in skips if s.kind != "runtime-skip") + tuple(
        s for s in skips if s.kind == "runtime-skip"
    )


def _items(
    path: str,
    method: Method,
    kind: str,
    scope: _Scope,
    static: tuple[Skip, ...],
    late: tuple[Skip, ...],
    marks: frozenset[str],
) -> list[TestItem]:
    whole = any(s.kind != "runtime-skip" for s in static) or kind == "Test"
    names = [ids.signature(method)] if whole else ids.invocations(method, kind)
    by_function = "" if names is not None else "the number of invocations is not literal"
    if "junit4-parameterized" in scope.flags and not any(s.kind == "skip" for s in static):
        by_function = "JUnit 4 Parameterized names each run from its @Parameters data"
    if names is None:
        names = [ids.signature(method)]
    return [
        TestItem(
            ids.nodeid(scope.classname, name),
            path,
            method.line,
            static + late,
            marks,
            by_function=by_function,
        )
        for name in names
    ]


def _test_kind(method: Method, scope: _Scope) -> str:
    names = {a.name for a in method.annotations}
    hit = sorted(names & ids.TEST_ANNOTATIONS)
    if hit:
        return hit[0] if hit[0] != "Test" or len(hit) == 1 else hit[-1]
    if scope.testng_class is None or names & NOT_TESTS:
        return ""
    return "Test" if "public" in method.modifiers and "static" not in method.modifiers else ""


def _uncollectable(method: Method, scope: _Scope) -> tuple[Skip, ...]:
    if "jupiter" not in scope.flags or not method.modifiers & {"private", "static"}:
        return ()
    why = "private" if "private" in method.modifiers else "static"
    return (Skip("not-collected", method.line, f"JUnit 5 does not run a {why} test method"),)
