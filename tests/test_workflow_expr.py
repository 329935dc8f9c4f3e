"""The simulator's expression evaluator follows GitHub's rules where the workflows rely on them."""

from __future__ import annotations

from typing import Any

import pytest
from workflow_expr import condition, evaluate, interpolate

CTX: dict[str, Any] = {
    "inputs": {"sarif": True, "guards-ref": "", "ticket": "FR-1", "n": 0},
    "steps": {"guards": {"outputs": {"ok": "false"}}, "guards-at-ref": {"outputs": {}}},
    "github": {"event_name": "pull_request", "event": {"pull_request": {"head": {"repo": {}}}}},
}


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("inputs.guards-ref == ''", True),
        ("inputs.guards-ref != ''", False),
        ("inputs.ticket == 'fr-1'", True),  # strings compare without case
        ("steps.guards.outputs.ok || steps.guards-at-ref.outputs.ok", "false"),  # a value, not bool
        ("steps.guards-at-ref.outputs.ok || 'x'", "x"),
        ("inputs.sarif && 'on' || 'off'", "on"),
        ("inputs.n && 'on' || 'off'", "off"),
        ("!inputs.sarif", False),
        ("github.event.pull_request.head.repo.full_name == 'a/b'", False),  # missing is null
        ("github.event_name == 'merge_group' && 'skip-set' || 'all'", "all"),
        ("format('{0}/{1}', 'a', 1)", "a/1"),
        ("contains('abc', 'B')", True),
        ("(true || false) && !false", True),
        ("inputs['ticket']", "FR-1"),
    ],
)
def test_evaluate(expr: str, value: Any) -> None:
    assert evaluate(expr, CTX) == value


@pytest.mark.parametrize(
    ("text", "failed", "runs"),
    [
        (None, False, True),
        (None, True, False),  # success() is implied
        ("inputs.sarif", True, False),
        ("${{ !cancelled() && inputs.sarif }}", True, True),
        ("always()", True, True),
        ("failure()", False, False),
    ],
)
def test_condition(text: str | None, failed: bool, runs: bool) -> None:
    assert condition(text, CTX, {"success": not failed, "failure": failed}) is runs


def test_interpolate_keeps_a_lone_expression_typed_and_formats_embedded_ones() -> None:
    assert interpolate("${{ inputs.sarif }}", CTX) is True
    assert interpolate("x-${{ inputs.sarif }}-${{ inputs.n }}", CTX) == "x-true-0"


def test_an_unsupported_expression_fails_loudly() -> None:
    with pytest.raises((ValueError, KeyError)):
        evaluate("hashFiles('x')", CTX)
