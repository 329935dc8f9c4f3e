"""commit-format end to end (real repositories and commits, the real CLI) and its pure checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.checks.commit_format.subject import cites, format_problems, is_fixup
from guards.config import CommitFormatSettings
from guards.core.git import Git
from testing.git_repo import CliResult, GitRepo, guards_cli

GOOD = "feat(cp): FR-CP-001 add engine"


def branch(tmp_path: Path, *messages: str, config: str | None = None) -> tuple[GitRepo, str]:
    """main with one commit (and CONFIG as guards.yaml), then one commit per message on feature."""
    repo = GitRepo(tmp_path / "r")
    repo.write({"src/a.py": "A = 0\n", "guards.yaml": config or "commit-format: {}\n"})
    base = repo.commit("chore: base")
    repo.branch("feature")
    for n, message in enumerate(messages):
        repo.write({f"src/f{n}.py": f"X = {n}\n"})
        repo.git("commit", "-q", "--no-verify", "--cleanup=verbatim", "-m", message)
    return repo, base


def run(repo: GitRepo, base: str, *extra: str) -> CliResult:
    return guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", "HEAD",
        "--only", "commit-format", "--ticket", "FR-CP-001", "--format", "json", *extra,
    )  # fmt: skip # -- a packed call reads better here


def failing(result: CliResult) -> list[str]:
    (guard,) = result.json()["guards"]
    return [f["rule"] for f in guard["findings"] if f["outcome"] == "fail"]


def test_wip_commit_is_named(tmp_path: Path) -> None:
    repo, base = branch(tmp_path, "wip", GOOD)
    wip = repo.rev("HEAD~1")
    result = run(repo, base)
    assert result.code == 1
    messages = [f["message"] for f in result.json()["guards"][0]["findings"]]
    assert all(m.startswith(f"commit {wip[:12]}: 'wip'") for m in messages), messages
    assert set(failing(result)) == {
        "no_fixup_commits",
        "commits_well_formed",
        "commits_cite_ticket",
    }


def test_good_commits_pass(tmp_path: Path) -> None:
    repo, base = branch(tmp_path, GOOD, "test(cp): add cases\n\nRefs: FR-CP-001\n")
    result = run(repo, base)
    assert result.code == 0, result.stdout
    assert result.json()["guards"][0]["status"] == "pass"


def merged_branch(tmp_path: Path, config: str | None = None) -> GitRepo:
    """feature has GOOD, then a merge of a newer main (git's default merge message)."""
    repo, _ = branch(tmp_path, GOOD, config=config)
    repo.git("checkout", "-q", "main")
    repo.write({"src/main.py": "M = 1\n"})
    repo.commit("chore: on main")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "main")
    return repo


def test_merge_commits_skipped_unless_configured(tmp_path: Path) -> None:
    repo = merged_branch(tmp_path / "a")
    assert run(repo, repo.rev("main")).code == 0  # the PR's base is main as it is now
    repo = merged_branch(tmp_path / "b", config="commit-format:\n  skip-merges: false\n")
    result = run(repo, repo.rev("main"))
    assert failing(result) == ["commits_well_formed", "commits_cite_ticket"]
    assert "Merge branch 'main' into feature" in result.stdout


def test_pr_title_judged_where_configured(tmp_path: Path) -> None:
    repo, base = branch(tmp_path, "wip", config="commit-format:\n  judge: pr-title\n")
    assert run(repo, base, "--pr-title", GOOD).code == 0
    result = run(repo, base, "--pr-title", "Add the engine")
    assert result.code == 1 and "PR title" in result.stdout


def test_message_is_data_not_a_shell_command(tmp_path: Path) -> None:
    hostile = "feat(cp): FR-CP-001 $(touch pwned) `touch pwned2`\n\n::error::injected\n"
    repo, base = branch(tmp_path, hostile)
    result = run(repo, base)
    assert result.code == 0
    assert not (repo.path / "pwned").exists() and not (repo.path / "pwned2").exists()
    text = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--only", "commit-format",
        "--ticket", "FR-CP-002", "--format", "github",
    )  # fmt: skip # -- a packed call reads better here
    assert text.code == 1 and "\n::error::injected" not in text.stdout


def test_bad_config_is_exit_2(tmp_path: Path) -> None:
    repo, base = branch(tmp_path, GOOD, config="commit-format:\n  judge: squash\n")
    result = run(repo, base)
    assert result.code == 2 and "commit-format.judge" in result.stderr


def test_git_trailers_follow_git_rules(tmp_path: Path) -> None:
    repo, _ = branch(tmp_path, GOOD)
    git = Git(repo.path)
    assert git.trailers("s\n\nbody\n\nRefs: A-1\nSigned-off-by: X <x@y>\n") == (
        ("Refs", "A-1"),
        ("Signed-off-by", "X <x@y>"),
    )
    assert git.trailers("s\n\nRefs: A-1\n\nmore prose\n") == ()
    (commit,) = git.commits(repo.rev("main"), repo.rev("HEAD"))
    assert (commit.subject, commit.parents, commit.is_merge) == (GOOD, (repo.rev("main"),), False)


SETTINGS = CommitFormatSettings()


@pytest.mark.parametrize(
    ("subject", "ok"),
    [
        (GOOD, True),
        ("fix: FR-CP-001 typo", True),
        ("feat(cp)!: FR-CP-001 drop v1", True),
        ("feat(cp): FR-CP-001 add engine ", False),
        ("f\u0435at(cp): FR-CP-001 add engine", False),
        ("feat(cp)\uff1a FR-CP-001 add engine", False),
        ("feat(cp): ", False),
        ("Feat(cp): x", False),
        ("feature(cp): x", False),
        ("feat(cp): " + "x" * 70, False),
    ],
)
def test_format(subject: str, ok: bool) -> None:
    assert (not list(format_problems(subject, SETTINGS))) is ok


@pytest.mark.parametrize(
    ("subject", "trailers", "ok"),
    [
        (GOOD, (), True),
        ("feat: add (FR-CP-001)", (), True),
        ("feat: add", (("Refs", "FR-CP-002, FR-CP-001"),), True),
        ("feat: FR-CP-0011 add", (), False),
        ("feat: XFR-CP-001 add", (), False),
        ("feat: fr-cp-001 add", (), False),
        ("feat: add", (("See", "FR-CP-001"),), False),
    ],
)
def test_cites(subject: str, trailers: tuple[tuple[str, str], ...], ok: bool) -> None:
    assert cites("FR-CP-001", subject, trailers) is ok


@pytest.mark.parametrize(
    ("subject", "fixup"),
    [("wip", True), ("WIP: x", True), ("[wip] x", True), ("fixup! x", True), ("squash! x", True),
     ("amend! x", True), (GOOD, False), ("feat: wipe cache", False)],
)  # fmt: skip # -- a packed call reads better here
def test_is_fixup(subject: str, fixup: bool) -> None:
    assert is_fixup(subject) is fixup


def test_the_guard_is_opt_in(tmp_path: Path) -> None:
    """Without a commit-format section at base the guard does not apply (exit 0)."""
    repo, base = branch(tmp_path, "wip", config="skip-set: {}\n")
    result = run(repo, base)
    assert result.code == 0, result.stdout
    assert result.json()["guards"][0]["status"] == "not-applicable"
