"""Large changes keep every guard visible: annotations, the summary and SARIF, shared fairly.

Before: with 7,500 skip-set findings all 10 annotations were skip-set ones, the summary ended
with an empty spec-ref table, and SARIF held 25,100 results (code scanning rejects > 25,000).
"""

from __future__ import annotations

import json

from workflow_commands import commands

from guards.finding import Finding, GuardResult, Outcome
from guards.report import Report, github, github_summary, sarif, sarif_limits


def flood() -> Report:
    skips = tuple(
        Finding("skip_set_not_grown", Outcome.FAIL, f"tests/test_{i}.py::test_x is newly skipped",
                path=f"tests/test_{i}.py", line=3, test=f"tests/test_{i}.py::test_x")
        for i in range(25_090)
    )  # fmt: skip # -- a packed call reads better here
    scope = tuple(Finding("changes_in_scope", Outcome.FAIL, f"s{i} out", f"s{i}") for i in range(6))
    spec = (Finding("spec_cited", Outcome.FAIL, "cites no spec section"),) * 4
    results = [
        GuardResult("skip-set", skips),
        GuardResult("manifest-scope", scope),
        GuardResult("spec-ref", spec),
    ]
    return Report("a" * 40, "b" * 40, results)


def test_annotations_give_every_guard_a_share() -> None:
    errors = [c for c in commands(github.render(flood())) if c.name == "error"]
    titles = [c.properties["title"].split(":")[0] for c in errors]
    assert len(errors) == 10
    assert titles.count("manifest-scope") >= 3 and titles.count("spec-ref") >= 3


def test_summary_keeps_totals_and_rows_of_every_guard() -> None:
    text = github_summary.summary(flood())
    assert len(text.encode()) <= github_summary.SUMMARY_LIMIT
    assert "| skip-set | fail | 0 | 25090 | 0 | 0 | 0 |" in text
    spec_table = text.split("### spec-ref: fail", 1)[1]
    assert spec_table.count("| fail | spec\\_cited |") == 4  # not an empty table
    assert "more skip-set finding(s) not shown" in text
    assert "guards-report" in text


def test_sarif_is_capped_and_says_what_was_left_out() -> None:
    doc = json.loads(sarif.render(flood()))
    (run,) = doc["runs"]
    assert len(run["results"]) == sarif_limits.MAX_RESULTS
    guards = [r["properties"]["guard"] for r in run["results"]]
    assert guards.count("spec-ref") == 4 and guards.count("manifest-scope") == 6
    assert run["properties"]["omitted"] == {"skip-set": 100}
    assert run["properties"]["totals"]["skip-set"] == 25_090
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "100 result(s) left out (100 of skip-set)" in note["message"]["text"]


def test_sarif_byte_cap_holds_for_the_rendered_file() -> None:
    big = "x" * 2_000
    results = [
        GuardResult("skip-set", tuple(Finding("r", Outcome.FAIL, f"{i} {big}", f"p{i}")
                                      for i in range(400))),
        GuardResult("spec-ref", (Finding("spec_cited", Outcome.FAIL, "none"),)),
    ]  # fmt: skip # -- a packed call reads better here
    log = sarif.sarif_log(results, "a", "b")
    run = log["runs"][0]
    kept, omitted = sarif_limits.cap(run["results"], 0, max_bytes=300_000, max_gzip=10_000)
    assert omitted and "spec-ref" not in omitted
    assert sum(sarif_limits.size(r) for r in kept) <= 300_000
    assert any(r["properties"]["guard"] == "spec-ref" for r in kept)
