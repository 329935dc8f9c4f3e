"""skip-set's second witness with the REAL go toolchain: ``go test -json`` at base and head
(no network: the module has no dependencies, GOPROXY=off); go missing is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from testing.git_repo import GitRepo, guards_cli, pr_repo

CACHE = Path.home() / ".cache" / "guards-tests" / "go-build"
GO_MOD = "module example.com/calc\n\ngo 1.19\n"
CALC = "package calc\n\nfunc Add(a, b int) int { return a + b }\n"
TESTS = """package calc

import "testing"

func TestAdd(t *testing.T) {
	if Add(1, 1) != 2 {
		t.Fatal("add")
	}
}

func TestSub(t *testing.T) {
	t.Run("small numbers", func(t *testing.T) {})
}
"""
SKIPPED = TESTS.replace(
    "func TestAdd(t *testing.T) {\n", 'func TestAdd(t *testing.T) {\n\tt.Skip("slow")\n'
)
# TestSub moves behind a build tag CI never sets: go test no longer sees it
TAGGED = (
    '//go:build integration\n\npackage calc\n\nimport "testing"\n\nfunc TestSub'
    + TESTS.split("func TestSub")[1]
)


@pytest.fixture(scope="session")
def go() -> str:
    found = shutil.which("go")
    if found is None:
        pytest.fail("go is not on PATH: the go report tests need the go toolchain")
    return found


def go_test(go: str, repo: GitRepo, rev: str, report: Path) -> None:
    repo.git("checkout", "-q", rev)
    env = {
        **os.environ,
        "GOCACHE": str(CACHE),
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOPATH": str(report.parent / "gopath"),
    }
    with report.open("wb") as out:
        subprocess.run([go, "test", "-json", "./..."], cwd=repo.path, env=env, stdout=out,
                       check=True)  # fmt: skip # -- a packed call reads better here


def test_t_skip_and_a_build_tag_fail_naming_the_tests(go: str, tmp_path: Path) -> None:
    base_files = {"go.mod": GO_MOD, "calc.go": CALC, "calc_test.go": TESTS}
    head_files = {"calc_test.go": SKIPPED.split("func TestSub")[0], "sub_test.go": TAGGED}
    repo, base, head = pr_repo(tmp_path / "repo", base_files, head_files)
    go_test(go, repo, base, tmp_path / "base.json")
    go_test(go, repo, head, tmp_path / "head.json")
    result = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head, "--only", "skip-set",
        "--format", "json", "--base-report", str(tmp_path / "base.json"),
        "--head-report", str(tmp_path / "head.json"),
    )  # fmt: skip # -- a packed call reads better here
    assert result.code == 1, result.stdout + result.stderr
    found = {f["test"]: f for g in result.json()["guards"] for f in g["findings"]}
    assert set(found) == {
        "example.com/calc::TestAdd",
        "example.com/calc::TestSub",
        "example.com/calc::TestSub/small_numbers",
    }
    assert found["example.com/calc::TestAdd"]["rule"] == "skip_set_not_grown"
    # the static Go collector names the same test (same identity) and is reported first
    said = found["example.com/calc::TestAdd"]["message"]
    assert "calc_test.go:6: slow" in said or "t.Skip() in the test, line 6" in said
    assert found["example.com/calc::TestSub"]["rule"] == "tests_still_run"
