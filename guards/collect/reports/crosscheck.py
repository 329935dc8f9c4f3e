"""The cross-check beyond Python: a static collector's test id as a runner's report names it.

- go: ``example.com/calc::TestAdd/sub`` is the report's identity as it is (``go test
  -json``, gotestsum, go-junit-report);
- rust: ``calc tests::adds`` is ``calc::tests::adds`` (cargo nextest's JUnit: suite = binary);
- java: ``app.LoginTest::login`` as it is (Surefire's ``classname::name``);
- javascript: ``src/a.test.ts > Calc > adds`` is ``src/a.test.ts::Calc > adds`` (vitest's
  JUnit; jest-junit with ``{filepath}`` classnames and ``{classname} > {title}`` titles).

A mapping is trusted for a unit (a Go package, a Rust binary, a Java class, a JS file) only
when base's or head's report holds an identity under that unit: a dialect that names tests
otherwise (jest-junit's default titles, mocha-junit-reporter, a runner rooted in a subfolder,
``cargo test``'s plain text, which is not JUnit at all) is not cross-checked, and the finding
says which languages were left out and why; never a false alarm from a mapping that cannot
be made. Go benchmarks are not expected (``go test`` runs them only with ``-bench``).

The trap: a unit with no identity in either report is exactly what a run that never
started looks like; that is what the comparison with base's report (a test that ran there
and is absent now) and the empty-report rule catch, not this check.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from guards.collect.reports.model import RunReport
from guards.core.records import record

LANGUAGE_OF = {
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"), "javascript"),
}
JS = " > "


@record
class Expected:
    """A test the static collector says runs at head, named as the report names it."""

    test: str  # the static collector's id
    report_id: str
    language: str
    unit: str  # the report identity's prefix that proves the mapping for this unit


@record
class Checked:
    missing: tuple[Expected, ...]  # expected in head's report, absent from it
    checked: int  # expected tests whose unit's mapping the reports confirm
    unchecked: Mapping[str, int]  # language -> tests left out (no unit confirmed)


def expected(path: str, test: str, by_function: str = "") -> Expected | None:
    """TEST (defined in PATH) as its runner's report names it; None for Python, for what no
    report runs (Go benchmarks) and for a JS test keyed by its title template (BY_FUNCTION:
    its ``.each`` table is not literal, so the titles the runner prints are unknown)."""
    language = LANGUAGE_OF.get(posixpath.splitext(path)[1])
    if language in ("go", "java"):
        unit, sep, name = test.partition("::")
        if not sep or (language == "go" and name.startswith("Benchmark")):
            return None
        return Expected(test, test, language, unit + "::")
    if language == "rust":
        binary, sep, name = test.partition(" ")
        return Expected(test, f"{binary}::{name}", language, binary + "::") if sep else None
    if language == "javascript" and not by_function:
        file, sep, title = test.partition(JS)
        return Expected(test, f"{file}::{title}", language, file + "::") if sep else None
    return None


def check(static: Iterable[Expected], base: RunReport, head: RunReport) -> Checked:
    """STATIC's tests whose unit either report names, and which of them head's lacks."""
    named = _units([*base.tests, *head.tests])
    seen = {_plain(i) for i in head.tests}
    functions = {i.partition("[")[0] for i in seen}
    kept: list[Expected] = []
    unchecked: dict[str, int] = {}
    for item in static:
        if item.unit in named:
            kept.append(item)
        else:
            unchecked[item.language] = unchecked.get(item.language, 0) + 1
    missing = tuple(
        e
        for e in kept
        if e.report_id not in seen and e.report_id.partition("[")[0] not in functions
    )
    return Checked(missing, len(kept), unchecked)


def _units(identities: Iterable[str]) -> set[str]:
    """Every prefix ending with ``::`` of IDENTITIES (``a::b::c`` gives ``a::`` and
    ``a::b::``): a Rust binary id holds ``::`` itself (``app::api``)."""
    out: set[str] = set()
    for identity in identities:
        cut = identity.find("::")
        while cut != -1:
            out.add(identity[: cut + 2])
            cut = identity.find("::", cut + 2)
    return out


def _plain(identity: str) -> str:
    """jest-junit's ``{classname} > {title}`` of a test outside any describe starts with the
    separator: ``src/a.test.js:: > adds`` is ``src/a.test.js::adds``."""
    scope, sep, name = identity.partition("::")
    return f"{scope}{sep}{name.removeprefix(JS)}" if sep else identity
