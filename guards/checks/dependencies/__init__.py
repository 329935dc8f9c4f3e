"""dependencies: every dependency a PR adds is on the allowlist at base, imitates no known
name, and comes from the registry it came from before (DESIGN.md section 1).

Work follows the change: only manifests the PR changes are read (with their requirement
includes), at the merge-base and at head; the allowlist is read at base. The trap: the same
name written differently (``Requests``, ``python_dateutil``) is the same PyPI package and not
new, while on npm ``lodash_merge`` is a different package from ``lodash.merge``, and imitates it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from guards.checks.base import Rule
from guards.checks.dependencies import manifests, requirements
from guards.checks.dependencies.allow import allowlist
from guards.checks.dependencies.model import Found, merge
from guards.config import ECOSYSTEMS, Config
from guards.context import Context
from guards.core.changes import FileChange
from guards.finding import Finding, Outcome

if TYPE_CHECKING:
    from guards.checks.dependencies.judge import Problem

NAME = "dependencies"
RULES = {
    "dependencies_allowed": Rule(
        "every dependency the PR adds is on the allowlist at base",
        "add the name to dependencies.allow (or the allowlist file) in its own reviewed PR first",
    ),
    "no_lookalike_dependency": Rule(
        "no dependency the PR adds imitates an allowed or well-known name",
        "use the real package (the finding names it); a deliberate near-name must be allowlisted",
    ),
    "sources_unchanged": Rule(
        "no dependency switches to a git, URL or path source, and no package index or registry "
        "is added or changed",
        "depend on the registry release; a new index or registry needs its own reviewed PR",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    settings = cfg.dependencies
    allow = allowlist(ctx, settings)
    files = manifest_changes(ctx)
    if not files:
        return [_clean(0, 0)]  # nothing declared changed: nothing added, no source moved
    from guards.checks.dependencies import judge  # look-alike matching loads only when needed

    base = merge([manifests.declared(p, _reader(ctx, ctx.merge_base)) for p in _olds(files)])
    head = merge([manifests.declared(p, _reader(ctx, ctx.head)) for p in _news(files)])
    new = judge.added(base, head)
    known = {e: [*popular(e), *allow.get(e, ()), *_names(base, e)] for e in ECOSYSTEMS}
    problems = [
        *judge.lookalikes(new, known, settings.max_distance),
        *judge.unlisted(new, allow, settings.unlisted == "fail"),
        *judge.sources(base, head),
    ]
    return [_finding(p) for p in problems] or [_clean(len(files), len(new))]


def manifest_changes(ctx: Context) -> list[FileChange]:
    """Changed manifests, and changed files a requirements file at head includes."""
    judged = [c for c in ctx.changes if not c.is_symlink and not c.is_submodule]
    found = [c for c in judged if any(manifests.is_manifest(p) for p in c.paths)]
    rest = [c for c in judged if c not in found and c.path.endswith((".txt", ".in"))]
    if rest:
        roots = [p for p in ctx.git.list_files(ctx.head) if requirements.is_root(p)]
        read = _reader(ctx, ctx.head)
        found += [c for c in rest if manifests.included(c.path, roots, read)]
    return found


def _olds(files: list[FileChange]) -> list[str]:
    return [c.old_path for c in files if c.old_path]


def _news(files: list[FileChange]) -> list[str]:
    return [c.new_path for c in files if c.new_path]


def _reader(ctx: Context, rev: str) -> manifests.Read:
    return lambda path: ctx.git.read(rev, path)


def _names(declared: Found, ecosystem: str) -> list[str]:
    return [d.name for d in declared.deps if d.ecosystem == ecosystem]


@cache
def popular(ecosystem: str) -> tuple[str, ...]:
    """The shipped list of well-known names of ECOSYSTEM (popular/<ecosystem>.txt)."""
    folder = resources.files(__package__).joinpath("popular")
    text = folder.joinpath(f"{ecosystem}.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return tuple(name for line in lines for name in line.split())


def _finding(problem: Problem) -> Finding:
    outcome = Outcome.FAIL if problem.failed else Outcome.WARN
    return Finding(problem.rule, outcome, problem.message, problem.where)


def _clean(files: int, new: int) -> Finding:
    message = f"{files} manifest(s) changed; {new} new dependency(ies), all allowed"
    return Finding("dependencies_allowed", Outcome.PASS, message)
