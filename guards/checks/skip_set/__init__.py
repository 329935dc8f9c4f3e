"""skip-set: the set of skipped tests at head is a subset of the set at base.

Skip sets compare ``ctx.merge_base`` with ``ctx.head``, not the base branch tip: the change
set is merge-base..head, and comparing with the tip would blame (or credit) the PR for skips
added or removed on the target branch after it forked. The policy (guards.yaml) is still read
at ``ctx.base`` by the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guards.checks.base import Rule
from guards.config import Config, SkipSetSettings
from guards.finding import Finding, Outcome

if TYPE_CHECKING:
    from guards.collect.compare import Comparison, Grown, Side
    from guards.collect.model import TestItem
    from guards.collect.python.oracle import pytest_runner
    from guards.context import Context

NAME = "skip-set"
RULES = {
    "skip_set_not_grown": Rule(
        "no test is newly skipped, xfailed, deselected or no longer collected",
        "remove the new skip (or un-hide the test); a skip that must land goes in its own "
        "reviewed PR, merged by a maintainer who accepts it",
    ),
    "tests_not_removed": Rule(
        "no collected test disappears (when skip-set.removed-tests is fail or warn)",
        "restore the test, or set skip-set.removed-tests: ignore at base if deletions are fine",
    ),
    "tests_still_run": Rule(
        "every test that ran at base still runs at head (test-run reports, cross-checked "
        "with the static collector)",
        "find what stops the test from running (a conftest ending the session, addopts, a "
        "runner flag, a focused sibling) and undo it; a test that must go is deleted in its "
        "own reviewed PR",
    ),
    "skip_set_decidable": Rule(
        "every construct that can skip a test in scope can be decided statically",
        "replace the dynamic construct (computed getattr, data-driven hook, ...) with a "
        "static mark, or set skip-set.collector: pytest",
    ),
}
STATES = {
    "uncollected": "uncollected",
    "not-collected": "uncollected",
    "deselected": "deselected",
    "ignored": "ignored",
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    """A test file that does not parse at head raises NotParsable (a GuardsError: exit 2)."""
    from guards.checks.skip_set.reports import judge  # the second witness: test-run reports
    from guards.collect.model import Undecidable  # the collector loads only when it runs

    settings = cfg.skip_set
    widened: tuple[str, ...]
    head: Side | None = None  # the static collector's head side, reused by the reports' check
    try:
        if settings.collector == "pytest":
            verdict, widened = _with_pytest(ctx, settings), ("whole tree (pytest collector)",)
        else:
            verdict, widened, head = _static(ctx, settings)
    except Undecidable as exc:
        undecided = [
            Finding("skip_set_decidable", Outcome.FAIL, str(exc), exc.path, exc.line or None)
        ]
        return judge(ctx, settings, undecided, exc)
    return judge(ctx, settings, findings(verdict, settings, widened), head=head)


def _static(ctx: Context, settings: SkipSetSettings) -> tuple[Comparison, tuple[str, ...], Side]:
    from guards.collect.compare import compare
    from guards.collect.python import skip_sets as api

    found = api.sides(ctx.git, ctx.merge_base, ctx.head, ctx.changes, settings.paths)
    verdict = compare(found.base, found.head, found.scope.renames, settings.xfail_counts_as_skip)
    return verdict, found.scope.widened, found.head


def _with_pytest(ctx: Context, settings: SkipSetSettings) -> Comparison:
    from guards.collect.compare import compare
    from guards.collect.python.oracle import pytest_runner

    renames = {c.old_path: c.new_path for c in ctx.changes if c.status == "R"}
    sides = [
        _side(pytest_runner.collect(ctx.git, rev), settings.paths)
        for rev in (ctx.merge_base, ctx.head)
    ]
    clean = {k: v for k, v in renames.items() if k and v}
    return compare(sides[0], sides[1], clean, settings.xfail_counts_as_skip)


def _side(items: list[pytest_runner.PytestItem], patterns: tuple[str, ...]) -> Side:
    from guards.collect.compare import Side
    from guards.collect.python import skip_sets as api
    from guards.collect.python.oracle import pytest_runner

    tests = pytest_runner.as_tests(items)
    kept = set(api.limit({t.path for t in tests}, patterns))
    return Side(tests={t.nodeid: t for t in tests if t.path in kept})


def findings(
    verdict: Comparison, settings: SkipSetSettings, widened: tuple[str, ...]
) -> list[Finding]:
    out = [grown_finding(g) for g in verdict.grown] + removals(verdict, settings)
    return out or [pass_finding(verdict.compared, widened)]


def removals(verdict: Comparison, settings: SkipSetSettings) -> list[Finding]:
    """Removed tests, as skip-set.removed-tests says: fail, warn or ignore."""
    if settings.removed_tests == "ignore":
        return []
    outcome = Outcome.FAIL if settings.removed_tests == "fail" else Outcome.WARN
    return [removed_finding(t, outcome) for t in verdict.removed]


def grown_finding(grown: Grown) -> Finding:
    from guards.collect.python.skip_forms import XFAIL_KINDS

    test, skip = grown.test, grown.skip
    state = STATES.get(skip.kind, "xfailed" if skip.kind in XFAIL_KINDS else "skipped")
    if grown.born:
        verb = f"is a new test born {state}"
    else:
        verb = "is no longer collected" if state == "uncollected" else f"is newly {state}"
    line = skip.line if skip.line and not skip.path else test.line
    message = f"{test.nodeid} {verb} ({skip.describe()})"
    if test.by_function:
        message += f"; keyed by function: {test.by_function}"
    return Finding("skip_set_not_grown", Outcome.FAIL, message, test.path, line, test.nodeid)


def removed_finding(test: TestItem, outcome: Outcome) -> Finding:
    message = f"{test.nodeid} was collected at base and is gone at head (removed)"
    return Finding("tests_not_removed", outcome, message, test.path, test.line, test.nodeid)


def pass_finding(compared: int, widened: tuple[str, ...]) -> Finding:
    scope = f"; scope widened: {'; '.join(widened)}" if widened else ""
    message = f"{compared} test(s) in scope at head; none newly skipped{scope}"
    return Finding("skip_set_not_grown", Outcome.PASS, message)
