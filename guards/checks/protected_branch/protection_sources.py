"""What each protection source says about one branch, read from GitHub's JSON.

Two sources: the active ruleset rules (``GET /repos/{o}/{r}/rules/branches/{b}``, readable
with GITHUB_TOKEN; one Evidence per ruleset) and classic branch protection (needs
Administration: read; field names differ). Bypass actors come from each ruleset
(``GET .../rulesets/{id}``, only to a token that may edit it) and from classic protection
(``enforce_admins`` off, ``bypass_pull_request_allowances``).

A ruleset whose ``enforcement`` is not ``active`` (``evaluate``: report only; ``disabled``)
protects nothing: when the ruleset is readable and says so, its rules and actors are left out
(the rules endpoint lists only active rules, so an unreadable ruleset's rules are taken as
active). Whether an actor matters is settings_rules' question (only a source that carries a
required rule can be bypassed around it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from guards.core.records import record
from guards.github import protection as api


@record
class Evidence:
    """The requirements one source enforces on the branch."""

    source: str
    pull_request: bool = False
    approvals: int = 0
    blocks_force_push: bool = False
    blocks_deletion: bool = False
    contexts: tuple[str, ...] = ()


@record
class Actor:
    """Someone who may bypass a source's rules, and how."""

    source: str
    who: str
    mode: str


@record
class Protection:
    """Everything readable about one branch's protection, and what was not readable."""

    branch: str
    evidence: tuple[Evidence, ...] = ()
    classic_readable: bool = True
    actors: tuple[Actor, ...] = ()
    hidden: tuple[str, ...] = ()  # sources whose bypass actors this token cannot see


RulesetCache = dict[int, "Mapping[str, Any] | None"]


def gather(repo: api.Repo, branch: str, known: RulesetCache | None = None) -> Protection:
    """Read every source for BRANCH: rules, the rulesets they come from (each fetched once
    per KNOWN cache, which an audit of many branches shares), classic protection."""
    known = {} if known is None else known
    rules = api.branch_rules(repo, branch)
    ids = sorted({r["ruleset_id"] for r in rules if isinstance(r.get("ruleset_id"), int)})
    for i in ids:
        if i not in known:
            known[i] = api.ruleset(repo, i)
    rulesets = {i: known[i] for i in ids}
    return protection(branch, rules, rulesets, api.classic_protection(repo, branch))


def protection(
    branch: str,
    rules: Sequence[Mapping[str, Any]],
    rulesets: Mapping[int, Mapping[str, Any] | None],
    classic: Mapping[str, Any] | None,
) -> Protection:
    """Assemble a Protection from the recorded responses (None: not readable)."""
    groups = [(i, g) for i, g in _by_ruleset(rules) if enforced(rulesets.get(i))]
    evidence = [ruleset_evidence(i, group, rulesets.get(i)) for i, group in groups]
    actors = [a for i, _ in groups for a in ruleset_actors(i, rulesets.get(i))]
    hidden = [_label(i, rulesets.get(i)) for i, _ in groups if _hides(rulesets.get(i))]
    if classic is not None:
        evidence.append(classic_evidence(classic))
        actors += classic_actors(classic)
    return Protection(branch, tuple(evidence), classic is not None, tuple(actors), tuple(hidden))


def _by_ruleset(rules: Sequence[Mapping[str, Any]]) -> list[tuple[int, list[Mapping[str, Any]]]]:
    groups: dict[int, list[Mapping[str, Any]]] = {}
    for rule in rules:
        rs_id = rule.get("ruleset_id")
        groups.setdefault(rs_id if isinstance(rs_id, int) else -1, []).append(rule)
    return sorted(groups.items())


def enforced(ruleset: Mapping[str, Any] | None) -> bool:
    """A ruleset protects unless it is readable and not ``active`` (evaluate, disabled)."""
    return ruleset is None or ruleset.get("enforcement", "active") == "active"


def _label(rs_id: int, ruleset: Mapping[str, Any] | None) -> str:
    name = ruleset.get("name") if ruleset else None
    return f"ruleset {rs_id}" + (f" {name!r}" if name else "")


def _hides(ruleset: Mapping[str, Any] | None) -> bool:
    return ruleset is None or not isinstance(ruleset.get("bypass_actors"), list)


def ruleset_evidence(
    rs_id: int, rules: Sequence[Mapping[str, Any]], ruleset: Mapping[str, Any] | None
) -> Evidence:
    by_type = {str(r.get("type")): _params(r) for r in rules}
    pr = by_type.get("pull_request")
    checks = by_type.get("required_status_checks", {}).get("required_status_checks") or []
    return Evidence(
        source=_label(rs_id, ruleset),
        pull_request=pr is not None,
        approvals=_int((pr or {}).get("required_approving_review_count")),
        blocks_force_push="non_fast_forward" in by_type,
        blocks_deletion="deletion" in by_type,
        contexts=tuple(str(c["context"]) for c in checks if isinstance(c, dict) and "context" in c),
    )


def ruleset_actors(rs_id: int, ruleset: Mapping[str, Any] | None) -> list[Actor]:
    listed = (ruleset or {}).get("bypass_actors")
    if not isinstance(listed, list):
        return []
    return [
        Actor(_label(rs_id, ruleset), _who(a), str(a.get("bypass_mode") or "always"))
        for a in listed
        if isinstance(a, dict)
    ]


def _who(actor: Mapping[str, Any]) -> str:
    kind = str(actor.get("actor_type") or "actor")
    return kind if actor.get("actor_id") is None else f"{kind} {actor['actor_id']}"


def classic_evidence(classic: Mapping[str, Any]) -> Evidence:
    reviews = classic.get("required_pull_request_reviews")
    checks = classic.get("required_status_checks") or {}
    contexts = list(checks.get("contexts") or [])
    contexts += [
        c["context"] for c in checks.get("checks") or [] if isinstance(c, dict) and "context" in c
    ]
    return Evidence(
        source="classic protection",
        pull_request=isinstance(reviews, dict),
        approvals=_int((reviews or {}).get("required_approving_review_count")),
        blocks_force_push=_enabled(classic, "allow_force_pushes") is False,
        blocks_deletion=_enabled(classic, "allow_deletions") is False,
        contexts=tuple(str(c) for c in contexts),
    )


def classic_actors(classic: Mapping[str, Any]) -> list[Actor]:
    actors = []
    if _enabled(classic, "enforce_admins") is not True:
        actors.append(
            Actor("classic protection", "repository administrators", "enforce_admins off")
        )
    reviews = classic.get("required_pull_request_reviews") or {}
    allowances = reviews.get("bypass_pull_request_allowances") or {}
    for kind, key in (("users", "login"), ("teams", "slug"), ("apps", "slug")):
        for item in allowances.get(kind) or []:
            who = f"{kind[:-1]} {item.get(key, '?')}" if isinstance(item, dict) else kind
            actors.append(Actor("classic protection", who, "pull request requirement"))
    return actors


def _enabled(classic: Mapping[str, Any], key: str) -> bool | None:
    value = classic.get(key)
    return value.get("enabled") if isinstance(value, dict) else None


def _params(rule: Mapping[str, Any]) -> dict[str, Any]:
    params = rule.get("parameters")
    return params if isinstance(params, dict) else {}


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
