"""skip-set end to end: real repositories, the real CLI, exit codes and the JSON contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testing.git_repo import GitRepo, guards_cli, pr_repo

TEST_A = "import pytest\n\n\ndef test_x():\n    assert True\n\n\ndef test_y():\n    assert True\n"
SKIPPING = TEST_A.replace("def test_x():\n", "def test_x():\n    pytest.skip('later')\n")
BROKEN = "def test_broken(:\n"


def run(repo: Path, base: str, head: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    result = guards_cli(
        "run", "--repo", str(repo), "--base", base, "--head", head, "--only", "skip-set",
        "--format", "json", *extra,
    )  # fmt: skip # -- a packed argument list reads better than one item a line
    doc = result.json() if result.stdout.strip() else {}
    return result.code, doc, result.stderr


def findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for g in doc["guards"] for f in g["findings"]]


def test_a_newly_skipped_test_fails_with_node_id_kind_and_line(tmp_path: Path) -> None:
    _, base, head = pr_repo(tmp_path, {"tests/test_a.py": TEST_A}, {"tests/test_a.py": SKIPPING})
    code, doc, _ = run(tmp_path, base, head)
    assert code == 1
    (finding,) = findings(doc)
    assert finding == {
        "rule": "skip_set_not_grown",
        "outcome": "fail",
        "message": "tests/test_a.py::test_x is newly skipped (pytest.skip() in body, line 5)",
        "path": "tests/test_a.py",
        "line": 5,
        "test": "tests/test_a.py::test_x",
    }


def test_a_test_file_that_does_not_parse_at_head_is_exit_2(tmp_path: Path) -> None:
    _, base, head = pr_repo(tmp_path, {"tests/test_a.py": TEST_A}, {"tests/test_a.py": BROKEN})
    code, doc, _ = run(tmp_path, base, head)
    assert code == 2
    (finding,) = findings(doc)
    assert finding["outcome"] == "error"
    assert "tests/test_a.py:1: does not parse" in finding["message"]


def test_only_files_the_change_can_affect_are_read(tmp_path: Path) -> None:
    """An unparsable test file elsewhere is never read when the PR does not touch its scope."""
    base_files = {"tests/test_a.py": TEST_A, "tests/legacy/test_old.py": BROKEN}
    _, base, head = pr_repo(tmp_path, base_files, {"tests/test_a.py": TEST_A + "\n# edit\n"})
    assert run(tmp_path, base, head)[0] == 0


def test_a_conftest_change_widens_the_scope_to_its_subtree(tmp_path: Path) -> None:
    base_files = {"tests/test_a.py": TEST_A, "tests/legacy/test_old.py": BROKEN}
    _, base, head = pr_repo(tmp_path, base_files, {"tests/legacy/conftest.py": "X = 1\n"})
    code, doc, _ = run(tmp_path, base, head)
    assert code == 2
    assert "tests/legacy/test_old.py" in findings(doc)[0]["message"]


def test_a_config_change_that_is_not_about_pytest_does_not_widen(tmp_path: Path) -> None:
    base_files = {"pyproject.toml": '[project]\nname = "a"\n', "tests/test_old.py": BROKEN}
    _, base, head = pr_repo(tmp_path, base_files, {"pyproject.toml": '[project]\nname = "b"\n'})
    assert run(tmp_path, base, head)[0] == 0


def test_skips_compare_merge_base_not_the_base_tip(tmp_path: Path) -> None:
    """A skip that landed on main after the PR forked is not the PR's doing."""
    repo = GitRepo(tmp_path)
    repo.write({"tests/test_a.py": TEST_A})
    fork = repo.commit("base")
    repo.branch("feature")
    repo.write({"tests/test_b.py": "def test_b():\n    assert True\n"})
    head = repo.commit("feature work")
    repo.branch("main", fork)
    repo.write({"tests/test_a.py": SKIPPING})
    main_tip = repo.commit("skip on main")
    code, doc, _ = run(tmp_path, main_tip, head)
    assert code == 0, doc


def test_removed_tests_policy(tmp_path: Path) -> None:
    fewer = "def test_x():\n    assert True\n"
    for policy, code, outcomes in (
        ("fail", 1, ["fail"]),
        ("warn", 0, ["warn"]),
        ("ignore", 0, ["pass"]),
    ):
        folder = tmp_path / policy
        base_files = {
            "guards.yaml": f"skip-set:\n  removed-tests: {policy}\n",
            "tests/test_a.py": TEST_A,
        }
        _, base, head = pr_repo(folder, base_files, {"tests/test_a.py": fewer})
        got, doc, _ = run(folder, base, head)
        assert (got, [f["outcome"] for f in findings(doc)]) == (code, outcomes)


def test_the_pytest_collector_runs_real_collection(tmp_path: Path) -> None:
    marked = TEST_A.replace("def test_y", "@pytest.mark.xfail\ndef test_y")
    base_files = {"guards.yaml": "skip-set:\n  collector: pytest\n", "tests/test_a.py": TEST_A}
    _, base, head = pr_repo(tmp_path, base_files, {"tests/test_a.py": marked})
    code, doc, _ = run(tmp_path, base, head)
    assert code == 1
    assert findings(doc)[0]["test"] == "tests/test_a.py::test_y"
    assert "seen by pytest" in findings(doc)[0]["message"]


def test_paths_setting_limits_the_guard(tmp_path: Path) -> None:
    config = "skip-set:\n  paths: [tests/unit]\n"
    base_files = {
        "guards.yaml": config,
        "tests/unit/test_u.py": TEST_A,
        "tests/e2e/test_e.py": TEST_A,
    }
    head_files = {"tests/e2e/test_e.py": SKIPPING}
    _, base, head = pr_repo(tmp_path, base_files, head_files)
    assert run(tmp_path, base, head)[0] == 0
