"""suppressions: the set of lint/type/coverage suppressions does not grow without reasons, and
no checker's configuration is loosened (DESIGN.md section 1).

Work follows the change: only files the PR changes are read, at the merge-base and at head.
Comments come from real tokenizers (Python's tokenize, tree-sitter, a quote-aware scanner);
identity is path + enclosing definition + tool + codes (see model.py). A file's comments are
kept in the fact cache by content (remembered.py): a warm run reads none. The trap: a renamed file
is compared with its old self (its suppressions are not new), a copied file is not (they are).
A file whose every suppression at head carries a reason yields nothing whatever its base holds
(compare.py: only an unreasoned head suppression is new or stripped), so its base side is not
read: a change that gives reasons, or fixes a base file that did not parse, costs one side.
"""

from __future__ import annotations

from functools import partial

from guards.checks.base import Rule
from guards.checks.suppressions import cfgfacts, compare, extract, loosen, remembered
from guards.checks.suppressions.model import Suppression
from guards.collect.cache import for_git
from guards.config import Config
from guards.context import Context
from guards.core.changes import FileChange
from guards.finding import Finding, Outcome
from guards.linear_re import compile_full
from guards.patterns import patterns

NAME = "suppressions"
RULES = {
    "suppressions_not_grown": Rule(
        "no suppression is added or widened without a reason on the same line",
        "fix the finding instead, or give the suppression a reason: `# noqa: E501 -- why`",
    ),
    "suppressions_have_reasons": Rule(
        "no existing suppression loses its reason",
        "keep the reason (` -- why`) on the suppression, or remove the suppression",
    ),
    "checks_not_loosened": Rule(
        "no checker configuration is loosened (ignores, per-file ignores, rules off, "
        "strict off, coverage threshold lowered or omit widened)",
        "fix the code instead of loosening the checker, or change the config in its own PR",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    settings = cfg.suppressions
    reason = compile_full(settings.reason_pattern).search  # RE2 (config.py checked it)
    skip = patterns("guards.yaml: suppressions.exclude", settings.exclude)
    changes = [c for c in judged(ctx) if skip.match(c.path) is None]
    findings: list[Finding] = []
    cache = for_git(ctx.git)
    remember = partial(remembered.comments, cache)
    for change in changes:
        findings += source_findings(ctx, change, reason, remember)
        findings += config_findings(ctx, change)
    cache.trim()  # what it stored joins the ledger: it may run in a child of its own (runner.py)
    return findings or [_clean(len(changes))]


def judged(ctx: Context) -> list[FileChange]:
    """Changes with content at head: no deletions, symlinks or submodule pointers."""
    return [
        c for c in ctx.changes if c.new_path is not None and not c.is_symlink and not c.is_submodule
    ]


def _old_path(change: FileChange) -> str | None:
    """The file this one is compared with: itself, or its old name when renamed (not copied)."""
    return change.old_path if change.status != "C" else None


def _read(ctx: Context, rev: str, path: str | None) -> bytes | None:
    return ctx.git.read(rev, path) if path else None


def source_findings(
    ctx: Context, change: FileChange, reason: extract.Reason, remember: extract.Remember
) -> list[Finding]:
    path = change.path
    if extract.language(path) is None:
        return []
    head = extract.suppressions(path, _read(ctx, ctx.head, path) or b"", reason, remember)
    if all(s.reasoned for s in head):
        return []  # only an unreasoned one at head can be new or stripped: the base is not read
    old = _read(ctx, ctx.merge_base, _old_path(change))
    found = extract.suppressions(path, old or b"", reason, remember)
    base = [s._replace(path=path) for s in found]
    verdict = compare.compare(base, head)
    return [*map(_new, verdict.new), *map(_stripped, verdict.stripped)]


def config_findings(ctx: Context, change: FileChange) -> list[Finding]:
    read = cfgfacts.reader(change.path)
    if read is None:
        return []
    old = _read(ctx, ctx.merge_base, _old_path(change))
    base = read(old, change.path) if old is not None else {}
    head = read(_read(ctx, ctx.head, change.path) or b"", change.path)
    return [
        Finding("checks_not_loosened", Outcome.FAIL, what, change.path)
        for what in loosen.loosened(base, head)
    ]


def _new(s: Suppression) -> Finding:
    message = f"new {s.describe()} without a reason: {s.text.strip()!r}"
    return Finding("suppressions_not_grown", Outcome.FAIL, message, s.path, s.line)


def _stripped(s: Suppression) -> Finding:
    message = f"{s.describe()} lost its reason: {s.text.strip()!r}"
    return Finding("suppressions_have_reasons", Outcome.FAIL, message, s.path, s.line)


def _clean(files: int) -> Finding:
    message = f"{files} changed file(s) read: no new suppression without a reason, no loosening"
    return Finding("suppressions_not_grown", Outcome.PASS, message)
