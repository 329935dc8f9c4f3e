"""manifest-scope: every path the PR touches lies inside its ticket's scope file (read at base)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from guards.checks.base import Rule
from guards.checks.manifest_scope.link_targets import Exposure, exposure
from guards.checks.manifest_scope.listed_tree import ListedTree
from guards.config import Config, load_scope_file
from guards.context import Context
from guards.core.changes import FileChange
from guards.finding import Finding, Outcome
from guards.patterns import Patterns, TicketScope, patterns

NAME = "manifest-scope"
RULES = {
    "ticket_identified": Rule(
        "the PR names its ticket",
        "put the ticket id (e.g. FR-12) in the PR title or branch name, or pass --ticket",
    ),
    "scope_file_exists": Rule(
        "the ticket has a scope file at the base revision",
        "add scope/<TICKET>.yaml with its allow list in a PR merged before this one",
    ),
    "changes_in_scope": Rule(
        "every path the PR touches is allowed by the ticket's scope and denied by nothing",
        "revert the out-of-scope change, or widen the scope file in a separate, reviewed PR",
    ),
    "symlink_targets_in_scope": Rule(
        "every symlink the PR adds or changes points inside the ticket's scope",
        "point the link inside the scope, or replace it with a regular file",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    settings = cfg.manifest_scope
    if ctx.ticket is None:
        return missing_ticket(settings.dir)
    doc, source = load_scope_file(ctx.read_base, settings.dir, ctx.ticket)
    if doc is None:
        return missing_scope_file(source, ctx)
    scope = TicketScope(
        allow=patterns(source, doc.get("allow", ())),
        deny=ticket_deny(source, doc),
        global_deny=global_deny(cfg),
    )
    findings = check_changes(scope, ctx.changes, link_exposure(ctx))
    return findings or [_all_in_scope(len(ctx.changes.paths), source)]


def ticket_deny(source: str, doc: dict[str, Any]) -> Patterns:
    return patterns(source, doc.get("deny", ()))


def global_deny(cfg: Config) -> Patterns:
    return patterns(cfg.source, cfg.manifest_scope.deny)


Exposed = Callable[[FileChange], Exposure]


def link_exposure(ctx: Context) -> Exposed:
    """The paths a changed symlink opens, resolved through the head tree."""

    @cache
    def tree() -> ListedTree:
        """Made on the first changed link, shared by the rest: one listing per folder."""
        return ListedTree(ctx.git, ctx.head)

    def exposed(change: FileChange) -> Exposure:
        return exposure(tree(), ctx.head, change.path, change.symlink_target or "")

    return exposed


def check_changes(
    scope: TicketScope, changes: Iterable[FileChange], exposed: Exposed
) -> list[Finding]:
    """Findings for every change, in order: its paths judged in one pass over the change set."""
    paths = [change.paths for change in changes]
    out = scope.out_of_scope(list(dict.fromkeys(p for each in paths for p in each)))
    return [
        f
        for change, each in zip(changes, paths, strict=True)
        for f in check_change(scope, change, each, exposed, out)
    ]


def check_change(
    scope: TicketScope,
    change: FileChange,
    paths: tuple[str, ...],
    exposed: Exposed,
    out: Mapping[str, str],
) -> Iterator[Finding]:
    """Findings for PATHS, every path of CHANGE (OUT: why each out-of-scope path is out), then
    for its symlink target."""
    for path in paths:
        why = out.get(path)
        if why:
            yield Finding(
                "changes_in_scope",
                Outcome.FAIL,
                f"{path} ({describe(change, path)}) is out of scope: {why}",
                path=path,
            )
    if change.is_symlink:
        yield from check_link(scope, change, exposed(change))


def check_link(scope: TicketScope, change: FileChange, seen: Exposure) -> Iterator[Finding]:
    """The first path the link opens that is out of scope (or that it leaves the tree)."""
    raw = change.symlink_target
    if seen.outside:
        message = f"symlink {change.path} -> {raw} points outside the repository ({seen.outside})"
        yield Finding("symlink_targets_in_scope", Outcome.FAIL, message, path=change.path)
        return
    for target in seen.paths:
        why = scope.why_out(target)
        if why is not None:
            message = (
                f"symlink {change.path} -> {raw} opens {target or 'the repository root'}, "
                f"out of scope: {why}"
            )
            yield Finding("symlink_targets_in_scope", Outcome.FAIL, message, path=change.path)
            return


def describe(change: FileChange, path: str) -> str:
    """A short phrase for what happened to PATH in CHANGE."""
    if change.status in "RC":
        verb = "renamed" if change.status == "R" else "copied"
        if path == change.old_path:
            return f"{verb} to {change.new_path}"
        return f"{verb} from {change.old_path}"
    if change.is_submodule:
        return "submodule pointer"
    if change.status == "T":
        return f"type changed {change.old_mode} -> {change.new_mode}"
    if change.mode_changed and change.old_oid == change.new_oid:
        return f"mode changed {change.old_mode} -> {change.new_mode}"
    return {"A": "added", "D": "deleted", "M": "modified"}.get(change.status, change.status)


def _all_in_scope(count: int, source: str) -> Finding:
    return Finding("changes_in_scope", Outcome.PASS, f"{count} path(s) checked against {source}")


def missing_ticket(folder: str) -> list[Finding]:
    message = (
        "no ticket id found in --ticket, $GUARDS_TICKET, the PR title or the head branch name; "
        f"name the ticket (e.g. 'FR-12: ...') so its scope file {folder}/<TICKET>.yaml applies"
    )
    return [Finding("ticket_identified", Outcome.FAIL, message)]


def missing_scope_file(source: str, ctx: Context) -> list[Finding]:
    message = (
        f"ticket {ctx.ticket} has no scope file {source} at base {ctx.base[:12]}; "
        "add it (allow: [globs]) in a PR merged before this one"
    )
    return [Finding("scope_file_exists", Outcome.FAIL, message)]
