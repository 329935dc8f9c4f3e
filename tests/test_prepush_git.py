"""The pre-push layer end to end: `guards hook install`, then real `git push` to a bare remote."""

from __future__ import annotations

from pathlib import Path

import pytest
from protected_support import Clone, clone_with_remote

from guards.commands import hook_install as hook
from testing.git_repo import guards_cli


@pytest.fixture
def clone(tmp_path: Path) -> Clone:
    c = clone_with_remote(tmp_path)
    assert hook.main(str(c.work.path), with_run=False) == 0
    c.work.write({"src/app.py": "X = 1\n"})
    c.work.commit("work")
    return c


def test_push_head_to_main_is_refused(clone: Clone) -> None:
    code, err = clone.push("HEAD:main")
    assert code != 0
    assert "no_direct_push" in err and "main, a protected branch" in err
    assert clone.remote_rev("refs/heads/main") == clone.first  # nothing reached the remote


def test_push_from_a_detached_head_is_refused(clone: Clone) -> None:
    clone.work.git("checkout", "-q", "--detach", "HEAD")
    code, err = clone.push("HEAD:refs/heads/main")
    assert code != 0 and "no_direct_push" in err
    assert clone.remote_rev("refs/heads/main") == clone.first


def test_a_new_feature_branch_is_accepted(clone: Clone) -> None:
    clone.work.branch("feature")
    code, err = clone.push("feature")
    assert code == 0, err
    assert clone.remote_rev("refs/heads/feature") == clone.work.rev("HEAD")
    assert "guards prepush: ok" in err


def test_deleting_a_release_branch_is_refused(clone: Clone) -> None:
    code, err = clone.push(":release/1.0")
    assert code != 0 and "no_branch_deletion" in err and "release/1.0" in err
    assert clone.remote_rev("refs/heads/release/1.0") == clone.first


def test_deleting_a_feature_branch_is_accepted(clone: Clone) -> None:
    clone.work.branch("feature")
    assert clone.push("feature")[0] == 0
    code, err = clone.push("--delete", "feature")
    assert code == 0, err
    assert clone.remote_rev("refs/heads/feature") is None


def test_force_push_of_main_is_refused(clone: Clone) -> None:
    clone.work.git("push", "-q", "--no-verify", "origin", "HEAD:main")  # main moves on (a merge)
    clone.work.git("reset", "-q", "--hard", clone.first)
    clone.work.write({"other.txt": "rewritten\n"})
    clone.work.commit("rewrite")
    code, err = clone.push("--force", "HEAD:main")
    assert code != 0 and "no_force_push" in err and "not an ancestor" in err


def test_force_push_of_a_feature_branch_only_when_blocked_everywhere(tmp_path: Path) -> None:
    policy = "protected-branch:\n  block-force-push-everywhere: true\n"
    clone = clone_with_remote(tmp_path, {"guards.yaml": policy})
    hook.main(str(clone.work.path), with_run=False)
    clone.work.branch("feature")
    clone.work.write({"a.txt": "1\n"})
    clone.work.commit("a")
    assert clone.push("feature")[0] == 0
    clone.work.git("commit", "-q", "--amend", "-m", "amended")
    code, err = clone.push("--force", "feature")
    assert code != 0 and "no_force_push" in err


def test_policy_comes_from_origin_head_not_the_pushed_branch(clone: Clone) -> None:
    clone.work.write({"guards.yaml": "protected-branch:\n  branches: []\n"})
    clone.work.commit("loosen the gate")
    code, err = clone.push("HEAD:main")
    assert code != 0 and "read at refs/remotes/origin/HEAD" in err


def test_tags_are_not_branches(clone: Clone) -> None:
    clone.work.git("tag", "main")
    code, err = clone.push("refs/tags/main")
    assert code == 0, err


def test_pre_commit_variables_stand_in_for_stdin(clone: Clone) -> None:
    """pre-commit does not forward the hook's stdin; its PRE_COMMIT_* variables say the same."""
    env = {
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main",
        "PRE_COMMIT_TO_REF": clone.work.rev("HEAD"),
        "PRE_COMMIT_FROM_REF": clone.first,
    }
    cwd = clone.work.path
    refused = guards_cli("prepush", "origin", "url", cwd=cwd, env=env)
    assert refused.code == 1 and "no_direct_push" in refused.stderr
    env["PRE_COMMIT_REMOTE_BRANCH"] = "refs/heads/topic"
    assert guards_cli("prepush", "origin", "url", cwd=cwd, env=env).code == 0
    assert guards_cli("prepush", "origin", "url", cwd=cwd).code == 0  # nothing to push


def test_malformed_input_is_exit_2(clone: Clone) -> None:
    result = guards_cli("prepush", "origin", "url", cwd=clone.work.path, stdin="refs/heads/x y\n")
    assert result.code == 2 and "pre-push input line" in result.stderr


# ---- a clone that never learned origin/HEAD (issue 19) -------------------------------------


def _without_remote_head(tmp_path: Path, policy: str) -> Clone:
    """`git init; git remote add; git fetch`: origin/main exists, origin/HEAD does not."""
    c = clone_with_remote(tmp_path, {"guards.yaml": policy})
    c.work.git("remote", "set-head", "origin", "--delete")
    assert hook.main(str(c.work.path), with_run=False) == 0
    return c


def test_no_origin_head_reads_the_target_branch_copy(tmp_path: Path) -> None:
    clone = _without_remote_head(tmp_path, "protected-branch:\n  branches: [trunk, main]\n")
    clone.work.git("push", "-q", "--no-verify", "origin", "HEAD:trunk")
    clone.work.git("fetch", "-q", "origin")
    clone.work.write({"guards.yaml": "protected-branch:\n  branches: []\n"})
    clone.work.commit("loosen the gate")
    code, err = clone.push("HEAD:trunk")
    assert code != 0 and "no_direct_push" in err
    assert "read at refs/remotes/origin/trunk" in err


def test_no_remote_refs_at_all_applies_the_defaults_tightened(tmp_path: Path) -> None:
    clone = _without_remote_head(tmp_path, "protected-branch:\n  branches: [develop]\n")
    clone.work.git("update-ref", "-d", "refs/remotes/origin/main")
    clone.work.git("update-ref", "-d", "refs/remotes/origin/release/1.0")
    clone.work.write({"src/app.py": "X = 1\n"})
    clone.work.commit("work")
    for target in ("main", "develop"):
        code, err = clone.push(f"HEAD:{target}")
        assert code != 0 and "no_direct_push" in err, err
        assert "defaults tightened by guards.yaml" in err and "may only add" in err
    assert clone.push("HEAD:topic")[0] == 0
