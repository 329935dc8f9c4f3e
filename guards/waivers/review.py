"""Review waivers, judged on the API's answers (injected): pure.

A ``guards-waive:`` line in a review counts only when every one of these holds (first failure
reported): the review is APPROVED (not COMMENTED, CHANGES_REQUESTED, DISMISSED or PENDING) and
not superseded by its author's later CHANGES_REQUESTED; it was given on the PR's current head
(a later push voids it); its author is no bot, not the PR's author, not an author, committer or
co-author of any of the PR's commits, and has a repository role of at least ``waive-role``; the
line names a guard and gives a reason.

The trap: identities are compared case-insensitively (GitHub logins are), and a co-author is
named by a ``Co-authored-by:`` trailer (name and e-mail, not a login): the reviewer is a
co-author when a trailer's name is their login or its e-mail is their noreply address.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from guards.config import ROLES
from guards.core.records import record
from guards.waivers.lines import WaiverLine, waiver_lines
from guards.waivers.model import Grant, Rejection

if TYPE_CHECKING:  # the HTTP client loads only when reviews are read
    from guards.github.reviews import CommitPeople, Review

_NOREPLY = re.compile(r"(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com", re.I)


@record
class ReviewFacts:
    """What the API said about one PR: its reviews, its commits' people, reviewers' roles."""

    reviews: tuple[Review, ...]
    commits: tuple[CommitPeople, ...]
    roles: Mapping[str, str]  # login (lower case) -> role_name
    pr_author: str
    head: str


def judge(
    facts: ReviewFacts, waive_role: str, guards: Collection[str]
) -> tuple[list[Grant], list[Rejection]]:
    """Grants and rejections for every waiver line of every review."""
    grants: list[Grant] = []
    rejections: list[Rejection] = []
    for review in facts.reviews:
        problem = review_problem(review, facts, waive_role)
        for line in waiver_lines(review.body):
            verdict = _line(review, line, problem, guards)
            if isinstance(verdict, Grant):
                grants.append(verdict)
            else:
                rejections.append(verdict)
    return grants, rejections


def review_problem(review: Review, facts: ReviewFacts, waive_role: str) -> str | None:
    """Why REVIEW cannot waive anything, or None when it can."""
    for check in (_state, _superseded, _on_head, _bot, _pr_author, _commit_person):
        problem = check(review, facts)
        if problem:
            return problem
    return _role(review, facts, waive_role)


def candidates(reviews: tuple[Review, ...], facts: ReviewFacts) -> list[str]:
    """Reviewers whose role must be asked: waiver lines, approved on head, no bot, not author."""
    out = []
    for r in reviews:
        early = (_state, _superseded, _on_head, _bot, _pr_author)
        if next(waiver_lines(r.body), None) and not any(check(r, facts) for check in early):
            out.append(r.login.lower())
    return sorted(set(out))


def _line(
    review: Review, line: WaiverLine, problem: str | None, guards: Collection[str]
) -> Grant | Rejection:
    where = f"review {review.id} by {review.login or 'a deleted user'}"
    if line.guard not in guards:
        return Rejection("", f"{where}: {line.text!r} names no guard ({', '.join(guards)})")
    if problem:
        return Rejection(line.guard, f"{where} cannot waive: {problem}")
    if not has_reason(line):
        return Rejection(line.guard, f"{where}: {line.text!r} gives no reason after ' -- '")
    return Grant(line.guard, line.targets, line.reason, review.login, "review", where)


def has_reason(line: WaiverLine) -> bool:
    return bool(line.reason.strip())


def _state(r: Review, facts: ReviewFacts) -> str | None:
    return None if r.state == "APPROVED" else f"its state is {r.state}, not APPROVED"


def _superseded(r: Review, facts: ReviewFacts) -> str | None:
    later = [
        x for x in facts.reviews
        if x.id > r.id and x.login.lower() == r.login.lower() and x.state == "CHANGES_REQUESTED"
    ]  # fmt: skip # -- a packed call reads better here
    return f"its author later requested changes (review {later[0].id})" if later else None


def _on_head(r: Review, facts: ReviewFacts) -> str | None:
    if r.commit_id.lower() == facts.head.lower():
        return None
    return (
        f"it was given on commit {r.commit_id[:12] or '(none)'}, not on the PR's head "
        f"{facts.head[:12]} (a push after the review voids its waivers)"
    )


def _bot(r: Review, facts: ReviewFacts) -> str | None:
    return "its author is a bot" if r.is_bot or not r.login else None


def _pr_author(r: Review, facts: ReviewFacts) -> str | None:
    same = r.login.lower() == facts.pr_author.lower()
    return "its author is the PR's author" if same else None


def _commit_person(r: Review, facts: ReviewFacts) -> str | None:
    for commit in facts.commits:
        if wrote(r.login, commit):
            return f"its author wrote or co-authored commit {commit.sha[:12]} of this PR"
    return None


def wrote(login: str, commit: CommitPeople) -> bool:
    """LOGIN authored, committed or co-authored COMMIT."""
    me = login.lower()
    if me in (x.lower() for x in commit.logins) or me in (n.lower() for n in commit.names):
        return True
    return any(m and m.group(1).lower() == me for m in map(_NOREPLY.fullmatch, commit.emails))


def _role(r: Review, facts: ReviewFacts, waive_role: str) -> str | None:
    role = facts.roles.get(r.login.lower())
    if role is None:
        return "its author's repository role is unknown"
    if role not in ROLES:
        return f"its author's role {role!r} is a custom role, not one of {', '.join(ROLES)}"
    if ROLES.index(role) < ROLES.index(waive_role):
        return f"its author's role is {role}; waive-role is {waive_role}"
    return None
