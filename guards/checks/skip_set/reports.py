"""skip-set's second witness: the test-run reports of base and head (``--base-report``,
``--head-report``), compared by guards/collect/reports/compare.py and cross-checked with the
static collector.

Contract: without reports this adds nothing; with reports for only one side, an empty base
report, or both empty, it is a GuardsError (exit 2) saying how to provide them. Where the
static collector raised Undecidable, the reports decide and every finding says so.
The trap: a report is written by the code under test, so it is evidence the static witness
checks (a test collected at head, not skipped, absent from head's report, is a finding).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from guards.config import SkipSetSettings
from guards.errors import GuardsError
from guards.finding import Finding, Outcome

if TYPE_CHECKING:  # the report readers load only when reports are given
    from guards.collect import reports
    from guards.collect.compare import Side
    from guards.collect.model import Undecidable
    from guards.collect.reports import compare as rc
    from guards.collect.reports import crosscheck
    from guards.context import Context

SOURCE = "test-run reports"


def judge(
    ctx: Context,
    settings: SkipSetSettings,
    static: list[Finding],
    undecided: Undecidable | None = None,
    head: Side | None = None,
) -> list[Finding]:
    """STATIC's findings, joined by what the reports say (or STATIC alone without reports).
    HEAD: the static collector's head side when it already ran (it is not run twice)."""
    base_paths, head_paths = ctx.reports
    if not base_paths and not head_paths:
        return static
    if not base_paths and ctx.report_artifact:
        base_paths = _from_artifact(ctx)
    from guards.collect.reports import compare as rc
    from guards.collect.reports import crosscheck

    base, ran = _load(ctx, base_paths, head_paths)
    verdict = rc.compare(base, ran, _defined(ctx), _renames(ctx), settings.xfail_counts_as_skip)
    static_run = [] if undecided is not None else _static_run(ctx, settings, head)
    found = report_findings(verdict, settings) + unseen_findings(static_run, ran)
    found += [_dropped(d) for d in verdict.dropped] + [_missing(m, ran) for m in verdict.missing]
    others = [] if undecided is not None else _static_others(ctx, settings)
    crossed = crosscheck.check(others, base, ran)
    found += [_unseen_other(e) for e in crossed.missing]
    found += empty_head(base, ran)
    if undecided is not None:
        return decided_by_reports(found, undecided, verdict)
    return merged(static, found) + not_crosschecked(crossed)


def _load(
    ctx: Context, base_paths: tuple[str, ...], head_paths: tuple[str, ...]
) -> tuple[reports.RunReport, reports.RunReport]:
    if not base_paths or not head_paths:
        missing = "--base-report" if not base_paths else "--head-report"
        raise GuardsError(
            f"skip-set has a test report for one side only: pass {missing} too (for base, "
            "re-run the test workflow on the merge-base commit and download its report)"
        )
    from guards.collect import reports

    base = reports.load(base_paths, ctx.git.list_files(ctx.merge_base))
    head = reports.load(head_paths, ctx.git.list_files(ctx.head))
    if not base.tests:
        raise GuardsError(f"base's test report ({', '.join(base.sources)}) holds no test")
    if not head.tests and not base.ran:
        raise GuardsError("the test reports of base and head hold no test that ran")
    return base, head


def _from_artifact(ctx: Context) -> tuple[str, ...]:
    """Base's report from the Actions API: the artifacts of the test workflow's successful run
    on the merge-base commit, each extracted into its folder of a temporary folder kept for
    the process; returned as globs whose root is that folder (each artifact a matrix entry)."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from guards.github import artifacts

    artifact, workflow = ctx.report_artifact or ("", "")
    slug = ctx.env.get("GITHUB_REPOSITORY", "")
    if not slug:
        raise GuardsError("--report-artifact needs $GITHUB_REPOSITORY (owner/name)")
    folder = Path(tempfile.mkdtemp(prefix="guards-base-report-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    files = artifacts.base_report(ctx.env, slug, workflow, ctx.merge_base, artifact, folder)
    suffixes = sorted({f.suffix for f in files} & {".xml", ".jsonl", ".json"})
    if not suffixes:
        raise GuardsError(f"artifact {artifact!r} holds no .xml or .jsonl test report")
    # one folder per artifact below FOLDER: the glob root, so each artifact is a matrix entry
    return tuple(str(folder / "*" / "**" / f"*{suffix}") for suffix in suffixes)


def _renames(ctx: Context) -> dict[str, str]:
    return {
        c.old_path: c.new_path for c in ctx.changes if c.status == "R" and c.old_path and c.new_path
    }


def _defined(ctx: Context) -> Callable[[reports.RunTest], bool]:
    from guards.collect.reports.defined import Change, checker

    def text(rev: str, path: str | None) -> str | None:
        data = ctx.git.read(rev, path) if path else None
        return None if data is None else data.decode("utf-8", "replace")

    changes = [
        Change(c.old_path, c.new_path, text(ctx.merge_base, c.old_path), text(ctx.head, c.new_path))
        for c in ctx.changes
        if not c.is_submodule
    ]
    return checker(changes)


def _static_run(ctx: Context, settings: SkipSetSettings, head: Side | None) -> list[str]:
    """Node ids the static collector collects at head, in scope, with no counted skip.

    Python only: a pytest report names tests by the same node ids. The other languages are
    cross-checked by ``_static_others`` through crosscheck.py, where their names map."""
    if settings.collector != "static":
        return []
    if head is None:
        from guards.collect.python import skip_sets as api

        head = api.sides(ctx.git, ctx.merge_base, ctx.head, ctx.changes, settings.paths).head
    xfail = settings.xfail_counts_as_skip
    return [
        n
        for n, t in head.tests.items()
        if not t.counted(xfail) and n.partition("::")[0].endswith(".py")
    ]


def _static_others(ctx: Context, settings: SkipSetSettings) -> list[crosscheck.Expected]:
    """The tests the other languages' static collectors collect at head, in scope, with no
    counted skip, named as their runners' reports name them (crosscheck.py)."""
    if settings.collector != "static":
        return []
    from guards.collect import languages
    from guards.collect.python import skip_sets as api
    from guards.collect.reports import crosscheck

    def limit(paths: Iterable[str]) -> tuple[str, ...]:
        return api.limit(paths, settings.paths)

    found = languages.changed(ctx.git, ctx.merge_base, ctx.head, ctx.changes, limit)
    xfail = settings.xfail_counts_as_skip
    tests = [t for r in found.head if not r.excluded for t in r.tests if not t.counted(xfail)]
    mapped = (crosscheck.expected(t.path, t.nodeid, t.by_function) for t in tests)
    return [e for e in mapped if e is not None]


def report_findings(verdict: rc.Verdict, settings: SkipSetSettings) -> list[Finding]:
    out = [_grown(g) for g in verdict.grown] + [_vanished(t) for t in verdict.vanished]
    if settings.removed_tests != "ignore":
        outcome = Outcome.FAIL if settings.removed_tests == "fail" else Outcome.WARN
        out += [_removed(t, outcome) for t in verdict.removed]
    return out


def _grown(g: rc.Grown) -> Finding:
    said = f"the runner says: {g.head.message}" if g.head.message else "no message from the runner"
    where = f" in matrix entry {', '.join(g.entries)}" if g.entries else ""
    message = (
        f"{g.head.test} ran at base ({g.base.outcome}) and is {g.head.outcome} at head{where} "
        f"({said}; {SOURCE})"
    )
    return _finding("skip_set_not_grown", Outcome.FAIL, message, g.head)


def _vanished(t: reports.RunTest) -> Finding:
    message = (
        f"{t.test} ran at base ({t.outcome}) and is absent from head's test report while "
        f"its definition is still there: it stopped running ({SOURCE})"
    )
    return _finding("tests_still_run", Outcome.FAIL, message, t)


def _dropped(d: rc.Grown) -> Finding:
    message = (
        f"{d.base.test} ran at base in matrix entry {', '.join(d.entries)} and is absent from "
        f"that entry's report at head (it is {d.head.outcome} elsewhere): it stopped running "
        f"there ({SOURCE})"
    )
    return _finding("tests_still_run", Outcome.FAIL, message, d.head)


def _missing(m: rc.Missing, head: reports.RunReport) -> Finding:
    there = ", ".join(repr(e) for e in sorted(head.entries)) or "none"
    message = (
        f"matrix entry {m.entry!r} ran {m.ran} test(s) at base and has no report at head, or "
        f"one with no test (head's entries: {there}): its tests did not run there ({SOURCE})"
    )
    return Finding("tests_still_run", Outcome.FAIL, message, None, None, f"entry:{m.entry}")


def _removed(t: reports.RunTest, outcome: Outcome) -> Finding:
    message = f"{t.test} ran at base and its definition is gone at head (removed; {SOURCE})"
    return _finding("tests_not_removed", outcome, message, t)


def _finding(rule: str, outcome: Outcome, message: str, t: reports.RunTest) -> Finding:
    return Finding(rule, outcome, message, t.file or None, t.line or None, t.test)


def unseen_findings(static_run: list[str], head: reports.RunReport) -> list[Finding]:
    from guards.collect.reports import compare as rc

    missing = rc.unseen(static_run, head)
    out = [
        Finding(
            "tests_still_run",
            Outcome.FAIL,
            f"{n} is collected at head and not skipped (static collector), but head's test "
            "report does not hold it: it did not run",
            n.partition("::")[0],
            None,
            n,
        )
        for n in missing
    ]
    if missing and len(missing) * 2 > len(static_run):
        summary = (
            f"head's test report holds {len(static_run) - len(missing)} of the "
            f"{len(static_run)} tests the static collector collects in scope at head: the "
            "suite ran far fewer tests than it defines"
        )
        out.insert(0, Finding("tests_still_run", Outcome.FAIL, summary))
    return out


def _unseen_other(e: crosscheck.Expected) -> Finding:
    from guards.collect.reports import crosscheck

    message = (
        f"{e.test} is collected at head and not skipped ({e.language} static collector), but "
        f"head's test report does not hold it (as {e.report_id}): it did not run"
    )
    path = None if e.language in ("go", "java", "rust") else e.test.partition(crosscheck.JS)[0]
    return Finding("tests_still_run", Outcome.FAIL, message, path, None, e.test)


WHY_NOT = {
    "rust": "cargo test writes no JUnit; cargo nextest's JUnit names them binary::path",
    "javascript": "give vitest's JUnit, or jest-junit with classNameTemplate {filepath} and "
    "titleTemplate '{classname} > {title}', run from the repository root",
    "go": "go test -json, gotestsum or go-junit-report name them package::Test",
    "java": "Surefire's XML names them class::method",
}


def not_crosschecked(crossed: crosscheck.Checked) -> list[Finding]:
    """Which languages' tests the reports could not be cross-checked with, and why: a note."""
    return [
        Finding(
            "tests_still_run",
            Outcome.PASS,
            f"{count} {language} test(s) collected at head are not cross-checked with the "
            f"static collector: neither report names their units as it does ({WHY_NOT[language]})",
        )
        for language, count in sorted(crossed.unchecked.items())
    ]


def empty_head(base: reports.RunReport, head: reports.RunReport) -> list[Finding]:
    if head.tests:
        return []
    message = (
        f"head's test report ({', '.join(head.sources)}) holds no test, while "
        f"{len(base.ran)} ran at base: the suite did not run at head"
    )
    return [Finding("tests_still_run", Outcome.FAIL, message)]


def decided_by_reports(
    found: list[Finding], undecided: Undecidable, verdict: rc.Verdict
) -> list[Finding]:
    why = f"the static collector cannot decide ({undecided}); the test-run reports decide"
    if not found:
        message = f"{verdict.ran_head} test(s) ran at head; none stopped running; {why}"
        return [Finding("skip_set_decidable", Outcome.PASS, message)]
    return [
        Finding(f.rule, f.outcome, f"{f.message}; {why}", f.path, f.line, f.test) for f in found
    ]


def merged(static: list[Finding], found: list[Finding]) -> list[Finding]:
    """Both witnesses' findings; one per (rule, test); a pass only when nothing else is left."""
    seen: set[tuple[str, str]] = set()
    out: list[Finding] = []
    for f in [*(f for f in static if f.outcome is not Outcome.PASS), *found]:
        if f.test and (f.rule, f.test) in seen:
            continue
        seen.add((f.rule, f.test or ""))
        out.append(f)
    return out or static
