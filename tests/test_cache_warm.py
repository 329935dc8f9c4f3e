"""``guards cache warm`` (guards/collect/python/sources/warming.py), through the real CLI and git.

After a warm at the base, a pull request's run stores only its head side (every base-side file
is read from the cache), and says what a cold run says; a second warm analyzes nothing and
marks the tree's entries recent; a file that does not parse is counted, not an error; the work
stops at the cache's bound; a SHA-256 repository is warmed by reading its blobs; with the cache
off there is nothing to warm (exit 2, naming the variable). The suppressions guard's comment
records of the files that hold a hint are warmed too, and its run at head then reads the base
side's instead of parsing it; so is what a conftest's ignore list's function returns.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from guards.checks.suppressions import remembered
from guards.checks.suppressions.model import Comment
from guards.collect.cache import for_git
from guards.collect.python.linking import ignores
from guards.collect.python.parsing.facts import IgnoreList
from guards.collect.python.sources import warming
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo, guards_cli

FILES = {
    "tests/helpers.py": "import pytest\n\n\ndef needs_db():\n    pytest.skip('no db')\n",
    "tests/test_a.py": "from tests.helpers import needs_db\n\n\ndef test_x():\n    needs_db()\n",
    "tests/test_b.py": "def test_y():\n    pass\n",
    "src/app.py": "def add(a, b):\n    return a + b\n",
    "README.md": "not Python\n",
}
HEAD = {"tests/test_b.py": "import pytest\n\n\n@pytest.mark.skip\ndef test_y():\n    pass\n"}


def _entries(root: Path) -> set[Path]:
    return {p for p in root.glob("*/*/*") if not p.name.startswith(".")}


def _warm(repo: GitRepo, root: Path, *args: str) -> dict[str, object]:
    env = {"GUARDS_CACHE_DIR": str(root)}
    result = guards_cli("cache", "warm", "--repo", str(repo.path), *args, "--format", "json",
                        env=env)  # fmt: skip # -- one call
    assert result.code == 0, result.stderr
    doc: dict[str, object] = result.json()
    return doc


def _run(repo: GitRepo, base: str, head: str, cache: str) -> tuple[int, str]:
    args = ["run", "--repo", str(repo.path), "--base", base, "--head", head, "--only", "skip-set"]
    result = guards_cli(*args, "--format", "text", env={"GUARDS_CACHE_DIR": cache})
    return result.code, result.stdout


def test_after_a_warm_base_a_run_stores_only_its_head_side(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    base = repo.commit("base")
    repo.write(HEAD)
    head = repo.commit("head")
    root = tmp_path / "cache"
    warmed = _warm(repo, root, "--rev", base)
    assert warmed == {"rev": base, "files": 4, "cached": 0, "analyzed": 4, "unanalyzable": 0,
                      "left": 0, "reach": True, "comments": 0}  # fmt: skip # -- one record
    before = _entries(root)
    assert len(before) == 6  # four files' facts, base's reach record and its disguised files
    code, out = _run(repo, base, head, str(root))
    assert code == 1 and "tests/test_b.py::test_y" in out
    added = _entries(root) - before
    assert len(added) == 2  # tests/test_b.py at head, and head's reach record
    assert _run(repo, base, head, "off") == (code, out)


def test_a_warm_after_the_push_s_run_keeps_the_files_no_search_of_bytes_judges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The push's run leaves its head's reach in the cache, so the warm at that head reads it
    and searches nothing: the disguised files it keeps all the same spare the next pull request
    a search of the tree (sources/disguised.py)."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    before = repo.commit("before")
    repo.write({"tests/wide.py": "\uff53kip = 1\n", **HEAD})
    pushed = repo.commit("pushed")
    root = tmp_path / "cache"
    _run(repo, before, pushed, str(root))
    _warm(repo, root, "--rev", pushed)
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(root))
    git = Git(str(repo.path))
    monkeypatch.setattr(git, "grep_bytes", lambda *_a, **_k: pytest.fail("searched the tree"))
    assert Revision(git, pushed).disguised == {"tests/wide.py"}


IGNORING = {
    "conftest.py": "from helpers.lists import blacklist\n\ncollect_ignore = blacklist()\n",
    "helpers/__init__.py": "",
    "helpers/lists.py": "def blacklist():\n    return ['tests/test_a.py']\n",
}


def test_the_ignore_lists_conftests_call_are_warmed(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write({**FILES, **IGNORING})
    base = repo.commit("base")
    repo.write(HEAD)
    head = repo.commit("head")
    root = tmp_path / "cache"
    _warm(repo, root, "--rev", base)
    records = {p for p in _entries(root) if ignores.decode(p.read_bytes()) is not None}
    assert [ignores.decode(p.read_bytes()) for p in records] == [IgnoreList(("tests/test_a.py",))]
    before = _entries(root)
    code, out = _run(repo, base, head, str(root))
    assert code == 1 and "tests/test_b.py::test_y" in out
    added = _entries(root) - before
    assert not [p for p in added if ignores.decode(p.read_bytes()) is not None]  # read, not made
    assert _run(repo, base, head, "off") == (code, out)


HINTED = {
    "src/lint.py": "import os  # noqa: F401 -- re-exported\n",
    "src/mixed.py": "X = 1  # NoQa -- any case\n",
    "src/prose.py": "TEXT = '# noqa -- a word in a string'\n",  # in a string: holds none
    "src/broken.py": "def broken(:  # noqa -- no parse\n",  # does not parse: not stored
}


def test_the_comments_of_hinted_files_are_warmed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write({**FILES, **HINTED})
    repo.commit("base")
    root = tmp_path / "cache"
    assert _warm(repo, root)["comments"] == 3
    assert _warm(repo, root)["comments"] == 0  # found by their blob ids, none read again
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(root))
    git = Git(repo.path)
    cache = for_git(git)

    def refused() -> list[Comment]:
        raise AssertionError("read again")

    data = HINTED["src/lint.py"].encode()
    found = remembered.comments(cache, "py", data, refused)
    assert [c.text for c in found] == ["# noqa: F401 -- re-exported"]
    assert remembered.comments(cache, "py", HINTED["src/prose.py"].encode(), refused) == []
    with pytest.raises(AssertionError, match="read again"):
        remembered.comments(cache, "py", b"Y = 2  # noqa -- never stored\n", refused)


def test_a_second_warm_analyzes_nothing_and_marks_the_entries_recent(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    repo.commit("base")
    root = tmp_path / "cache"
    _warm(repo, root)
    old = 1_000_000_000
    for entry in _entries(root):
        os.utime(entry, (old, old))
    again = _warm(repo, root)
    assert (again["cached"], again["analyzed"]) == (4, 0)
    facts = [p for p in _entries(root) if p.stat().st_mtime > old]
    assert len(facts) == 4  # the reach record is read, not rewritten: only facts are touched


def test_a_file_that_does_not_parse_is_counted(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write({**FILES, "src/broken.py": "def broken(:\n"})
    repo.commit("base")
    warmed = _warm(repo, tmp_path / "cache")
    assert (warmed["files"], warmed["analyzed"], warmed["unanalyzable"]) == (5, 4, 1)
    text = guards_cli("cache", "warm", "--repo", str(repo.path),
                      env={"GUARDS_CACHE_DIR": str(tmp_path / "cache")})  # fmt: skip # -- one call
    assert text.code == 0
    assert "5 Python file(s)" in text.stdout and "1 that cannot be analyzed" in text.stdout


def test_the_work_stops_at_the_cache_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "".join(f"def test_{n}():\n    assert {n}\n\n\n" for n in range(60))
    repo = GitRepo(tmp_path / "repo")
    repo.write({f"tests/test_{i:03d}.py": body for i in range(300)})
    repo.commit("base")
    monkeypatch.setattr(warming, "BATCH", 50)
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GUARDS_CACHE_MAX_MB", "1")
    git = Git(repo.path)
    warmed = warming.warm(git, git.resolve("HEAD", "rev"))
    assert warmed.left > 0 and warmed.analyzed + warmed.left == 300
    stored = sum(p.stat().st_size for p in _entries(tmp_path / "cache"))
    assert 0 < stored <= 1 << 20


def test_a_sha256_repository_is_warmed_from_its_blobs(tmp_path: Path) -> None:
    path = tmp_path / "repo"
    path.mkdir()
    subprocess.run(["git", "init", "-q", "--object-format=sha256", str(path)], check=True)
    repo = GitRepo(path)
    repo.write(FILES)
    base = repo.commit("base")
    assert len(base) == 64
    root = tmp_path / "cache"
    assert _warm(repo, root)["analyzed"] == 4
    assert _warm(repo, root)["analyzed"] == 0  # the second warm finds them by their bytes


def test_with_the_cache_off_there_is_nothing_to_warm(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    repo.commit("base")
    result = guards_cli("cache", "warm", "--repo", str(repo.path),
                        env={"GUARDS_CACHE_DIR": "off"})  # fmt: skip # -- one call
    assert result.code == 2
    assert "GUARDS_CACHE_DIR" in result.stderr and "Traceback" not in result.stderr


def test_a_revision_that_does_not_resolve_is_exit_2(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    repo.commit("base")
    env = {"GUARDS_CACHE_DIR": str(tmp_path / "cache")}
    args = ("cache", "warm", "--repo", str(repo.path), "--rev", "no-such-branch")
    result = guards_cli(*args, env=env)
    assert result.code == 2
    assert "no-such-branch" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "cache").exists()
