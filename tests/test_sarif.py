"""--format sarif: valid SARIF 2.1.0 (OASIS schema) in the subset GitHub code scanning accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from guards.checks import all_rules
from guards.finding import Finding, GuardResult, Outcome
from guards.report import Report, render
from guards.report import sarif as S
from testing.git_repo import guards_cli, pr_repo

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text())
URI_REF = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
B, H = "a" * 40, "b" * 40


def doc_for(*results: GuardResult) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render(Report(B, H, results), "sarif", {}))
    return doc


def check_code_scanning(doc: dict[str, Any]) -> None:
    """The schema, plus what code scanning adds: required fields non-empty, limits, locations."""
    jsonschema.validate(doc, SCHEMA)
    assert doc["version"] == "2.1.0" and doc["$schema"] and len(doc["runs"]) == 1
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "guards" and 0 < len(rules) <= 25_000
    assert len({r["id"] for r in rules}) == len(rules), "rule ids must be unique"
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert 0 < len(r[key]["text"]) <= 1024, (r["id"], key)
        assert r["defaultConfiguration"]["level"] in ("note", "warning", "error")
    assert len(run["results"]) <= 25_000
    for res in run["results"]:
        assert res["message"]["text"] and rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert 1 <= len(res["locations"]) <= 10
        phys = res["locations"][0]["physicalLocation"]
        uri = phys["artifactLocation"]["uri"]
        assert URI_REF.fullmatch(uri) and not SCHEME.match(uri) and not uri.startswith("/")
        assert phys["region"]["startLine"] >= 1
        assert re.fullmatch(
            r"[0-9a-f]{16}:[0-9]+", res["partialFingerprints"]["primaryLocationLineHash"]
        )


FAIL = Finding("changes_in_scope", Outcome.FAIL, "src/x.py is out of scope", path="src/x.py")
MIXED = (
    GuardResult(
        "manifest-scope",
        (
            FAIL,
            Finding("ticket_identified", Outcome.FAIL, "no ticket id found"),
            Finding("changes_in_scope", Outcome.PASS, "3 path(s) checked"),
        ),
    ),
    GuardResult("skip-set", (Finding("guard_evaluated", Outcome.ERROR, "base not in clone"),)),
    GuardResult("protected-branch", (Finding("some_new_rule", Outcome.UNKNOWN, "not readable"),)),
    GuardResult("spec-ref", (Finding("x", Outcome.WARN, "w", path="a.md", line=7),)),
)


def test_mixed_report_is_valid_for_code_scanning() -> None:
    doc = doc_for(*MIXED)
    check_code_scanning(doc)
    run = doc["runs"][0]
    got = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert got == [
        ("manifest-scope/changes_in_scope", "error"),
        ("manifest-scope/ticket_identified", "error"),
        ("skip-set/guard_evaluated", "error"),
        ("protected-branch/some_new_rule", "warning"),
        ("spec-ref/x", "warning"),
    ], "pass findings are not results; warn/unknown are warnings"
    assert run["invocations"][0]["executionSuccessful"] is False
    totals = {"manifest-scope": 2, "protected-branch": 1, "skip-set": 1, "spec-ref": 1}
    assert run["properties"] == {"base": B, "head": H, "totals": totals}  # nothing omitted


def test_every_rule_has_its_help_text() -> None:
    rules = {r["id"]: r for r in doc_for()["runs"][0]["tool"]["driver"]["rules"]}
    for guard, table in all_rules().items():
        assert f"{guard}/guard_evaluated" in rules
        for name, rule in table.items():
            described = rules[f"{guard}/{name}"]
            assert described["shortDescription"]["text"] == rule.statement
            assert rule.remediation in described["help"]["text"]
            assert rule.remediation in described["help"]["markdown"]
            assert described["properties"]["tags"] == ["guards", guard]


def test_a_clean_run_has_no_results_and_succeeds() -> None:
    doc = doc_for(GuardResult("manifest-scope", (Finding("changes_in_scope", Outcome.PASS, "ok"),)))
    check_code_scanning(doc)
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_finding_without_path_is_placed_on_the_policy_file_and_says_so() -> None:
    (res,) = doc_for(GuardResult("manifest-scope", (MIXED[0].findings[1],)))["runs"][0]["results"]
    (loc,) = res["locations"]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "guards.yaml"
    assert loc["physicalLocation"]["region"] == {"startLine": 1}
    assert "guards.yaml" in loc["message"]["text"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("src/a.py", "src/a.py"),
        ("docs/with space.md", "docs/with%20space.md"),
        ("odd#name?.md", "odd%23name%3F.md"),
        ("c:colon/x", "c%3Acolon/x"),
        ("100%.txt", "100%25.txt"),
        ("café/ü.py", "caf%C3%A9/%C3%BC.py"),
        ("line\nbreak::x", "line%0Abreak%3A%3Ax"),
        ("bytes\udcff.bin", "bytes%FF.bin"),
    ],
)
def test_paths_become_relative_uri_references(path: str, uri: str) -> None:
    assert S.uri(path) == uri
    doc = doc_for(
        GuardResult("manifest-scope", (Finding("changes_in_scope", Outcome.FAIL, path, path=path),))
    )
    check_code_scanning(doc)
    assert (
        unquote(
            doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
                "uri"
            ],
            errors="surrogateescape",
        )
        == path
    )


def test_line_goes_into_the_region() -> None:
    f = Finding("x", Outcome.FAIL, "m", path="a.py", line=42)
    assert S.location(f)["physicalLocation"]["region"] == {"startLine": 42}


def test_fingerprints_are_stable_and_distinct() -> None:
    moved = Finding(FAIL.rule, FAIL.outcome, FAIL.message, path=FAIL.path, line=99)
    other = Finding(FAIL.rule, FAIL.outcome, "src/y.py is out of scope", path="src/y.py")
    assert S.fingerprint("manifest-scope", FAIL) == S.fingerprint("manifest-scope", moved)
    assert S.fingerprint("manifest-scope", FAIL) != S.fingerprint("manifest-scope", other)
    assert S.fingerprint("manifest-scope", FAIL) != S.fingerprint("skip-set", FAIL)
    first = doc_for(GuardResult("manifest-scope", (FAIL, other)))
    again = doc_for(GuardResult("manifest-scope", (other, FAIL)))
    prints = {r["message"]["text"]: r["partialFingerprints"] for r in first["runs"][0]["results"]}
    assert prints == {
        r["message"]["text"]: r["partialFingerprints"] for r in again["runs"][0]["results"]
    }


def test_identical_findings_get_numbered_fingerprints() -> None:
    results = doc_for(GuardResult("manifest-scope", (FAIL, FAIL)))["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert hashes[0].endswith(":1") and hashes[1].endswith(":2")
    assert hashes[0][:-2] == hashes[1][:-2]


def test_undecodable_message_is_still_utf8_json() -> None:
    f = Finding("x", Outcome.FAIL, "name \udcff here", path="p")
    text = render(Report(B, H, (GuardResult("g", (f,)),)), "sarif", {})
    text.encode("utf-8")  # strict: no lone surrogates reach the file
    assert json.loads(text)["runs"][0]["results"][0]["message"]["text"] == "name \ufffd here"


def test_cli_writes_a_valid_sarif_file_for_a_failing_pr(tmp_path: Path) -> None:
    repo, b, h = pr_repo(
        tmp_path / "r",
        {"scope/FR-1.yaml": 'allow: ["src/**"]\n', "src/a.py": "A = 1\n"},
        {"src/b.py": "B = 1\n", "docs/out of scope.md": "x\n"},
        branch="FR-1-work",
    )
    out = tmp_path / "guards.sarif"
    args = ["run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "manifest-scope"]
    result = guards_cli(*args, "--format", "sarif", "--output", str(out))
    assert result.code == 1, result.stderr
    assert result.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_code_scanning(doc)
    (res,) = doc["runs"][0]["results"]
    assert res["ruleId"] == "manifest-scope/changes_in_scope"
    assert (
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "docs/out%20of%20scope.md"
    )
    assert doc["runs"][0]["properties"] == {"base": b, "head": h, "totals": {"manifest-scope": 1}}
