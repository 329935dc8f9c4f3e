"""The content-addressed fact cache (guards/collect/cache.py), through the real CLI and git.

A second run reads what the first wrote and says the same; a corrupt or foreign entry is a
miss, never trusted; the size stays under its bound (counted when its ledger says it may be
passed); what an ignore list's function returns is kept as a record; ``GUARDS_CACHE_DIR=off``
writes nothing; concurrent runs do not break each other.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from guards.collect import cache
from guards.collect.python.linking import ignores
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import IgnoreGap, IgnoreList
from guards.collect.python.parsing.options import AnalysisOptions
from guards.core.git import isolated_env
from testing.git_repo import GitRepo, guards_cli

FILES = {
    "tests/helpers.py": "import pytest\n\n\ndef needs_db():\n    pytest.skip('no db')\n",
    "tests/test_a.py": "from tests.helpers import needs_db\n\n\ndef test_x():\n    needs_db()\n"
    "\n\ndef test_y():\n    pass\n",
    "tests/test_b.py": "import pytest\n\n\n@pytest.mark.xfail\ndef test_z():\n    pass\n",
}


def _repo(tmp_path: Path) -> tuple[GitRepo, Path]:
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    repo.commit("c")
    return repo, tmp_path / "repo" / ".git" / "guards-cache"


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*/*") if not p.name.startswith("."))


def _listing(repo: GitRepo, env: dict[str, str] | None = None) -> str:
    result = guards_cli("skips", "list", "--repo", str(repo.path), env=env)
    assert result.code == 0, result.stderr
    return result.stdout


def test_a_second_run_reads_the_entries_and_says_the_same(tmp_path: Path) -> None:
    repo, root = _repo(tmp_path)
    first = _listing(repo)
    entries = _entries(root)
    assert len(entries) >= 3  # both test files and the helper they import
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    assert _listing(repo) == first
    assert {p: p.stat().st_mtime_ns for p in _entries(root)} == stamps  # read, not rewritten
    assert "tests/test_a.py::test_x" in first and "tests/test_b.py::test_z" in first


def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path: Path) -> None:
    repo, root = _repo(tmp_path)
    first = _listing(repo)
    entries = _entries(root)
    entries[0].write_bytes(b"\x80\x05garbage")
    entries[1].write_bytes(pickle.dumps(subprocess.CompletedProcess(["x"], 0)))
    for entry in entries[2:]:
        entry.write_bytes(b"")
    assert _listing(repo) == first


def test_an_entry_naming_another_global_is_refused(tmp_path: Path) -> None:
    poisoned = pickle.dumps(subprocess.CompletedProcess(["x"], 0))
    store = cache.FactCache(tmp_path)
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "abcd").write_bytes(poisoned)
    assert store.get("abcd") is None


def test_facts_read_back_equal(tmp_path: Path) -> None:
    module = analyze("tests/test_a.py", FILES["tests/test_a.py"].encode(), AnalysisOptions())
    store = cache.FactCache(tmp_path)
    key = cache.key_of("tests/test_a.py", b"x", AnalysisOptions())
    store.put(key, module)
    assert store.get(key) == module
    assert cache.key_of("tests/test_b.py", b"x", AnalysisOptions()) != key  # path is in it
    assert cache.key_of("tests/test_a.py", b"y", AnalysisOptions()) != key  # bytes are in it
    other = AnalysisOptions(with_defs=True)
    assert cache.key_of("tests/test_a.py", b"x", other) != key  # options are in it


def test_the_cache_stays_under_its_bound(tmp_path: Path) -> None:
    module = analyze("tests/test_a.py", FILES["tests/test_a.py"].encode(), AnalysisOptions())
    store = cache.FactCache(tmp_path / "fingerprint", max_bytes=4000)
    for n in range(40):
        store.put(cache.key_of(f"t{n}.py", b"x", AnalysisOptions()), module)
    store.trim()
    total = sum(p.stat().st_size for p in tmp_path.glob("*/*/*"))
    assert 0 < total <= 4000


def _filled(folder: Path, count: int, first: int = 0, max_bytes: int = 4000) -> cache.FactCache:
    """A cache under FOLDER after COUNT entries were put (names from FIRST) and trimmed."""
    module = analyze("tests/test_a.py", FILES["tests/test_a.py"].encode(), AnalysisOptions())
    store = cache.FactCache(folder / "fingerprint", max_bytes=max_bytes)
    for n in range(first, first + count):
        store.put(cache.key_of(f"t{n}.py", b"x", AnalysisOptions()), module)
    store.trim()
    return store


def _stored(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*/*/*"))


def test_a_run_under_the_bound_adds_to_the_ledger_instead_of_counting(tmp_path: Path) -> None:
    ledger = tmp_path / cache.LEDGER
    _filled(tmp_path, 2, max_bytes=1 << 20)
    counted = _stored(tmp_path)
    assert ledger.read_text() == f"{counted}\n"  # no ledger yet: counted
    second = _filled(tmp_path, 3, first=2, max_bytes=1 << 20)
    assert ledger.read_text() == f"{counted}\n{second.written}\n"  # added, not counted
    assert counted + second.written == _stored(tmp_path)


def test_a_run_the_ledger_puts_past_the_bound_counts_and_trims(tmp_path: Path) -> None:
    one = _filled(tmp_path, 1).written
    (tmp_path / cache.LEDGER).write_text("3900\n")  # says the bound is near
    _filled(tmp_path, 1, first=1)
    assert (tmp_path / cache.LEDGER).read_text() == f"{_stored(tmp_path)}\n"  # counted anew
    assert _stored(tmp_path) == 2 * one  # two entries fit: none dropped


def test_a_torn_foreign_or_long_ledger_is_counted_anew(tmp_path: Path) -> None:
    _filled(tmp_path, 1, max_bytes=1 << 20)
    for text in ["12\n3", "-5\n", "many\n", "1\n" * cache.MAX_LEDGER_LINES]:
        (tmp_path / cache.LEDGER).write_text(text)
        _filled(tmp_path, 1, first=len(text), max_bytes=1 << 20)
        assert (tmp_path / cache.LEDGER).read_text() == f"{_stored(tmp_path)}\n", text


def test_a_forged_low_ledger_holds_the_cache_under_twice_its_bound(tmp_path: Path) -> None:
    _filled(tmp_path, 40)
    (tmp_path / cache.LEDGER).write_text("0\n")  # hides what is stored
    sizes = []
    for start in range(40, 400, 10):
        _filled(tmp_path, 10, first=start)
        sizes.append(_stored(tmp_path))
    assert max(sizes) <= 2 * 4000
    assert sizes[-1] <= 4000 or sizes[-2] <= 4000  # a count came and set it right


def test_off_writes_nothing_and_an_explicit_folder_is_used(tmp_path: Path) -> None:
    repo, root = _repo(tmp_path)
    first = _listing(repo, env={"GUARDS_CACHE_DIR": "off"})
    assert not root.exists()
    elsewhere = tmp_path / "elsewhere"
    assert _listing(repo, env={"GUARDS_CACHE_DIR": str(elsewhere)}) == first
    assert not root.exists() and _entries(elsewhere)


def test_concurrent_runs_share_the_cache(tmp_path: Path) -> None:
    repo, root = _repo(tmp_path)
    expected = _listing(repo, env={"GUARDS_CACHE_DIR": "off"})
    command = [sys.executable, "-m", "guards", "skips", "list", "--repo", str(repo.path)]
    env = {k: v for k, v in isolated_env().items() if not k.startswith("GUARDS_CACHE")}
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [proc.communicate()[0] for proc in procs]
    assert outputs == [expected] * 3
    assert not [p for p in root.glob("*/*/*") if p.name.endswith(".tmp")]
    assert _listing(repo) == expected


def test_entries_live_under_the_code_fingerprint(tmp_path: Path) -> None:
    repo, root = _repo(tmp_path)
    _listing(repo)
    assert [p.name for p in root.iterdir() if p.is_dir()] == [cache.fingerprint()]
    assert {p.name for p in root.iterdir() if not p.is_dir()} == {cache.LEDGER}


def test_a_workers_pickle_is_stored_as_it_is_and_read_once(tmp_path: Path) -> None:
    module = analyze("tests/test_a.py", FILES["tests/test_a.py"].encode(), AnalysisOptions())
    raw = pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL)
    store = cache.FactCache(tmp_path)
    key = cache.key_of("tests/test_a.py", b"x", AnalysisOptions())
    assert store.adopt(key, raw) == module
    assert (tmp_path / key[:2] / key).read_bytes() == raw  # no second pickling
    assert cache.FactCache(tmp_path).get(key) == module


def test_a_workers_pickle_the_cache_refuses_is_used_not_stored(tmp_path: Path) -> None:
    foreign = subprocess.CompletedProcess(["x"], 0)  # not a fact class
    store = cache.FactCache(tmp_path)
    adopted = store.adopt("abcd", pickle.dumps(foreign))
    assert isinstance(adopted, subprocess.CompletedProcess) and adopted.args == ["x"]
    assert not list(tmp_path.glob("*/*"))


IGNORING = {
    "conftest.py": "from helpers.lists import blacklist\n\ncollect_ignore = blacklist()\n",
    "helpers/__init__.py": "",
    "helpers/lists.py": "def blacklist():\n    found = ['tests/test_gone.py']\n"
    "    return found + ['tests/' + 'test_' + 'old.py']\n",
    "tests/test_gone.py": "def test_gone():\n    pass\n",
    "tests/test_kept.py": "def test_kept():\n    pass\n",
}


def _ignore_records(root: Path) -> list[Path]:
    return [p for p in _entries(root) if ignores.decode(p.read_bytes()) is not None]


def test_what_an_ignore_list_function_returns_is_kept_and_read_back(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(IGNORING)
    repo.commit("c")
    root = tmp_path / "repo" / ".git" / "guards-cache"
    first = _listing(repo)
    assert "tests/test_gone.py::test_gone  [ignored]" in first  # the list was followed
    assert "test_kept" not in first
    (record,) = _ignore_records(root)
    assert ignores.decode(record.read_bytes()) == IgnoreList(
        ("tests/test_gone.py", "tests/test_old.py")
    )
    stamp = record.stat().st_mtime_ns
    assert _listing(repo) == first and record.stat().st_mtime_ns == stamp  # read, not rewritten
    record.write_bytes(b'[["x"], [], [["f", true]]]')  # not what the cache writes: a miss
    assert _listing(repo) == first


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{}",
        b'[["a"], []]',
        b'[["a", 1], [], []]',
        b'[[], [["p", 1, "w"]], []]',
        b'[[], [["p", "1", "w", ""]], []]',
        b'[[], [], [["f", 1.5]]]',
        b"[[[[[[]]]]]]",
    ],
)
def test_an_ignore_record_of_another_shape_is_a_miss(raw: bytes) -> None:
    assert ignores.decode(raw) is None


def test_an_ignore_record_reads_back_equal() -> None:
    listed = IgnoreList(("a.py",), (IgnoreGap("gen/", 3, "computed", "x.py"),), (("m.f", 4),))
    assert ignores.decode(ignores.encode(listed)) == listed


def test_a_guard_that_stores_records_adds_them_to_the_ledger(tmp_path: Path) -> None:
    repo, root = _repo(tmp_path)  # suppressions alone: no collector's trim to count for it
    base = repo.rev("HEAD")
    repo.write({"tests/test_b.py": FILES["tests/test_b.py"] + "\n\ndef test_w():\n    pass\n"})
    head = repo.commit("head")
    args = ("run", "--repo", str(repo.path), "--base", base, "--head", head)
    result = guards_cli(*args, "--only", "suppressions", "--format", "json")
    assert result.code == 0, result.stderr
    ledger = root / cache.LEDGER
    assert _entries(root) and ledger.exists()
    assert sum(map(int, ledger.read_text().split())) == _stored(root)
