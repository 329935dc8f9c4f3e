"""ListedTree (manifest-scope's per-folder listings) answers every lookup as ``Git.entry`` does.

A real repository with folders, links (to a file, to a folder, dangling), a file where a
folder would be, odd names (spaces, a newline, non-ASCII, a non-UTF-8 byte), and every path
asked both ways; then the process count: one ``ls-tree`` per folder, however many lookups.
"""

from __future__ import annotations

import os

import pytest

from guards.checks.manifest_scope.listed_tree import ListedTree
from guards.core.git import Git
from guards.errors import GuardsError
from testing.git_repo import ScratchRepo

ODD = os.fsdecode(b"odd/caf\xe9.py")  # a name that is not UTF-8


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str]:
    repo = ScratchRepo(tmp_path_factory.mktemp("listed") / "repo")
    repo.write(
        {
            "README.md": "x\n",
            "src/a/x.py": "x\n",
            "src/a/deep/y.py": "y\n",
            "src/b c/with space.py": "z\n",
            "src/new\nline.py": "n\n",
            "src/\u00fcber.py": "u\n",
            "secrets/key.py": "k\n",
        }
    )
    (repo.path / "odd").mkdir()
    (repo.path / ODD).write_text("o\n")
    repo.symlink({"src/a/k": "../../secrets", "src/a/f.py": "x.py", "src/a/gone": "nowhere"})
    return Git(repo.path), repo.commit("tree")


ASKED = [
    "README.md", "src", "src/a", "src/a/x.py", "src/a/deep", "src/a/deep/y.py", "src/a/k",
    "src/a/k/key.py", "src/a/f.py", "src/a/gone", "src/a/x.py/inner", "src/b c",
    "src/b c/with space.py", "src/new\nline.py", "src/\u00fcber.py", "secrets", "secrets/key.py",
    "missing", "missing/deeper/x", "src/a/../a/x.py", "./src", "src//a", "/src", "odd", ODD,
]  # fmt: skip # -- one path after another reads better than one a line


@pytest.mark.parametrize("path", ASKED)
def test_an_entry_is_what_git_entry_says(built: tuple[Git, str], path: str) -> None:
    git, head = built
    assert answer(ListedTree(git, head), head, path) == answer(git, head, path)


def answer(git: Git, rev: str, path: str) -> tuple[str, str] | str | None:
    """The entry, or the message of the error git's own lookup gives (``/src``: outside)."""
    try:
        return git.entry(rev, path)
    except GuardsError as exc:
        return str(exc)


def test_another_revision_is_asked_of_git(built: tuple[Git, str]) -> None:
    git, head = built
    tree = ListedTree(git, "not-the-head")
    assert tree.entry(head, "src/a/x.py") == git.entry(head, "src/a/x.py") is not None
    assert tree.listed == ()


def test_one_listing_per_folder(built: tuple[Git, str]) -> None:
    git, head = built
    tree = ListedTree(git, head)
    for path in ["src/a/x.py", "src/a/f.py", "src/a/k", "src/a/deep/y.py", "src/a/deep"] * 20:
        tree.entry(head, path)
    assert sorted(tree.listed) == ["src/a", "src/a/deep"]
