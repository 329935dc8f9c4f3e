"""The whole tree's word searches (guards/collect/python/sources/words.py) on real git
repositories: held in memory and searched by ``git grep`` they find the same files and lines,
a head side reads only the blobs its base does not hold, a head side whose tree is not held
takes its base's search and finds what git finds in its own tree on any change (and its
disguised files are kept by its commit), a tree past the bounds is searched by git, and the
parallel blob reader keeps order and fails closed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards.collect.python.sources import reach, revision, words
from guards.collect.python.sources.revision import Revision
from guards.core import git as git_module
from guards.core.changes import load_changes
from guards.core.git import Git
from guards.errors import GuardsError
from testing.git_repo import ScratchRepo

TREE: dict[str, bytes] = {
    "lib/plain.py": b"from lib import helpers\n\n\ndef run():\n    helpers.needs_net()\n",
    "lib/crlf.py": b"import os\r\nfrom tests.test_base import (\r\n    needs_net,\r\n)\r\n",
    "lib/cont.py": b"from tests.sub import \\\n    test_gpu\nx = 1  # import nothing\n",
    "lib/wide.py": "def f():\n    \uff53kip = 1\n    return \uff53kip\n".encode(),
    "lib/latin.py": "# -*- coding: latin-1 -*-\nimport os  # caf\xe9 skip\n".encode("latin-1"),
    "lib/accent.py": "import os  # r\xe9sum\xe9 of test_ things\nskipper = 2\n".encode(),
    "tests/test_base.py": b"import pytest\n\n\ndef needs_net():\n    pytest.skip('net')\n",
    "tests/sub/test_gpu.py": b"import unittest\n\nclass T(unittest.TestCase):\n    pass\n",
    "docs/notes.txt": b"skip pytest import test_\n",
    "lib/cyr.py": "from lib import пропустить_net\n\ndef f():\n    лib.пропустить_net()\n".encode(),
    # A line PCRE could read otherwise than RE2: a CR inside it, a continuation after a tab and a
    # form feed, and a bracket before a byte PCRE's \v would count as a line's end (it is not).
    "lib/edges.py": b"test_x = 1\rimport y\nfrom tests import (\t\x0c\nimport os  # (\x85\n",
}
WORDS = [("skip",), ("pytest", "unittest"), ("needs_net",), ("helpers", "os"), ("nothing_said",),
         ("пропустить_net",), ("_net",)]  # fmt: skip # -- a name in another script: git's -w


def _repo(tmp_path: Path, files: dict[str, bytes]) -> tuple[Git, str]:
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(files)
    return Git(str(repo.path)), repo.commit()


def _held(git: Git, rev: str) -> Revision:
    held = Revision(git, rev)
    held.hold()
    assert held.held is not None
    return held


@pytest.mark.parametrize("said", WORDS, ids="-".join)
def test_held_and_grepped_trees_say_the_same_words(tmp_path: Path, said: tuple[str, ...]) -> None:
    git, rev = _repo(tmp_path, TREE)
    grepped = Revision(git, rev)
    assert words.saying(_held(git, rev), said) == words.saying(grepped, said)
    assert grepped.held is None  # it never held its tree: git answered


def test_a_name_in_another_script_is_a_word_as_git_reads_one(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, TREE)
    assert words.saying(_held(git, rev), ["пропустить_net"]) == {"lib/cyr.py"}
    assert words.saying(_held(git, rev), ["_net"]) == {"lib/cyr.py"}  # after a Cyrillic letter


def test_the_text_python_reads_is_searched_as_well_as_the_bytes(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, TREE)
    found = words.saying(_held(git, rev), ["skip"])
    assert found == {"lib/wide.py", "lib/latin.py", "tests/test_base.py"}  # not skipper


@pytest.mark.parametrize("near", [("test_",), ()], ids=["near", "every"])
def test_held_and_grepped_import_lines_agree(tmp_path: Path, near: tuple[str, ...]) -> None:
    git, rev = _repo(tmp_path, TREE)
    held_lines, held_differ = words.import_lines(_held(git, rev), near)
    lines, differ = words.import_lines(Revision(git, rev), near)
    assert sorted(held_lines) == sorted(lines) and held_differ == differ
    assert differ == {"lib/wide.py", "lib/latin.py", "lib/accent.py", "lib/cyr.py", "lib/edges.py"}
    assert ("lib/crlf.py", "from tests.test_base import (\r") in lines  # a line keeps its CR
    assert ("lib/cont.py", "from tests.sub import \\") in lines
    assert ("lib/edges.py", "test_x = 1\rimport y") in lines
    assert ("lib/edges.py", "from tests import (\t\x0c") in lines
    bracket = [line for path, line in lines if path == "lib/edges.py" and "# (" in line]
    assert len(bracket) == (0 if near else 1)  # said, but not continued by a \x85 byte


@pytest.mark.parametrize("near", [("test_",), ()], ids=["near", "every"])
def test_a_git_without_pcre_finds_the_same_import_lines(
    tmp_path: Path, near: tuple[str, ...]
) -> None:
    """``git grep -P`` fails in a git built without PCRE (exit 128): the lines come from its
    ``--and`` of extended regexes instead, the same ones."""
    git, rev = _repo(tmp_path, TREE)
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$a" = -P ] && { echo "fatal: cannot use Perl-compatible regexes'
        ' when not compiled with USE_LIBPCRE" >&2; exit 128; }; done\n'
        f'exec {shutil.which("git")} "$@"\n'
    )
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    without = Git(git.root, env=env)
    assert without.start_grep_perl(rev, "import")() is None  # the wrapper is the git it runs
    lines, differ = words.import_lines(Revision(without, rev), near)
    pcre_lines, pcre_differ = words.import_lines(Revision(git, rev), near)
    assert sorted(lines) == sorted(pcre_lines) and differ == pcre_differ and lines


def test_a_tree_past_the_bounds_begins_its_searches_before_the_reach_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reach.prepare begins the import lines' and the root words' ``git grep`` where the tree
    will not be held; the reach takes them (none is left begun) and is the one it was."""
    git, rev = _repo(tmp_path, TREE)
    monkeypatch.setattr(revision, "MAX_HELD_FILES", 0)
    alone = reach.reaching(Revision(git, rev))
    begun = Revision(git, rev)
    reach.prepare(begun)
    assert sorted(key[0] for key in begun.begun) == ["import_lines", "saying"]
    assert reach.reaching(begun) == alone and not begun.begun
    held = Revision(git, rev)
    monkeypatch.undo()
    reach.prepare(held)  # held: nothing is begun, the tree is read instead
    assert not held.begun and reach.reaching(held) == alone


def test_a_held_tree_split_between_two_threads_answers_as_one_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = _repo(tmp_path, TREE)
    held = _held(git, rev)

    def searched() -> list[object]:
        fresh = _held(git, rev)  # a revision searches its held tree once (Revision.searched)
        lines = [words.import_lines(fresh, near) for near in (("test_",), ())]
        return [*lines, *(words.saying(fresh, said) for said in WORDS)]

    whole = searched()
    splits: list[int] = []
    two = words._two

    def counted(search: Any, first: Any, second: Any) -> Any:
        splits.append(len(first) + len(second))
        return two(search, first, second)

    monkeypatch.setattr(words, "THREADED", 1)  # a tree of any size is split
    monkeypatch.setattr(words, "workers", lambda: 2)  # as on two cores, whatever this runner has
    monkeypatch.setattr(words, "_two", counted)
    assert searched() == whole  # the same files and lines, in the same order
    assert splits == [len(held.held or {})] * (2 + len(WORDS))  # every held file, split in two


def test_a_held_and_a_grepped_reach_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = _repo(tmp_path, TREE)
    held = reach.reaching(Revision(git, rev))  # a cold reach holds its tree
    assert held is not None and {"needs_net"} <= held.names
    monkeypatch.setattr(revision, "MAX_HELD_FILES", 0)  # git searches
    assert reach.reaching(Revision(git, rev)) == held


def test_what_the_other_thread_raises_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def search(files: list[tuple[str, bytes]]) -> list[str]:
        if files[0][0] == "a.py":
            raise GuardsError("the first half failed")
        return [path for path, _ in files]

    held = {"a.py": b"x" * 10, "b.py": b"y" * 10}
    monkeypatch.setattr(words, "THREADED", 1)
    monkeypatch.setattr(words, "workers", lambda: 2)
    with pytest.raises(GuardsError, match="the first half failed"):
        words._on_threads(search, held)


def test_a_tree_past_the_bounds_is_searched_by_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git, rev = _repo(tmp_path, TREE)
    monkeypatch.setattr(revision, "MAX_HELD", 100)  # bytes: the tree is larger
    listed: list[str] = []
    sized = git.sized_files
    monkeypatch.setattr(git, "sized_files", lambda *a: listed.append(a[0]) or sized(*a))
    past = Revision(git, rev)
    reach.prepare(past)  # begun early, as dependents.reached does: found past the bounds
    past.hold()
    assert past.held is None and listed == [rev]  # the tree is listed once, not again by hold
    assert words.saying(past, ["needs_net"]) == {
        "lib/plain.py",
        "lib/crlf.py",
        "tests/test_base.py",
    }


def test_a_head_side_reads_only_the_blobs_its_base_does_not_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = ScratchRepo(tmp_path / "repo")
    repo.write({"tests/test_base.py": "import pytest\n", "lib/other.py": "x = 1\n"})
    base_rev = repo.commit()
    repo.write({"tests/test_base.py": "import pytest\n\ndef needs_net():\n    pytest.skip()\n"})
    head_rev = repo.commit()
    git = Git(str(repo.path))
    base, head = Revision(git, base_rev), Revision(git, head_rev)
    head.share_reach(base, ["tests/test_base.py"])
    base.hold()
    asked: list[list[str]] = []
    real = git.start_reading

    def spy(oids: list[str], parts: int = 2) -> object:
        asked.append(list(oids))
        return real(oids, parts)

    monkeypatch.setattr(git, "start_reading", spy)
    assert head.held is not None and head.held["lib/other.py"] == b"x = 1\n"
    assert asked == [[git.list_files(head_rev)["tests/test_base.py"]]]
    assert words.saying(head, ["needs_net"]) == {"tests/test_base.py"}
    assert words.saying(base, ["needs_net"]) == set()


HEAD_EDITS: dict[str, bytes] = {
    "lib/plain.py": b"def run():\n    return 1\n",  # says no word of WORDS now
    "lib/new.py": b"from tests.test_base import needs_net\nneeds_net()\n",  # a new file
    "lib/wide.py": "\uff53kip = needs_net\n".encode(),  # its text still says skip, bytes don't
    "lib/latin.py": "# -*- coding: latin-1 -*-\nhelpers = 'caf\xe9'\n".encode("latin-1"),
}


@pytest.mark.parametrize("said", WORDS, ids="-".join)
def test_a_head_side_not_held_says_what_git_finds_in_its_tree_with_one_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: tuple[str, ...]
) -> None:
    """A primed run's sides hold no tree: the head takes its base's answer and reads again
    only what the change touched (a file changed, added, deleted), text as well as bytes."""
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(TREE)
    base_rev = repo.commit()
    repo.write({**HEAD_EDITS, "lib/accent.py": None})
    head_rev = repo.commit()
    git = Git(str(repo.path))
    monkeypatch.setattr(revision, "MAX_HELD", 100)  # bytes: neither side holds its tree
    expected = {rev: words.saying(Revision(git, rev), said) for rev in (base_rev, head_rev)}
    base, head = Revision(git, base_rev), Revision(git, head_rev)
    head.share_reach(base, [*HEAD_EDITS, "lib/accent.py", "docs/notes.txt"])
    searched: list[str] = []
    grep = git.grep_files
    monkeypatch.setattr(
        git, "grep_files", lambda rev, *a, **k: searched.append(rev) or grep(rev, *a, **k)
    )
    assert words.saying(head, said) == expected[head_rev]
    assert words.saying(base, said) == expected[base_rev]
    assert searched == [base_rev]  # one git grep for the change: the base's, the head takes it


PATHS = ("a.py", "lib/b.py", "tests/test_c.py", "lib/wide.py")
PIECES = (
    "x = skip\n",
    "import pytest\n",
    "\uff53kip = 1\n",
    "needs_net()\n",
    "# skip\n",
    "y = 2\n",
)
contents = st.lists(st.sampled_from(PIECES), max_size=3).map("".join)
trees = st.dictionaries(st.sampled_from(PATHS), contents, min_size=1)
edits = st.dictionaries(st.sampled_from(PATHS), st.none() | contents, min_size=1)


@settings(max_examples=25, deadline=None, database=None)
@given(trees, edits, st.sampled_from([("skip",), ("pytest", "needs_net"), ("nothing_said",)]))
def test_a_head_side_not_held_agrees_with_git_on_any_change(
    base_files: dict[str, str], head_edits: dict[str, str | None], said: tuple[str, ...]
) -> None:
    """Any tree, any change to it (files added, rewritten, deleted, renamed as git finds them):
    the head side's answer taken from its base's is git's own search of the head's tree."""
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(revision, "MAX_HELD", 1):
        repo = ScratchRepo(Path(folder) / "repo")
        repo.write(base_files)
        base_rev = repo.commit()
        repo.write(head_edits)
        head_rev = repo.commit()
        git = Git(str(repo.path))
        expected = words.saying(Revision(git, head_rev), said)
        head = Revision(git, head_rev)  # the paths as the gate has them: renames found too
        head.share_reach(Revision(git, base_rev), load_changes(git, base_rev, head_rev).paths)
        assert words.saying(head, said) == expected


def test_a_head_side_s_disguised_files_are_kept_for_the_run_whose_base_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push's head side learns its disguised files from its base's and the change; the fact
    cache keeps them by its commit, so the pull request based on it searches the tree for none."""
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(TREE)
    base_rev = repo.commit()
    repo.write({**HEAD_EDITS, "lib/accent.py": None, "lib/more.py": "\uff53kip = 1\n"})
    head_rev = repo.commit()
    git = Git(str(repo.path))
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    truth = Revision(git, head_rev).disguised
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    base, head = Revision(git, base_rev), Revision(git, head_rev)
    head.share_reach(base, [*HEAD_EDITS, "lib/accent.py", "lib/more.py"])
    assert head.disguised == truth and "lib/more.py" in truth and "lib/accent.py" not in truth
    monkeypatch.setattr(git, "grep_bytes", lambda *_a, **_k: pytest.fail("searched again"))
    assert Revision(git, head_rev).disguised == truth


@pytest.mark.parametrize(("alone", "parts"), [(1 << 20, 1), (10, 2)])
def test_a_small_tree_is_read_by_one_process_a_large_one_by_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: int, parts: int
) -> None:
    """One ``cat-file`` reads a tree up to READ_ALONE bytes (a second would take the core the
    run itself needs); past it, two: the same bytes either way."""
    git, rev = _repo(tmp_path, {f"m{i}.py": f"x = {i}\n".encode() for i in range(7)})
    monkeypatch.setattr(revision, "READ_ALONE", alone)
    asked: list[int] = []
    real = git.start_reading

    def spy(oids: list[str], parts: int = 2) -> object:
        asked.append(parts)
        return real(oids, parts)

    monkeypatch.setattr(git, "start_reading", spy)
    held = Revision(git, rev)
    held.hold()
    assert asked == [parts]
    assert held.held == {f"m{i}.py": f"x = {i}\n".encode() for i in range(7)}


def test_the_parallel_reader_keeps_order_and_fails_closed(tmp_path: Path) -> None:
    git, rev = _repo(tmp_path, {f"m{i}.py": f"x = {i}\n".encode() for i in range(7)})
    files = git.list_files(rev)
    oids = [files[f"m{i}.py"] for i in range(7)]
    for parts in (1, 2, 3):
        assert git.start_reading(oids, parts)() == [f"x = {i}\n".encode() for i in range(7)]
    with pytest.raises(GuardsError, match="did not find"):
        git.start_reading([*oids, "0" * 40])()


def test_the_reader_s_files_need_no_name_and_fall_back_to_tempfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cat-file's input and output go to files with no name (O_TMPFILE in $TMPDIR); where the
    kernel or $TMPDIR cannot give one, to ``tempfile``'s (which looks further than $TMPDIR)."""
    git, rev = _repo(tmp_path, {f"m{i}.py": f"x = {i}\n".encode() for i in range(3)})
    oids = list(git.list_files(rev).values())
    made: list[object] = []
    real = tempfile.TemporaryFile

    def counted(*args: object, **kwargs: object) -> object:
        made.append(1)
        return real()

    monkeypatch.setattr(tempfile, "TemporaryFile", counted)
    expected = [git.read_oid(oid) for oid in oids]
    assert git.start_reading(oids)() == expected and made == []
    monkeypatch.setenv("TMPDIR", str(tmp_path / "missing"))
    assert Git(git.root).start_reading(oids)() == expected and len(made) == 4


def test_a_tree_that_cannot_be_held_is_searched_by_git_with_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No temporary file for cat-file's output (a full or read-only TMPDIR), or a blob git
    cannot give: the run goes on with git grep, never fails for it, and asks only once."""
    git, rev = _repo(tmp_path, TREE)
    held = reach.reaching(Revision(git, rev))

    def no_file(*_a: object, **_k: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(git_module, "_unnamed_file", no_file)
    full = Revision(git, rev)
    assert reach.reaching(full) == held and full.held is None
    monkeypatch.undo()

    def unreadable(_oids: object, parts: int = 2) -> object:
        def fail() -> list[bytes]:
            raise GuardsError("git cat-file --batch failed reading a tree's files")

        calls.append(1)
        return fail

    calls: list[int] = []
    monkeypatch.setattr(git, "start_reading", unreadable)
    broken = Revision(git, rev)
    assert reach.reaching(broken) == held and broken.held is None
    broken.hold()
    assert calls == [1]


def test_a_forked_revision_forgets_the_searches_begun_for_its_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child (sources/lookahead.py) must not read the parent's begun searches: their output
    files are the parent's, shared with the fork."""
    git, rev = _repo(tmp_path, TREE)
    monkeypatch.setattr(revision, "MAX_HELD_FILES", 0)
    begun = Revision(git, rev)
    reach.prepare(begun)
    assert begun.begun
    begun.forked()
    assert not begun.begun
