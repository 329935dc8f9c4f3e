"""spec-ref end to end: real repositories, the real CLI, exit codes, messages and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testing.git_repo import CliResult, guards_cli, pr_repo

SPEC = """# Planner spec v1.0.0

## §4 Composition

### 4.1 Inputs

Inputs are YAML.

### 4.2 Plan format

A plan is a list of steps.

## 5. Execution

Steps run in order.
"""
CONFIG = "spec-ref:\n  spec: [SPEC.md]\n"
BASE = {"guards.yaml": CONFIG, "SPEC.md": SPEC, "src/plan/x.py": "X = 1\n"}
HEAD = {"src/plan/x.py": "X = 2\n"}


def run(
    tmp: Path,
    body: str | None,
    *extra: str,
    base: dict[str, str | None] | None = None,
    head: dict[str, str | None] | None = None,
    fmt: str = "json",
) -> CliResult:
    repo, b, h = pr_repo(tmp / "repo", BASE if base is None else base, head or HEAD)
    args = ["run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "spec-ref"]
    if body is not None:
        body_file = tmp / "body.md"
        body_file.write_bytes(body.encode())
        args += ["--pr-title", "FR-1: plan steps", "--pr-body-file", str(body_file)]
    return guards_cli(*args, "--format", fmt, *extra)


def findings(result: CliResult) -> list[dict[str, object]]:
    (guard,) = result.json()["guards"]
    return [f for f in guard["findings"] if f["outcome"] == "fail"]


def test_missing_section_names_what_exists(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.3 (retries).\n")
    assert result.code == 1
    (finding,) = findings(result)
    assert finding["rule"] == "spec_section_exists"
    assert (finding["path"], finding["line"]) == ("SPEC.md", 3)
    assert finding["message"] == (
        "§4.3 (cited in the PR body (line 1) as '§4.3') does not exist in the spec at base; "
        "§4 has 4.1, 4.2; cite an existing section, e.g. 'Implements §4.2 Plan format'"
    )


def test_text_report(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.3.\n", fmt="text")
    assert result.code == 1
    assert "fail spec_section_exists [SPEC.md:3]: §4.3" in result.stdout


def test_citation_only_in_a_comment_fails(tmp_path: Path) -> None:
    result = run(tmp_path, "Adds retries.\n\n<!-- Implements §4.2 -->\n")
    assert result.code == 1
    (finding,) = findings(result)
    assert finding["rule"] == "spec_cited"
    assert "'§4.2' in the PR body (line 3) is inside an HTML comment" in str(finding["message"])
    assert "(from --pr-title/--pr-body-file)" in str(finding["message"])


def test_valid_citation_passes_with_a_pass_finding(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.2.\n")
    assert result.code == 0, result.stdout
    (guard,) = result.json()["guards"]
    assert guard["status"] == "pass"
    assert guard["findings"] == [
        {
            "rule": "spec_section_exists",
            "outcome": "pass",
            "message": "cites §4.2 Plan format (SPEC.md:9)",
            "path": "SPEC.md",
            "line": 9,
        }
    ]


def test_body_from_stdin(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "repo", BASE, HEAD)
    result = guards_cli(
        *("run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "spec-ref"),
        *("--pr-body-file", "-", "--format", "json"),
        stdin="Implements Section 4.1\n",
    )
    assert result.code == 0, result.stdout + result.stderr


def test_null_body_in_the_event(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "repo", BASE, HEAD)
    payload = {"pull_request": {"number": 3, "title": "Plan steps", "body": None}}
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    result = guards_cli(
        *("run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "spec-ref"),
        *("--event-path", str(event), "--event-name", "pull_request", "--format", "json"),
    )
    assert result.code == 1
    (finding,) = findings(result)
    assert "(read from the event payload)" in str(finding["message"])


def test_no_pr_text_is_not_applicable(tmp_path: Path) -> None:
    result = run(tmp_path, None)
    assert result.code == 0
    (guard,) = result.json()["guards"]
    assert guard["status"] == "not-applicable" and "--pr-body-file" in guard["note"]


def test_no_spec_configured_is_not_applicable(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.2\n", base={"a.py": "A = 1\n"}, head={"a.py": "A = 2\n"})
    assert result.code == 0
    (guard,) = result.json()["guards"]
    assert guard["status"] == "not-applicable"
    assert "no spec-ref section and SPEC.md does not exist" in guard["note"]


def test_default_spec_applies_without_config(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.9\n", base={"SPEC.md": SPEC, "src/plan/x.py": "X\n"})
    assert result.code == 1
    assert findings(result)[0]["rule"] == "spec_section_exists"


CONFIG_ERRORS = [
    ({"guards.yaml": CONFIG, "x": "x"}, "spec document SPEC.md (spec-ref.spec in guards.yaml@"),
    ({"guards.yaml": "spec-ref: {}\n", "x": "x"}, "spec document SPEC.md"),
    ({"guards.yaml": "spec-ref:\n  spec: [docs/spec.md]\n", "SPEC.md": SPEC}, "docs/spec.md"),
    ({"guards.yaml": CONFIG, "SPEC.md": "## 4 A\n\n## 4 B\n"}, "§4 is defined twice"),
    ({"guards.yaml": CONFIG, "SPEC.md": "# Just prose\n"}, "has no numbered section headings"),
    ({"guards.yaml": "spec-ref:\n  spec: []\n", "SPEC.md": SPEC}, "spec-ref.spec is empty"),
    (
        {"guards.yaml": CONFIG + '  sections: {"4.9": ["src/**"]}\n', "SPEC.md": SPEC},
        "spec-ref.sections names §4.9, which the spec does not have",
    ),
    (
        {"guards.yaml": CONFIG + '  sections: {"four": ["src/**"]}\n', "SPEC.md": SPEC},
        "'four' is not a section number",
    ),
    (
        {
            "guards.yaml": CONFIG,
            "SPEC.md": SPEC,
            "scope/FR-1.yaml": "allow: ['**']\nsections: [7]\n",
        },
        "scope/FR-1.yaml: sections names §7",
    ),
    (
        {"guards.yaml": CONFIG, "SPEC.md": "---\nversion: 1\n---\n# S v2\n\n## 1 A\n"},
        "make them agree",
    ),
]


@pytest.mark.parametrize(("base", "message"), CONFIG_ERRORS)
def test_config_errors_exit_2(tmp_path: Path, base: dict[str, str | None], message: str) -> None:
    result = run(tmp_path, "Implements §4.2\n", base=base, head={"new.txt": "n\n"})
    assert result.code == 2, result.stdout
    (guard,) = result.json()["guards"]
    assert guard["status"] == "error"
    assert message in guard["findings"][0]["message"]


def test_spec_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    repo, _, h = pr_repo(tmp_path / "repo", {"guards.yaml": CONFIG, "x": "x"}, {"y": "y"})
    (repo.path / "SPEC.md").write_bytes(b"## 4 \xff\xfe\n")
    repo.git("add", "SPEC.md")
    repo.git("commit", "-q", "-m", "spec")
    sha = repo.git("rev-parse", "HEAD").strip()
    result = guards_cli(
        *("run", "--repo", str(repo.path), "--base", sha, "--head", h, "--only", "spec-ref"),
        *("--pr-title", "§4", "--format", "json"),
    )
    assert result.code == 2 and "not UTF-8" in result.stdout


def test_huge_body_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.2\n" * 100_000)
    assert result.code == 2
    (guard,) = result.json()["guards"]
    assert "1,600,000 characters, more than the 131,072 guards reads" in str(guard["findings"])


def test_ticket_sections_and_path_map(tmp_path: Path) -> None:
    base = {
        "guards.yaml": CONFIG + '  sections:\n    "4.2": ["src/plan/**"]\n',
        "SPEC.md": SPEC,
        "scope/FR-1.yaml": "allow: ['**']\nsections: ['4.2']\n",
        "src/plan/x.py": "X = 1\n",
    }
    result = run(tmp_path, "Implements §5.\n", base=base)
    assert result.code == 1
    assert {(f["rule"], f["path"]) for f in findings(result)} == {
        ("ticket_sections_cited", "scope/FR-1.yaml"),
        ("change_addresses_section", "src/plan/x.py"),
    }


def test_every_finding_is_reported_at_once(tmp_path: Path) -> None:
    result = run(tmp_path, "Implements §4.7, spec v9 §4.2 and §§4.1\u20134.8.\n")
    assert result.code == 1
    rules = [f["rule"] for f in findings(result)]
    assert rules == ["spec_section_exists", "spec_section_exists", "spec_version_matches"]


def test_policy_edits_in_the_pr_do_not_count(tmp_path: Path) -> None:
    head = {"SPEC.md": SPEC + "\n### 5.1 Retries\n\ntext\n", "guards.yaml": "spec-ref: {}\n"}
    result = run(tmp_path, "Implements §5.1.\n", head=head)
    assert result.code == 1
    (finding,) = findings(result)
    assert "§5.1 is added to SPEC.md by this PR itself" in str(finding["message"])
