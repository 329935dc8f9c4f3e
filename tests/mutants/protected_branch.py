"""Detections of protected-branch, each with a replacement that disables it."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from typing import Any

from guards.checks.protected_branch.protection_sources import Protection
from guards.checks.protected_branch.push_events import Push
from guards.config import Config, load_config, push_policy
from guards.core.git import Git
from guards.finding import Finding, Outcome
from guards.github.protection import Repo

_PUSH_POLICY = push_policy  # the real one, kept before a mutant replaces it


def _nothing(*_a: object, **_k: object) -> Iterator[Finding]:
    return iter(())


def _passes(rule: str) -> object:
    def judged(p: Protection, *_a: object) -> Finding:
        return Finding(rule, Outcome.PASS, f"{p.branch}: (mutant) {rule} not checked")

    return judged


def _unknown(*_a: object) -> None:
    return None


def _translate(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


def _flags_only(payload: Mapping[str, Any]) -> Push:
    flags = [payload.get(k) is True for k in ("created", "deleted", "forced")]
    return Push(payload["ref"], payload["before"], payload["after"], *flags)


def _first_page(repo: Repo, branch: str) -> list[Any]:
    return list(repo.gh.request(repo.path("rules", "branches", branch) + "?per_page=100").data)


def _policy_ignoring_branch(git: Git, remote: str, branch: str | None = None) -> tuple[Config, str]:
    return _PUSH_POLICY(git, remote, None)


def _policy_at_head(git: Git, remote: str, branch: str | None = None) -> tuple[Config, str]:
    return load_config(git, git.resolve("HEAD")), "HEAD"


P = "guards.checks.protected_branch.prepush_rules"
E = "guards.checks.protected_branch.push_events"
BP = "guards.checks.protected_branch.branch_patterns"
R = "guards.checks.protected_branch.settings_rules"
A = "guards.github.protection"
C = "guards.config"
G = "guards.checks.protected_branch"

MUTANTS = [
    ("pre-push: deleting a protected branch allowed", f"{P}:refuse_deletion", _nothing),
    ("pre-push: pushing to a protected branch allowed", f"{P}:refuse_direct_push", _nothing),
    (
        "pre-push: force pushes (and unknown remote heads) allowed",
        f"{P}:refuse_force_push",
        _nothing,
    ),
    (
        "pre-push: remote refs taken verbatim",
        f"{BP}:normalize_ref",
        str,
    ),
    (
        "pre-push: policy read at HEAD, not origin/HEAD",
        "guards.config:push_policy",
        _policy_at_head,
    ),
    (
        "a ruleset in evaluate or disabled mode counts as protection",
        "guards.checks.protected_branch.protection_sources:enforced",
        lambda ruleset: True,
    ),
    (
        "bypass actors never matter (no source carries a required rule)",
        f"{R}:carries",
        lambda e, req: False,
    ),
    (
        "any ruleset excuses classic enforce_admins off (rules not compared)",
        f"{R}:carries_all",
        lambda e, req: True,
    ),
    (
        "a ruleset that admins may bypass excuses classic enforce_admins off",
        f"{R}:binds_admins",
        lambda p, e: True,
    ),
    (
        "pre-push without origin/HEAD: the local policy may loosen the defaults",
        "guards.config:tighten",
        lambda defaults, local: local.protected_branch,
    ),
    (
        "pre-push without origin/HEAD: the target branch's remote-tracking copy not read",
        "guards.config:push_policy",
        _policy_ignoring_branch,
    ),
    (
        "patterns: globs taken literally",
        f"{BP}:matches",
        str.__eq__,
    ),
    (
        "patterns: '*' crosses '/'",
        f"{BP}:compile_pattern",
        _translate,
    ),
    ("push event: deletion allowed", f"{E}:pushed_deletion", _nothing),
    ("push event: force push allowed", f"{E}:pushed_force", _nothing),
    ("push event: direct push (no merged PR) allowed", f"{E}:pushed_directly", _nothing),
    ("push event: only the payload's flags are trusted", f"{E}:read_push", _flags_only),
    ("push event: ancestry not checked", f"{G}:_rewrites", _unknown),
    ("PR event: protected head branch allowed", f"{E}:head_is_protected", _nothing),
    ("PR event: every PR counted as from a fork", f"{E}:from_fork", lambda pr: True),
    (
        "settings: pull request requirement not checked",
        f"{R}:requires_pull_request",
        _passes("requires_pull_request"),
    ),
    ("settings: approvals not checked", f"{R}:requires_approvals", _passes("requires_approvals")),
    (
        "settings: force-push blocking not checked",
        f"{R}:blocks_force_push",
        _passes("blocks_force_push"),
    ),
    ("settings: deletion blocking not checked", f"{R}:blocks_deletion", _passes("blocks_deletion")),
    (
        "settings: status checks not checked",
        f"{R}:requires_status_checks",
        _passes("requires_status_checks"),
    ),
    ("settings: a '/ name' lookalike counts", f"{R}:context_satisfies", lambda c, n: n in c),
    ("settings: bypass actors not checked", f"{R}:no_bypass_actors", _passes("no_bypass_actors")),
    ("settings: rules past the first page ignored", f"{A}:branch_rules", _first_page),
    ("settings: classic protection ignored", f"{A}:classic_protection", _unknown),
    ("settings: not audited inside guards run", f"{G}:settings_findings", lambda *a: []),
]
