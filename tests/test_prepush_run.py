"""The installed hook judges each pushed ref's tip against its base, through real git pushes.

Before: the hook ran ``guards run`` on HEAD, so a clean checkout pushed a violating branch and a
tag push or a deletion from a dirty, violating checkout was refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from protected_support import Clone, clone_with_remote

from guards.commands import hook_install as hook

POLICY = {
    "README.md": "# app\n",
    "guards.yaml": "manifest-scope: {dir: scope}\n",
    "scope/FR-1.yaml": "allow: ['src/**']\n",
}


@pytest.fixture
def clone(tmp_path: Path) -> Clone:
    c = clone_with_remote(tmp_path, POLICY)
    work = c.work
    work.git("checkout", "-q", "-b", "FR-1-bad", "origin/main")
    work.write({"outside.txt": "not in scope\n"})
    work.commit("FR-1: out of scope")
    work.git("checkout", "-q", "-b", "FR-1-good", "origin/main")
    work.write({"src/a.py": "A = 1\n"})
    work.commit("FR-1: in scope")
    work.git("checkout", "-q", "main")
    hook.main(str(work.path), with_run=True)
    return c


def test_a_violating_branch_is_refused_from_a_clean_checkout(clone: Clone) -> None:
    code, err = clone.push("FR-1-bad")
    assert code != 0, err
    assert clone.remote_rev("refs/heads/FR-1-bad") is None


def test_a_good_branch_is_allowed_while_head_is_a_bad_one(clone: Clone) -> None:
    clone.work.git("checkout", "-q", "FR-1-bad")
    code, err = clone.push("FR-1-good")
    assert code == 0, err
    assert "pushed branch FR-1-good" in err
    assert clone.remote_rev("refs/heads/FR-1-good") == clone.work.rev("FR-1-good")


def test_each_ref_of_a_push_is_judged(clone: Clone) -> None:
    code, err = clone.push("FR-1-good", "FR-1-bad")
    assert code != 0 and "pushed branch FR-1-bad" in err
    assert clone.remote_rev("refs/heads/FR-1-good") is None  # nothing is pushed


def test_tag_and_deletion_pass_from_a_dirty_violating_checkout(clone: Clone) -> None:
    work = clone.work
    assert clone.push("FR-1-good")[0] == 0
    work.git("checkout", "-q", "FR-1-bad")
    work.write({"outside.txt": "dirty\n", "more.txt": "untracked\n"})
    work.git("tag", "v1.0", "FR-1-bad")
    code, err = clone.push("v1.0")
    assert code == 0, err
    assert clone.remote_rev("refs/tags/v1.0") == work.rev("FR-1-bad")
    code, err = clone.push("--delete", "FR-1-good")
    assert code == 0, err
    assert clone.remote_rev("refs/heads/FR-1-good") is None
