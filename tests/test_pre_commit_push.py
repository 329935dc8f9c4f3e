"""The shipped pre-commit hooks, through a real ``git push`` to a local bare remote.

pre-commit hands its hooks only the first ref of a push and runs none for deletions, so
``guards-prepush`` refuses a push whose git command line shows more than it was handed, and the
README says what no pre-commit hook can refuse (a deletion alone) and what to use instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from protected_support import Clone, clone_with_remote

from guards.checks.protected_branch import pre_commit_push
from guards.commands import hook_install as hook

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
README = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


def pre_commit_env(clone: Clone, tmp: Path) -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)
    return {
        **clone.work.env,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
    }


def install_pre_commit(clone: Clone, tmp: Path, hook_ids: tuple[str, ...]) -> dict[str, str]:
    """The shipped hooks as a `repo: local` config (same entries), installed at pre-push."""
    hooks = [{**h, "language": "system"} for h in MANIFEST if h["id"] in hook_ids]
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    clone.work.write({".pre-commit-config.yaml": yaml.safe_dump(config)})
    clone.work.commit("pre-commit config")
    env = pre_commit_env(clone, tmp)
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--hook-type", "pre-push"],
        cwd=clone.work.path,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def push(clone: Clone, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """A real ``git push origin ARGS``; pre-commit prints hook output on stdout, so stderr
    carries both."""
    return subprocess.run(
        ["git", "push", "origin", *args],
        cwd=clone.work.path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


@pytest.fixture
def clone(tmp_path: Path) -> Clone:
    c = clone_with_remote(tmp_path)
    c.work.git("checkout", "-q", "-b", "topic")
    c.work.write({"a.txt": "a\n"})
    c.work.commit("topic work")
    return c


def test_two_refs_through_pre_commit_are_refused(clone: Clone, tmp_path: Path) -> None:
    env = install_pre_commit(clone, tmp_path, ("guards-prepush",))
    before = clone.remote_rev("refs/heads/main")
    result = push(clone, env, "topic", "topic:main")
    assert result.returncode != 0, result.stdout
    assert "names 2 refspecs" in result.stdout and "guards hook install" in result.stdout
    assert clone.remote_rev("refs/heads/main") == before
    assert clone.remote_rev("refs/heads/topic") is None


def test_a_deletion_with_another_ref_is_refused(clone: Clone, tmp_path: Path) -> None:
    env = install_pre_commit(clone, tmp_path, ("guards-prepush",))
    result = push(clone, env, "topic", ":release/1.0")
    assert result.returncode != 0 and "names 2 refspecs (topic :release/1.0)" in result.stdout
    assert clone.remote_rev("refs/heads/release/1.0") == clone.first


def test_one_topic_branch_through_pre_commit_is_allowed(clone: Clone, tmp_path: Path) -> None:
    env = install_pre_commit(clone, tmp_path, ("guards-prepush",))
    result = push(clone, env, "topic")
    assert result.returncode == 0, result.stdout
    assert clone.remote_rev("refs/heads/topic") == clone.work.rev("topic")


def test_a_push_to_main_through_pre_commit_is_refused(clone: Clone, tmp_path: Path) -> None:
    env = install_pre_commit(clone, tmp_path, ("guards-prepush",))
    result = push(clone, env, "topic:main")
    assert result.returncode != 0 and "no_direct_push" in result.stdout


def test_guards_hook_over_pre_commit_refuses_the_deletion(clone: Clone, tmp_path: Path) -> None:
    """A deletion alone reaches no pre-commit hook; guards' own hook, chaining pre-commit's,
    sees it. The README says so where the hooks are described."""
    env = install_pre_commit(clone, tmp_path, ("guards-prepush",))
    assert "runs no hook at all for a push that only deletes" in README
    hook.main(str(clone.work.path), with_run=False)
    result = push(clone, env, "--delete", "release/1.0")
    assert result.returncode == 1 and "no_branch_deletion" in result.stdout
    assert clone.remote_rev("refs/heads/release/1.0") == clone.first


@pytest.mark.parametrize(
    ("argv", "configured", "matching", "why"),
    [
        (None, [], False, None),
        (["git", "push", "origin", "topic"], [], False, None),
        (["git", "push", "-u", "origin", "topic"], [], False, None),
        (["git", "-C", "x", "push", "-o", "ci.skip", "origin", "topic"], [], False, None),
        (["git", "push"], [], False, None),
        (["git", "push", "origin", "topic", "main"], [], False, "names 2 refspecs"),
        (["git", "push", "origin", "--", "topic", "main"], [], False, "names 2 refspecs"),
        (["git", "push", "origin", ":release/1.0"], [], False, "may update several"),
        (["git", "push", "origin", "+:x"], [], False, "may update several"),
        (["git", "push", "origin", "refs/heads/*"], [], False, "may update several"),
        (["git", "push", "-fd", "origin", "x"], [], False, "uses -fd"),
        (["git", "push", "--all", "origin"], [], False, "uses --all"),
        (["git", "push", "--mirror"], [], False, "uses --mirror"),
        (["git", "push", "--tags", "origin"], [], False, "uses --tags"),
        (["git", "push", "--prune", "origin", "x"], [], False, "uses --prune"),
        (["git", "push", "origin"], ["a", "b"], False, "configuration pushes several"),
        (["git", "push"], [], True, "configuration pushes several"),
        (["git", "p", "origin", "x"], [], False, "cannot tell which refs"),
    ],
)
def test_what_pre_commit_did_not_pass_on(
    argv: list[str] | None, configured: list[str], matching: bool, why: str | None
) -> None:
    reason = pre_commit_push.unseen(argv, configured, matching)
    assert (reason is None) if why is None else (reason is not None and why in reason)
