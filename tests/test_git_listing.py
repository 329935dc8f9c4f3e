"""``Git.sized_files`` (guards/core/git.py): one ``git ls-tree -l`` read as it comes, counted
as it comes, and git stopped once the count passes the bound. The count must be exact across
the pipe's reads (a ``.py\\0`` split between two of them is still one), the answer the whole
listing's when within the bound, and a failure git's own message."""

from __future__ import annotations

import subprocess

import pytest

from guards.core import git as git_module
from guards.core.git import Git
from guards.errors import GuardsError
from testing.git_repo import ScratchRepo

PYTHON = 1_300  # about 110 KB of listing: the pipe is read in several parts


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str]:
    repo = ScratchRepo(tmp_path_factory.mktemp("listing") / "repo")
    files = {f"pkg{i % 7}/module_with_a_long_name_{i:05}.py": f"X = {i}\n" for i in range(PYTHON)}
    files |= {f"data/{i}.txt": "x\n" for i in range(50)} | {"README": "r\n"}
    repo.write(files)
    return Git(str(repo.path)), repo.commit()


def _oracle(git: Git, rev: str) -> dict[str, tuple[str, int]]:
    out = subprocess.run(
        ["git", "ls-tree", "-r", "-l", "-z", rev], cwd=git.root, capture_output=True, check=True
    ).stdout
    found = {}
    for entry in filter(None, out.split(b"\0")):
        meta, _, name = entry.partition(b"\t")
        _, _, oid, size = meta.decode().split()
        if name.endswith(b".py"):
            found[name.decode()] = (oid, int(size))
    return found


def test_within_the_bound_the_whole_listing_is_read(tree: tuple[Git, str]) -> None:
    git, rev = tree
    assert git.sized_files(rev, ".py", PYTHON) == _oracle(git, rev)
    assert len(_oracle(git, rev)) == PYTHON


@pytest.mark.parametrize("most", [0, 1, PYTHON // 2, PYTHON - 1])
def test_past_the_bound_is_none(tree: tuple[Git, str], most: int) -> None:
    git, rev = tree
    assert git.sized_files(rev, ".py", most) is None


@pytest.mark.parametrize("size", [1, 2, 3, 5, 77])
def test_a_name_split_between_reads_is_counted_once(
    tree: tuple[Git, str], monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """Reads of SIZE bytes split ``.py\\0`` at every offset, and across several reads."""
    git, rev = tree
    monkeypatch.setattr(git_module, "READ_SIZE", size)
    assert git.sized_files(rev, ".py", PYTHON) == _oracle(git, rev)
    assert git.sized_files(rev, ".py", PYTHON - 1) is None


def test_a_revision_git_cannot_list_is_its_message(tree: tuple[Git, str]) -> None:
    git, _ = tree
    with pytest.raises(GuardsError, match="git ls-tree -r -z failed: fatal: not a tree object"):
        git.sized_files("f" * 40, ".py", PYTHON)
