"""Test identities as Maven Surefire's XML report writes them (pure).

Checked against real reports (surefire 3.5 + JUnit Jupiter 5.11, tests/test_collect_java_oracle):

- ``classname`` is the binary name: ``corpus.NestedTest$Inner`` for a ``@Nested`` class;
- ``name`` of a plain test is the method name, with its simple erased parameter types when it
  has parameters: ``runs``, ``withInfo(TestInfo)``;
- a parameterized or repeated test that runs is one entry per invocation:
  ``param(int)[1]``, ``csv(String, int)[2]``, ``repeated()[1]`` (``()`` even without parameters);
- one skipped as a whole (``@Disabled``, a condition) is one entry: ``paramDisabled(String)``,
  ``repeatedDisabled`` (no ``()`` without parameters).

The identity guards uses is ``classname::name`` (``nodeid``). When the number of invocations
is not literal (``@MethodSource``, a constant), the item is the method's (``by_function``).
"""

from __future__ import annotations

from guards.collect.java.syntax import Annotation, Expr, Method, Value

TEMPLATES = frozenset({"ParameterizedTest", "RepeatedTest", "TestFactory", "TestTemplate"})
TEST_ANNOTATIONS = TEMPLATES | {"Test"}
_VALUE_KEYS = (
    "ints",
    "strings",
    "longs",
    "doubles",
    "floats",
    "shorts",
    "bytes",
    "chars",
    "booleans",
    "classes",
)
_SIZED_SOURCES = {"ValueSource": _VALUE_KEYS, "CsvSource": ("value",)}
_ONE_EACH = {"NullSource": 1, "EmptySource": 1, "NullAndEmptySource": 2}


def nodeid(classname: str, name: str) -> str:
    return f"{classname}::{name}"


def signature(method: Method) -> str:
    """``name`` or ``name(T1, T2)``: the entry of a test that runs once or is skipped whole."""
    types = ", ".join(method.param_types)
    return f"{method.name}({types})" if types else method.name


def invocations(method: Method, template: str) -> list[str] | None:
    """The names of each invocation of a test template; None when their number is not literal."""
    count = _count(method, template)
    if count is None:
        return None
    base = f"{method.name}({', '.join(method.param_types)})"
    return [f"{base}[{i}]" for i in range(1, count + 1)]


def _count(method: Method, template: str) -> int | None:
    by_name = {a.name: a for a in method.annotations}
    if template == "RepeatedTest":
        times = by_name["RepeatedTest"].arg("value")
        return times if isinstance(times, int) and not isinstance(times, bool) else None
    if template != "ParameterizedTest":
        return None
    return _parameter_count(method.annotations)


def _parameter_count(annotations: tuple[Annotation, ...]) -> int | None:
    total, sources = 0, 0
    for ann in annotations:
        if not ann.name.endswith("Source") and ann.name != "Sources":
            continue
        sources += 1
        size = _source_size(ann)
        if size is None:
            return None
        total += size
    return total if sources else None


def _source_size(ann: Annotation) -> int | None:
    if ann.name in _ONE_EACH:
        return _ONE_EACH[ann.name]
    keys = _SIZED_SOURCES.get(ann.name)
    if keys is None or ann.arg("textBlock") is not None:
        return None
    given = [v for k, v in ann.args if k in keys]
    return _length(given[0]) if len(given) == 1 and len(ann.args) == 1 else None


def _length(value: Value) -> int | None:
    if isinstance(value, tuple):
        return None if any(isinstance(v, Expr) for v in value) else len(value)
    return None if isinstance(value, Expr) else 1
