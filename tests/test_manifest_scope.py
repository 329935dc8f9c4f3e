"""manifest-scope end to end: real repositories, the real CLI, exit codes and JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testing.git_repo import CliResult, GitRepo, guards_cli, pr_repo, shallow_clone

SCOPE = {"scope/FR-1.yaml": 'allow: ["src/a/**", "tests/test_a.py"]\ndeny: ["src/a/secrets/**"]\n'}
BASE = {**SCOPE, "src/a/x.py": "X = 1\n" * 10, "src/b/y.py": "Y = 1\n", "README.md": "hi\n"}


def run(
    repo: GitRepo, base: str, head: str, *extra: str, env: dict[str, str] | None = None
) -> CliResult:
    return guards_cli(
        "run",
        "--repo",
        str(repo.path),
        "--base",
        base,
        "--head",
        head,
        "--only",
        "manifest-scope",
        "--format",
        "json",
        *extra,
        env=env,
    )


def failing(result: CliResult) -> list[tuple[str, str | None]]:
    (guard,) = result.json()["guards"]
    return [(f["rule"], f["path"]) for f in guard["findings"] if f["outcome"] == "fail"]


def test_in_scope_change_passes(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"src/a/x.py": "X = 2\n", "tests/test_a.py": "t"})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 0, result.stderr
    doc = result.json()
    assert doc["schema"] == 1 and doc["ok"] is True and (doc["base"], doc["head"]) == (b, h)
    assert doc["guards"][0]["status"] == "pass"


def test_must_show_scenario(tmp_path: Path) -> None:
    """Rename out of scope, a symlink out of scope, and an edit of its own scope file."""
    repo, b, h = pr_repo(
        tmp_path / "r",
        BASE,
        {"scope/FR-1.yaml": 'allow: ["**"]\n'},
        renames={"src/a/x.py": "src/b/x.py"},
        symlinks={"src/a/link": "../b/y.py"},
    )
    result = run(repo, b, h, "--pr-title", "FR-1: tidy up")
    assert result.code == 1
    assert sorted(failing(result)) == [
        ("changes_in_scope", "scope/FR-1.yaml"),
        ("changes_in_scope", "src/b/x.py"),
        ("symlink_targets_in_scope", "src/a/link"),
    ]


@pytest.mark.parametrize(
    ("head", "kw", "expected"),
    [
        ({"src/b/y.py": None}, {}, [("changes_in_scope", "src/b/y.py")]),
        ({}, {"modes": {"src/b/y.py": "100755"}}, [("changes_in_scope", "src/b/y.py")]),
        ({"src/a/secrets/k.py": "k"}, {}, [("changes_in_scope", "src/a/secrets/k.py")]),
        ({}, {"renames": {"src/b/y.py": "src/a/y.py"}}, [("changes_in_scope", "src/b/y.py")]),
        (
            {},
            {"symlinks": {"src/a/up": "../../../../etc/passwd"}},
            [("symlink_targets_in_scope", "src/a/up")],
        ),
        (
            {"src/a/new file \u00e9.py": "x", "docs/new\nline.md": "x"},
            {},
            [("changes_in_scope", "docs/new\nline.md")],
        ),
    ],
)
def test_every_path_counts(tmp_path: Path, head: dict, kw: dict, expected: list) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, head, **kw)
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 1 and failing(result) == expected


def test_submodule_pointer_counts(tmp_path: Path) -> None:
    repo, b, _ = pr_repo(tmp_path / "r", BASE, {})
    repo.submodule_pointer("vendor/lib", "2" * 40)
    h = repo.commit("vendor")
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 1 and failing(result) == [("changes_in_scope", "vendor/lib")]
    assert "submodule pointer" in result.stdout


def test_loosened_scope_at_head_gains_nothing(tmp_path: Path) -> None:
    repo, b, h = pr_repo(
        tmp_path / "r",
        {**BASE, "guards.yaml": "manifest-scope: {deny: ['src/b/**']}\n"},
        {"guards.yaml": "{}\n", "scope/FR-1.yaml": "allow: ['**']\n", "src/b/y.py": "Y = 2\n"},
    )
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 1
    assert sorted(failing(result)) == [
        ("changes_in_scope", "guards.yaml"),
        ("changes_in_scope", "scope/FR-1.yaml"),
        ("changes_in_scope", "src/b/y.py"),
    ]
    assert "deny pattern 'src/b/**' in guards.yaml" in result.stdout


def test_ticket_from_branch_name_and_env(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"src/a/x.py": "2"}, branch="feat/FR-1-x")
    assert run(repo, b, h).code == 0
    assert run(repo, b, h, env={"GUARDS_TICKET": "FR-2"}).code == 1


def test_no_ticket_and_no_scope_file_fail_with_advice(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"src/a/x.py": "2"}, branch="wip")
    no_ticket = run(repo, b, h)
    assert no_ticket.code == 1 and failing(no_ticket) == [("ticket_identified", None)]
    no_scope = run(repo, b, h, "--ticket", "FR-404")
    assert no_scope.code == 1 and failing(no_scope) == [("scope_file_exists", None)]
    assert "scope/FR-404.yaml" in no_scope.stdout


def test_scope_file_added_by_the_pr_itself_does_not_count(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"scope/FR-7.yaml": "allow: ['**']\n", "z": "z"})
    result = run(repo, b, h, "--ticket", "FR-7")
    assert result.code == 1 and failing(result) == [("scope_file_exists", None)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("allow: src/a/**\n", "scope/FR-1.yaml: allow: 'src/a/\\*\\*' is not of type 'array'"),
        ("deny: [x]\n", "'allow' is a required property"),
        ("allow: [a\n", "scope/FR-1.yaml: not valid YAML"),
        ("- a\n", "expected a mapping"),
    ],
)
def test_invalid_scope_file_is_exit_2(tmp_path: Path, text: str, message: str) -> None:
    repo, b, h = pr_repo(tmp_path / "r", {**BASE, "scope/FR-1.yaml": text}, {"src/a/x.py": "2"})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 2
    (guard,) = result.json()["guards"]
    assert guard["status"] == "error"
    assert re.search(message, guard["findings"][0]["message"])


def test_shallow_clone_is_exit_2_with_fetch_depth(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"src/a/x.py": "2"})
    clone = tmp_path / "clone"
    shallow_clone(repo, clone)
    result = guards_cli("run", "--repo", str(clone), "--base", b, "--head", h, "--ticket", "FR-1")
    assert result.code == 2
    assert f"base commit {b} is not in this clone; use fetch-depth: 0" in result.stderr
    assert "error gate_evaluated: could not evaluate: base commit" in result.stdout  # a report


def test_unknown_guard_is_usage_error(tmp_path: Path) -> None:
    repo, _b, _h = pr_repo(tmp_path / "r", BASE, {})
    result = guards_cli("run", "--repo", str(repo.path), "--only", "nope")
    assert result.code == 2 and "unknown guard nope" in result.stderr


def test_text_report_is_readable(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"src/b/y.py": "2"})
    result = guards_cli(
        "run",
        "--repo",
        str(repo.path),
        "--base",
        b,
        "--head",
        h,
        "--only",
        "manifest-scope",
        "--ticket",
        "FR-1",
    )
    assert result.code == 1
    assert "FAIL  manifest-scope" in result.stdout
    assert (
        "src/b/y.py (modified) is out of scope: no allow pattern in scope/FR-1.yaml matched"
        in result.stdout
    )
    assert result.stdout.rstrip().endswith("violations found (exit 1)")


def test_non_utf8_name_is_judged_not_crashed(tmp_path: Path) -> None:
    repo, b, _ = pr_repo(tmp_path / "r", BASE, {})
    name = b"src/b/bad\xffname.py".decode("utf-8", "surrogateescape")
    (repo.path / name).write_text("x")
    repo.git("add", "-A")
    h = repo.commit("bytes")
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 1, result.stdout + result.stderr
    assert "bad" in failing(result)[0][1]


def test_names_that_look_like_pathspec_magic(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {":(glob)x": "1", "src/a/*": "2"})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 1 and failing(result) == [("changes_in_scope", ":(glob)x")]


# ---- symlinks resolved through the head tree (issue 19) ------------------------------------


def _with_base_link(tmp_path: Path, link: dict[str, str]) -> tuple[GitRepo, str, str]:
    """A base that already holds a symlink (src/a/shortcut -> ../../secrets), and a PR that
    adds LINK."""
    repo = GitRepo(tmp_path / "r")
    repo.write({**BASE, "secrets/key.py": "KEY = 1\n", "src/a/sub/y.py": "Y = 1\n"})
    repo.symlink({"src/a/shortcut": "../../secrets", "src/a/inside": "sub"})
    base = repo.commit("base")
    repo.symlink(link)
    return repo, base, repo.commit("head")


def test_link_through_a_link_already_in_the_tree(tmp_path: Path) -> None:
    """src/a/k -> shortcut/key.py reads as src/a/shortcut/key.py (allowed) by string
    arithmetic; through the tree it lands on secrets/key.py."""
    repo, b, h = _with_base_link(tmp_path, {"src/a/k": "shortcut/key.py"})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 1, result.stderr
    assert failing(result) == [("symlink_targets_in_scope", "src/a/k")]
    (guard,) = result.json()["guards"]
    assert "opens secrets/key.py" in guard["findings"][0]["message"]


def test_link_through_an_in_scope_link_passes(tmp_path: Path) -> None:
    repo, b, h = _with_base_link(tmp_path, {"src/a/k": "inside/y.py"})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 0, result.stdout


def test_link_to_a_denied_folder_itself(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {}, symlinks={"src/a/k": "secrets"})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert failing(result) == [("symlink_targets_in_scope", "src/a/k")]
    (guard,) = result.json()["guards"]
    assert "opens src/a/secrets/" in guard["findings"][0]["message"]
