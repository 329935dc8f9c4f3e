"""Pure logic, no git: GitHub branch patterns, ref names, and the pre-push rules."""

from __future__ import annotations

import pytest

from guards.checks.protected_branch.branch_patterns import (
    branch_of,
    matches,
    normalize_ref,
    protecting_pattern,
)
from guards.checks.protected_branch.prepush_rules import judge, parse_lines
from guards.config import ProtectedBranchSettings
from guards.errors import ConfigError, GuardsError
from guards.finding import Outcome

A, B, Z = "a" * 40, "b" * 40, "0" * 40


@pytest.mark.parametrize(
    ("pattern", "branch", "expected"),
    [
        ("main", "main", True),
        ("main", "mainline", False),
        ("main", "Main", False),
        ("main", "x/main", False),
        ("release/*", "release/1.0", True),
        ("release/*", "release/", True),
        ("release/*", "release/1.0/hotfix", False),
        ("release/*", "release", False),
        ("release/**", "release/1.0/hotfix", True),
        ("release/**/*", "release/1.0/hotfix", True),
        ("release/**/*", "release/1.0", True),
        ("qa**/**/*", "qa-team/x/y", True),
        ("*", "main", True),
        ("*", "feature/x", False),
        ("**", "feature/x", True),
        ("v?", "v1", True),
        ("v?", "v/", False),
        ("release-[0-9]*", "release-2", True),
        ("release-[0-9]*", "release-x", False),
        ("release-[!0-9]*", "release-x", True),
        ("release-[!0-9]*", "release-2", False),
        ("release-[^0-9]", "release-x", True),
        ("[/]x", "/x", False),
        ("a.b", "aXb", False),
        ("a+b", "a+b", True),
        ("a\\b", "a\\b", True),
        ("[]]x", "]x", True),
    ],
)
def test_github_pattern_semantics(pattern: str, branch: str, expected: bool) -> None:
    assert matches(pattern, branch) is expected


@pytest.mark.parametrize("pattern", ["release-[0-9", "[]", "[!]"])
def test_unclosed_or_empty_class_is_a_config_error(pattern: str) -> None:
    with pytest.raises(ConfigError):
        matches(pattern, "x")


def test_first_protecting_pattern_wins() -> None:
    assert protecting_pattern("release/2", ["main", "release/*", "**"]) == "release/*"
    assert protecting_pattern("topic", ["main", "release/*"]) is None


@pytest.mark.parametrize(
    ("ref", "normal"),
    [
        ("refs/heads/main", "refs/heads/main"),
        ("refs/heads//main", "refs/heads/main"),
        ("/refs/heads/main", "refs/heads/main"),
        ("refs/heads/main/", "refs/heads/main"),
        ("refs/heads/./main", "refs/heads/main"),
        ("main", "refs/heads/main"),
        ("release/1.0", "refs/heads/release/1.0"),
        ("refs/tags/main", "refs/tags/main"),
        (" refs/heads/main\r", "refs/heads/main"),
    ],
)
def test_normalize_ref(ref: str, normal: str) -> None:
    assert normalize_ref(ref) == normal


@pytest.mark.parametrize(
    "ref",
    ["", "/", "refs/heads/../main", "refs/heads/ma in", "refs/heads/x.lock", "a:b", "a~1", "a^"],
)
def test_invalid_refs_stop_the_push(ref: str) -> None:
    with pytest.raises(GuardsError):
        normalize_ref(ref)


@pytest.mark.parametrize(
    ("ref", "branch"),
    [("refs/heads/main", "main"), ("refs/tags/v1", None), ("refs/for/main", None), ("x/y", "x/y")],
)
def test_branch_of(ref: str, branch: str | None) -> None:
    assert branch_of(ref) == branch


@pytest.mark.parametrize(
    "text",
    [
        "refs/heads/x abc refs/heads/main " + Z,
        "refs/heads/x " + A + " refs/heads/main",
        "refs/heads/x " + A + " refs/heads/main " + Z + " extra",
        "refs/heads/x " + A[:39] + " refs/heads/main " + Z,
    ],
)
def test_malformed_lines_are_errors(text: str) -> None:
    with pytest.raises(GuardsError):
        parse_lines(text)


def test_parse_lines_skips_blank_lines_and_accepts_sha256_and_uppercase() -> None:
    text = f"\n(delete) {Z} refs/heads/x {A}\n\nHEAD {'C' * 64} main {'0' * 64}\n"
    updates = parse_lines(text)
    assert [u.deletes for u in updates] == [True, False]
    assert updates[1].local_oid == "c" * 64 and updates[1].creates


def _judge(
    line: str, ancestor: bool | None = True, **settings: object
) -> list[tuple[str, Outcome]]:
    s = ProtectedBranchSettings(**settings)
    (update,) = parse_lines(line)
    return [(f.rule, f.outcome) for f in judge(update, s, lambda remote, local: ancestor)]


FAIL, PASS = Outcome.FAIL, Outcome.PASS


@pytest.mark.parametrize(
    ("line", "ancestor", "settings", "expected"),
    [
        (f"refs/heads/x {A} refs/heads/main {B}", True, {}, [("no_direct_push", FAIL)]),
        (f"refs/heads/x {A} refs/heads/main {Z}", None, {}, [("no_direct_push", FAIL)]),
        (
            f"refs/heads/x {A} refs/heads/main {B}",
            False,
            {},
            [("no_direct_push", FAIL), ("no_force_push", FAIL)],
        ),
        (
            f"refs/heads/x {A} refs/heads/main {B}",
            None,
            {},
            [("no_direct_push", FAIL), ("no_force_push", FAIL)],
        ),
        (f"(delete) {Z} refs/heads/release/9 {B}", None, {}, [("no_branch_deletion", FAIL)]),
        (f"(delete) {Z} refs/heads/topic {B}", None, {}, [("no_direct_push", PASS)]),
        (f"refs/heads/x {A} refs/heads/topic {B}", False, {}, [("no_direct_push", PASS)]),
        (
            f"refs/heads/x {A} refs/heads/topic {B}",
            False,
            {"block_force_push_everywhere": True},
            [("no_force_push", FAIL)],
        ),
        (
            f"refs/heads/x {A} refs/heads/topic {B}",
            None,
            {"block_force_push_everywhere": True},
            [("no_force_push", FAIL)],
        ),
        (
            f"refs/heads/x {A} refs/heads/topic {Z}",
            None,
            {"block_force_push_everywhere": True},
            [("no_direct_push", PASS)],
        ),
        (f"refs/tags/v1 {A} refs/tags/v1 {B}", False, {}, [("no_direct_push", PASS)]),
        (
            f"refs/heads/x {A} refs/heads/main {B}",
            True,
            {"branches": ("trunk",)},
            [("no_direct_push", PASS)],
        ),
        (
            f"refs/heads/x {A} refs/heads/main {B}",
            True,
            {"branches": ()},
            [("no_direct_push", PASS)],
        ),
    ],
)
def test_prepush_rules(
    line: str,
    ancestor: bool | None,
    settings: dict[str, object],
    expected: list[tuple[str, Outcome]],
) -> None:
    assert _judge(line, ancestor, **settings) == expected


def test_refusal_messages_say_how_to_proceed() -> None:
    (update,) = parse_lines(f"refs/heads/x {A} refs/heads/main {B}")
    messages = [f.message for f in judge(update, ProtectedBranchSettings(), lambda r, loc: None)]
    assert "open a pull request" in messages[0]
    assert "fetch first" in messages[1]
