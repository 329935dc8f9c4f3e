"""The tests-with-code run: read every changed file once, then apply the pure verdicts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from guards.checks.tests_with_code.files import Side, read_change
from guards.checks.tests_with_code.layout import IMPLEMENTATION, layout
from guards.checks.tests_with_code.verdict import implementation_changed, new_tests, weakened
from guards.config import Config, load_yaml_file
from guards.context import Context
from guards.errors import ConfigError
from guards.finding import Finding, Outcome
from guards.patterns import Patterns, patterns

RULE = "code_changes_have_tests"


def evaluate(ctx: Context, cfg: Config) -> list[Finding]:
    lay = layout(cfg.tests_with_code, cfg.source)
    sides = [s for c in ctx.changes if (s := read_change(ctx.git, lay, c)) is not None]
    findings = [f for s in sides if s.has_tests for f in weak(s)]
    impl = {s.path: why for s in sides if s.kind == IMPLEMENTATION and (why := changed(s))}
    tested = tested_paths(sides)
    required = [(p, lay.required_for(p)) for p in impl]
    named = scope_tests(ctx, cfg) if impl else None
    findings += list(missing(impl, tested, required, named))
    return findings or [_ok(len(impl), tested)]


def weak(side: Side) -> Iterator[Finding]:
    return weakened(side.path, side.old, side.new, side.status == "D")


def changed(side: Side) -> str | None:
    return implementation_changed(side.status, side.old, side.new)


def tested_paths(sides: Sequence[Side]) -> list[str]:
    """Paths whose test units hold a new real assertion (moved, unchanged tests do not count)."""
    known = {u.fingerprint for s in sides if s.has_tests for u in s.old.units}
    return [s.path for s in sides if s.has_tests and new_tests(s.new.units, known)]


def missing(
    impl: dict[str, str],
    tested: list[str],
    required: list[tuple[str, tuple[Patterns, ...]]],
    named: Patterns | None,
) -> Iterator[Finding]:
    if impl and not tested:
        for path, why in impl.items():
            yield _missing(path, f"{path} ({why}) changes implementation, and no test changed")
        return
    for path, globs in required:
        for tests in globs:
            if not any(tests.match(t) is not None for t in tested):
                wanted = ", ".join(tests.patterns)
                yield _missing(path, f"{path} changed; none of its mapped tests ({wanted}) did")
    if named is not None and not any(named.match(t) is not None for t in tested):
        wanted = ", ".join(named.patterns)
        yield _missing(
            None, f"the ticket's scope file {named.source} names tests ({wanted}); none changed"
        )


def _missing(path: str | None, message: str) -> Finding:
    return Finding(RULE, Outcome.FAIL, message, path=path)


def scope_tests(ctx: Context, cfg: Config) -> Patterns | None:
    """The ``tests:`` globs of the ticket's scope file at base, if it names any."""
    if ctx.ticket is None:
        return None
    for ext in (".yaml", ".yml"):
        source = f"{cfg.manifest_scope.dir}/{ctx.ticket}{ext}"
        data = ctx.read_base(source)
        if data is not None:
            return _tests_key(load_yaml_file(data, source), source)
    return None


def _tests_key(doc: object, source: str) -> Patterns | None:
    tests = doc.get("tests") if isinstance(doc, dict) else None
    if tests is None:
        return None
    if not isinstance(tests, list) or not all(isinstance(t, str) and t for t in tests):
        raise ConfigError(f"{source}: tests: expected a list of globs")
    return patterns(source, tests) if tests else None


def _ok(impl: int, tested: list[str]) -> Finding:
    message = f"{impl} implementation file(s) changed; real test changes in {len(tested)} file(s)"
    return Finding(RULE, Outcome.PASS, message)
