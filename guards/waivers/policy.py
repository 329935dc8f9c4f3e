"""Policy waivers and exemptions from guards.yaml at base: pure.

A policy waiver counts through its ``expires`` day (UTC); from the next day on it is a finding
of its own (rule ``policy_waiver_current``, outcome fail) until someone renews or removes it, so
a forgotten waiver cannot outlive its reason. An exemption waives the listed guards' failing
findings when the PR's author (``pull_request.user.login`` in the event, which GitHub sets and
the PR cannot) is its ``author``; there is no author outside a pull-request event, so none then.
The trap: policy read from head would let a PR waive itself; config.load_config reads it at base.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from guards.config import PolicyWaiver, WaiverSettings
from guards.errors import ConfigError
from guards.waivers.model import Grant, Rejection

EXPIRED_RULE = "policy_waiver_current"


def policy_grants(
    settings: WaiverSettings, today: datetime.date, guards: Collection[str]
) -> tuple[list[Grant], list[Rejection]]:
    """Current policy waivers as grants; expired ones as rejections (findings that fail)."""
    grants, stale = [], []
    for w in settings.policy:
        _known(w.guard, guards, "waivers")
        origin = f"guards.yaml, approved by {w.approved_by}, expires {w.expires.isoformat()}"
        if expired(w, today):
            what = " ".join(w.targets) or "all findings"
            message = (
                f"policy waiver of {w.guard} {what} expired on {w.expires.isoformat()} "
                f"(approved by {w.approved_by}: {w.reason}); renew or remove it in guards.yaml"
            )
            stale.append(Rejection(w.guard, message, EXPIRED_RULE, fails=True))
        else:
            grants.append(Grant(w.guard, w.targets, w.reason, w.approved_by, "policy", origin))
    return grants, stale


def expired(w: PolicyWaiver, today: datetime.date) -> bool:
    """Valid through its ``expires`` day; expired from the next day on."""
    return w.expires < today


def exemption_grants(
    settings: WaiverSettings, author: str | None, guards: Collection[str]
) -> list[Grant]:
    """Grants for every guard the PR author is exempt from."""
    out = []
    for e in settings.exempt:
        for guard in e.guards:
            _known(guard, guards, "exempt")
        if author is not None and e.author.lower() == author.lower():
            reason = f"the PR's author {author} is exempt in guards.yaml"
            by = f"guards.yaml exempt: {e.author}"
            out += [Grant(g, (), reason, by, "exempt", "exempt in guards.yaml") for g in e.guards]
    return out


def _known(guard: str, guards: Collection[str], key: str) -> None:
    if guard not in guards:
        raise ConfigError(
            f"guards.yaml: {key}: unknown guard {guard!r}; one of {', '.join(guards)}"
        )
