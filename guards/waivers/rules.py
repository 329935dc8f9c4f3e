"""The rules waivers add to a guard's findings, each a statement true when all is well."""

from __future__ import annotations

from guards.checks.base import Rule

RULES = {
    "waiver_line_counts": Rule(
        "every guards-waive line seen is one that counts",
        "ask a maintainer (not an author or co-author of the PR, at least waive-role) to approve "
        "the PR's current head with a review holding 'guards-waive: <guard> [<target>...] -- "
        "<reason>'; lines in the PR title, description or commits never count",
    ),
    "waiver_used": Rule(
        "every waiver matches a failing finding",
        "correct the waiver's target (a test id, a path or glob, a section, a rule id) or drop it",
    ),
    "policy_waiver_current": Rule(
        "no policy waiver in guards.yaml has expired",
        "renew the waiver (a later expires:, approved again) or remove it from guards.yaml",
    ),
}
