"""The Context every guard reads: built once per run from the options, the event and git."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from guards.config import Config, load_config
from guards.core.changes import ChangeSet, load_changes
from guards.core.git import Git
from guards.core.records import record
from guards.errors import GuardsError
from guards.event import Event, load_event
from guards.linear_re import compile_search

if TYPE_CHECKING:
    from guards.github.client import GitHub

TICKET_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@record
class RunOptions:
    """What the caller of ``guards run`` said; None means "work it out"."""

    repo: str = "."
    base: str | None = None
    head: str | None = None
    config: str | None = None
    ticket: str | None = None
    pr_title: str | None = None
    pr_body: str | None = None
    event_path: str | None = None
    event_name: str | None = None
    base_reports: tuple[str, ...] = ()  # test-run reports (paths or globs) for skip-set
    head_reports: tuple[str, ...] = ()
    report_artifact: str | None = None  # base's report: this artifact of report_workflow's run
    report_workflow: str | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    head_ref: str | None = None  # the head branch's name when head is not HEAD (pre-push)


@record
class PullRequest:
    """The pull request's text; empty strings where there is none (a push, a local run)."""

    title: str = ""
    body: str = ""
    number: int | None = None
    head_ref: str | None = None
    base_ref: str | None = None
    source: str = "none"  # where the text came from: options | event | api | none


@record
class Context:
    """Repository, revisions, change set, PR text, event, ticket and GitHub client of one run.

    Built once by ``build`` and never changed: every guard reads the same facts.
    ``github`` is None without a token (no token, no API calls).
    """

    git: Git
    base: str
    head: str
    merge_base: str
    changes: ChangeSet
    event: Event
    pr: PullRequest
    ticket: str | None
    env: Mapping[str, str]
    github: GitHub | None = None
    reports: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # test-run reports: base, head
    report_artifact: tuple[str, str] | None = None  # (artifact, workflow): base's report

    def read_base(self, path: str) -> bytes | None:
        """A file of the policy: always read at the base revision."""
        return self.git.read(self.base, path)

    def read_head(self, path: str) -> bytes | None:
        return self.git.read(self.head, path)


def build(opts: RunOptions) -> tuple[Context, Config]:
    """Resolve revisions, read the policy at base, and build the run's context."""
    git = Git(opts.repo)
    event = load_event(opts.event_path, opts.event_name, opts.env)
    base, head = resolve_revisions(git, opts.base, opts.head, event)
    config = load_config(git, base, opts.config)
    github = github_client(opts.env)
    pr = pull_request(opts, event, git, github)
    merge_base = git.merge_base(base, head)
    ctx = Context(
        git=git,
        base=base,
        head=head,
        merge_base=merge_base,
        changes=load_changes(git, merge_base, head),
        event=event,
        pr=pr,
        ticket=resolve_ticket(opts, pr, config.manifest_scope.ticket_pattern),
        env=opts.env,
        github=github,
        reports=(opts.base_reports, opts.head_reports),
        report_artifact=_artifact(opts),
    )
    return ctx, config


def github_client(env: Mapping[str, str]) -> GitHub | None:
    """The one GitHub client of the run; None without a token (the HTTP code is not loaded)."""
    if not (env.get("GITHUB_TOKEN") or env.get("GH_TOKEN")):
        return None
    from guards.github.client import GitHub

    return GitHub.from_env(env)


def _artifact(opts: RunOptions) -> tuple[str, str] | None:
    """--report-artifact with --report-workflow: where base's test report is downloaded from."""
    if opts.report_artifact and opts.report_workflow:
        return (opts.report_artifact, opts.report_workflow)
    return None


def resolve_revisions(
    git: Git, base: str | None, head: str | None, event: Event
) -> tuple[str, str]:
    """Arguments first, then the event payload, then the upstream merge-base and HEAD.

    A pull request or merge queue event names both commits; one it does not name (and no
    argument gives) is exit 2, never the checkout's HEAD or a local base in its place."""
    ev_base, ev_head = event.revisions()
    if event.pull_request or "merge_group" in event.payload:
        for given, named, field in ((base, ev_base, "base"), (head, ev_head, "head")):
            if not (given or named):
                raise GuardsError(
                    f"the event payload names no {field} commit ({field}.sha); pass --{field}"
                )
    head_sha = git.resolve(head or ev_head or "HEAD", "head")
    if base or ev_base:
        return git.resolve(base or ev_base or "", "base"), head_sha
    return git.merge_base(local_base(git), head_sha), head_sha


def local_base(git: Git) -> str:
    """The upstream of HEAD when it is another branch, else origin/HEAD, else main or master.

    A branch that tracks its own copy on the remote (``feature`` -> ``origin/feature``) is
    compared with the default branch instead: the PR's whole change, not just unpushed commits.
    """
    candidates = ["origin/HEAD", "main", "master", "origin/main", "origin/master"]
    upstream = git.upstream_branch()
    if upstream and upstream.rpartition("/")[2] != git.current_branch():
        candidates.insert(0, "@{upstream}")
    for rev in candidates:
        sha = git.try_resolve(rev)
        if sha:
            return sha
    raise GuardsError(
        "cannot find a base: no upstream, origin/HEAD, main or master; pass --base "
        "(in a shallow clone, fetch the base branch too)"
    )


def pull_request(opts: RunOptions, event: Event, git: Git, github: GitHub | None) -> PullRequest:
    """PR text from the options, else the event payload (``body`` may be null)."""
    pr = event.pull_request
    base = pr.get("base")
    given = opts.pr_title is not None or opts.pr_body is not None
    return current_text(
        opts,
        event,
        github,
        PullRequest(
            title=opts.pr_title if opts.pr_title is not None else str(pr.get("title") or ""),
            body=opts.pr_body if opts.pr_body is not None else str(pr.get("body") or ""),
            number=pr.get("number") if isinstance(pr.get("number"), int) else None,
            head_ref=event.head_ref()
            or opts.head_ref
            or (None if event.name else git.current_branch()),
            base_ref=base.get("ref") if isinstance(base, dict) else None,
            source="options" if given else "event" if pr else "none",
        ),
    )


def current_text(
    opts: RunOptions, event: Event, github: GitHub | None, pr: PullRequest
) -> PullRequest:
    """A re-run replays a stale payload: with a token and the PR number, ask the API for the
    title and body as they are now. --pr-title / --pr-body-file always win."""
    given = opts.pr_title is not None and opts.pr_body is not None
    if github is None or pr.number is None or given:
        return pr
    from guards.github import pulls  # HTTP code loads only when the API may be asked

    fetched = pulls.current_text(github, opts.env, event.payload, pr.number)
    if fetched is None:
        return pr
    return dataclasses.replace(
        pr,
        title=opts.pr_title if opts.pr_title is not None else fetched.title,
        body=opts.pr_body if opts.pr_body is not None else fetched.body,
        source="api",
    )


def resolve_ticket(opts: RunOptions, pr: PullRequest, pattern: str) -> str | None:
    """--ticket, $GUARDS_TICKET, the pattern in the PR title, then in the head branch name."""
    explicit = opts.ticket or opts.env.get("GUARDS_TICKET")
    if explicit:
        return check_ticket(explicit)
    search = compile_search(pattern, "manifest-scope.ticket-pattern")
    for text in (pr.title, pr.head_ref or ""):
        found = search(text)
        if found:
            return check_ticket(found)
    return None


def check_ticket(ticket: str) -> str:
    """A ticket id becomes a file name: refuse anything that could leave the scope folder."""
    if not TICKET_SHAPE.fullmatch(ticket) or ".." in ticket:
        raise GuardsError(
            f"ticket id {ticket!r} is not a plain name (letters, digits, '.', '_', '-')"
        )
    return ticket
