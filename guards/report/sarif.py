"""SARIF 2.1.0 for GitHub code scanning: one run, every rule with its help, one result per finding.

Code scanning needs a location on every result; a finding without a path (no ticket, a guard
that could not evaluate) is placed on ``guards.yaml`` at the repository root, the policy file,
and says so in its location message. Pass findings are not results: code scanning shows every
result as an alert.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from guards import __version__
from guards.checks import all_rules
from guards.checks.base import EVALUATED, Rule
from guards.finding import Finding, GuardResult, Outcome
from guards.report import sarif_limits
from guards.waivers.rules import RULES as WAIVER_RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
PLACEHOLDER_PATH = "guards.yaml"
PLACEHOLDER_NOTE = "no file of its own: the finding concerns the whole change (guards.yaml)"
EVALUATED_RULE = Rule(
    "the guard reached a verdict",
    "fix what the message names (config, shallow clone: fetch-depth: 0, API access), then re-run",
)
_LEVEL = {
    Outcome.ERROR: "error",
    Outcome.FAIL: "error",
    Outcome.WARN: "warning",
    Outcome.UNKNOWN: "warning",
    Outcome.WAIVED: "error",  # a waived failure: reported, with a suppression
}


def render(report: Any) -> str:
    return json.dumps(sarif_log(report.results, report.base, report.head), indent=2) + "\n"


def sarif_log(results: Sequence[GuardResult], base: str, head: str) -> dict[str, Any]:
    rules = rule_table(results)
    index = {r["id"]: i for i, r in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules)},
        "automationDetails": {"id": "guards/"},
        "invocations": [_invocation(results)],
        "results": [],
        "properties": {"base": base, "head": head, "totals": _totals(results)},
    }
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    frame = len(json.dumps(doc, indent=2)) + 2_000  # room for the notification below
    run["results"], omitted = sarif_limits.cap(list(_results(results, index)), frame)
    if omitted:  # code scanning would reject the whole file: say what was left out
        run["properties"]["omitted"] = omitted
        run["invocations"][0]["toolExecutionNotifications"] = [sarif_limits.notification(omitted)]
    return doc


def _totals(results: Sequence[GuardResult]) -> dict[str, int]:
    """Results per guard before any cap."""
    return {r.guard: sum(f.outcome in _LEVEL for f in r.findings) for r in results}


def rule_id(guard: str, rule: str) -> str:
    """Rule ids are unique per guard: two guards may name a rule alike."""
    return f"{guard}/{rule}"


def rule_table(results: Sequence[GuardResult] = ()) -> list[dict[str, Any]]:
    """Every rule of every guard, each guard's guard_evaluated, and any rule a finding names."""
    known = {
        (guard, name): rule
        for guard, rules in all_rules().items()
        for name, rule in {**rules, EVALUATED: EVALUATED_RULE}.items()
    }
    for r in results:
        for f in r.findings:
            fallback = WAIVER_RULES.get(f.rule) or Rule(f.rule.replace("_", " "), "see the message")
            known.setdefault((r.guard, f.rule), fallback)
    return [_descriptor(guard, name, rule) for (guard, name), rule in known.items()]


def _descriptor(guard: str, name: str, rule: Rule) -> dict[str, Any]:
    fix = rule.remediation.rstrip(". ")
    return {
        "id": rule_id(guard, name),
        "name": name,
        "shortDescription": {"text": rule.statement[:1024]},
        "fullDescription": {"text": f"{guard}: {rule.statement}"[:1024]},
        "help": {
            "text": f"{fix}. Run `guards run --only {guard}` locally to reproduce.",
            "markdown": f"**{guard}** checks that {rule.statement}.\n\n"
            f"To fix: {fix}.\n\nReproduce locally with "
            f"`guards run --only {guard}`.",
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": list(dict.fromkeys(["guards", guard])),  # the pseudo-guard "guards" once
            "precision": "very-high",
            "problem.severity": "error",
        },
    }


def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "guards",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }


def _invocation(results: Sequence[GuardResult]) -> dict[str, Any]:
    """Execution failed when any guard could not reach a verdict (exit 2)."""
    errors = any(f.outcome is Outcome.ERROR for r in results for f in r.findings)
    return {"executionSuccessful": not errors}


def _results(results: Sequence[GuardResult], index: dict[str, int]) -> Iterator[dict[str, Any]]:
    seen: Counter[str] = Counter()
    for r in results:
        for f in r.findings:
            if f.outcome not in _LEVEL:
                continue
            key = fingerprint(r.guard, f)
            seen[key] += 1
            yield _result(r.guard, f, index, f"{key}:{seen[key]}")


def _result(guard: str, f: Finding, index: dict[str, int], print_: str) -> dict[str, Any]:
    rid = rule_id(guard, f.rule)
    result: dict[str, Any] = {
        "ruleId": rid,
        "ruleIndex": index[rid],
        "level": _LEVEL[f.outcome],
        "message": {"text": text(f.message) or f.rule},
        "locations": [location(f)],
        "partialFingerprints": {"primaryLocationLineHash": print_, "guards/v1": print_},
        "properties": {"guard": guard, "outcome": f.outcome.value},
    }
    if f.test:
        result["properties"]["test"] = text(f.test)
    if f.waiver:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": text(f.waiver.reason)}
        ]
        result["properties"]["waiver"] = {"by": text(f.waiver.by), "source": f.waiver.source}
    return result


def fingerprint(guard: str, f: Finding) -> str:
    """Stable across runs and line shifts: guard, rule, path, test and message, not the line."""
    parts = (guard, f.rule, f.path or "", f.test or "", f.message)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def location(f: Finding) -> dict[str, Any]:
    """A repository-relative location; the placeholder file when the finding has no path."""
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri(f.path or PLACEHOLDER_PATH), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": f.line if f.path and f.line else 1},
    }
    loc: dict[str, Any] = {"physicalLocation": physical}
    if not f.path:
        loc["message"] = {"text": PLACEHOLDER_NOTE}
    return loc


def text(value: str) -> str:
    """Valid UTF-8 for the JSON reader: undecodable bytes of a path become U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def uri(path: str) -> str:
    """A relative URI reference: every byte but unreserved characters and '/' percent-encoded."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")
