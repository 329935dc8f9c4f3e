"""The commit-format run: gather what is judged (commits, the PR title or both), then check."""

from __future__ import annotations

from collections.abc import Iterator

from guards.checks.commit_format.subject import (
    AUTOSQUASH,
    Trailers,
    cites,
    format_problems,
    is_fixup,
    shown,
    sign_off_problem,
)
from guards.config import CommitFormatSettings
from guards.context import Context
from guards.core.git import CommitRecord
from guards.core.records import record
from guards.finding import Finding, Outcome


@record
class Subject:
    """One thing judged: a commit (with its trailers) or the PR title (no trailers)."""

    label: str  # "commit 1a2b3c4d5e6f" or "PR title"
    subject: str
    trailers: Trailers = ()
    is_commit: bool = True


def evaluate(ctx: Context, settings: CommitFormatSettings) -> list[Finding]:
    judged = list(subjects(ctx, settings))
    findings = [f for s in judged for f in check(s, settings, ctx.ticket)]
    if settings.judge != "commits" and not ctx.pr.title:
        findings.append(
            _fail(
                "commits_well_formed",
                "PR title",
                "there is no PR title to judge; pass --pr-title or run on a pull_request event",
            )
        )
    if findings:
        return findings
    return [Finding("commits_well_formed", Outcome.PASS, f"{len(judged)} subject(s) judged")]


def subjects(ctx: Context, settings: CommitFormatSettings) -> Iterator[Subject]:
    if settings.judge in ("commits", "both"):
        yield from commit_subjects(ctx, settings)
    if settings.judge in ("pr-title", "both"):
        yield from title_subject(ctx)


def commit_subjects(ctx: Context, settings: CommitFormatSettings) -> Iterator[Subject]:
    for commit in ctx.git.commits(ctx.merge_base, ctx.head):
        if not skipped(commit, settings):
            trailers = ctx.git.trailers(commit.message)
            yield Subject(f"commit {commit.sha[:12]}", commit.subject, trailers)


def skipped(commit: CommitRecord, settings: CommitFormatSettings) -> bool:
    """Merge commits (the ones GitHub creates) are skipped unless ``skip-merges: false``."""
    return commit.is_merge and settings.skip_merges


def title_subject(ctx: Context) -> Iterator[Subject]:
    if ctx.pr.title:
        yield Subject("PR title", ctx.pr.title, (), is_commit=False)


def check(item: Subject, settings: CommitFormatSettings, ticket: str | None) -> Iterator[Finding]:
    if not settings.allow_fixup and is_fixup(item.subject):
        yield _fail("no_fixup_commits", item.label, f"{shown(item.subject)} is a wip/fixup commit")
    for problem in format_problems(_target(item.subject, settings), settings):
        yield _fail("commits_well_formed", item.label, f"{shown(item.subject)}: {problem}")
    if settings.sign_off and item.is_commit:
        unsigned = sign_off_problem(item.trailers)
        if unsigned:
            yield _fail("commits_well_formed", item.label, f"{shown(item.subject)}: {unsigned}")
    yield from _ticket(item, ticket)


def _target(subject: str, settings: CommitFormatSettings) -> str:
    """With allow-fixup, ``fixup! <subject>`` is judged by the subject it fixes."""
    if settings.allow_fixup:
        return AUTOSQUASH.sub("", subject, count=1)
    return subject


def _ticket(item: Subject, ticket: str | None) -> Iterator[Finding]:
    if ticket is None:
        yield _fail(
            "commits_cite_ticket",
            item.label,
            "the PR has no ticket id to cite (name it in the PR title or branch, or pass --ticket)",
        )
    elif not cites(ticket, item.subject, item.trailers):
        where = "subject or a Refs: trailer" if item.is_commit else "title"
        yield _fail(
            "commits_cite_ticket",
            item.label,
            f"{shown(item.subject)} does not cite {ticket} in its {where}",
        )


def _fail(rule: str, label: str, message: str) -> Finding:
    return Finding(rule, Outcome.FAIL, f"{label}: {message}")
