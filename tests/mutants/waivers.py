"""The checks that keep review waivers, policy waivers and exemptions unforgeable, each with
a replacement that disables it; the waiver-*.yaml probes of every guard must kill each one."""

from __future__ import annotations

from typing import Any

from guards.config import Exemption


def _no_problem(*_a: object, **_k: object) -> None:
    return None


def _no_rejections(*_a: object, **_k: object) -> list[object]:
    return []


def _any_exemption(e: Any, source: str) -> Exemption:
    return Exemption(e["author"], tuple(e["guards"]))


MUTANTS = [
    ("reviewer is not the PR's author", "guards.waivers.review:_pr_author", _no_problem),
    ("review on the PR's current head", "guards.waivers.review:_on_head", _no_problem),
    ("reviewer's role is at least waive-role", "guards.waivers.review:_role", _no_problem),
    ("reviewer is no bot", "guards.waivers.review:_bot", _no_problem),
    ("waiver line gives a reason", "guards.waivers.review:has_reason", lambda *_a: True),
    ("review is APPROVED", "guards.waivers.review:_state", _no_problem),
    ("reviewer wrote no commit of the PR", "guards.waivers.review:_commit_person", _no_problem),
    ("co-author trailers and noreply e-mails", "guards.waivers.review:wrote", lambda *_a: False),
    ("a later CHANGES_REQUESTED voids", "guards.waivers.review:_superseded", _no_problem),
    ("policy waivers expire", "guards.waivers.policy:expired", lambda *_a: False),
    ("waiver lines in PR text are reported", "guards.waivers.apply:forged", _no_rejections),
    (
        "skip-set and protected-branch cannot be exempted",
        "guards.config:_exemption",
        _any_exemption,
    ),
    (
        "a test-id target stops at :: or [",
        "guards.waivers.targets:_names_test",
        lambda target, test: test.startswith(target),
    ),
]
