"""Linking many test modules on every core gives what linking them one by one gives.

The collector links in a pool of forked workers past LINK_THRESHOLD functions (collector.py):
the results come back in the modules' order, a listing keeps only skipped tests, the first
error in that order is the one raised, and a worker that reads a blob (a helper module met
while linking) reads it through its own ``cat-file`` process, never its parent's.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python import collector
from guards.collect.python.collector import Collector, Request
from guards.collect.python.parsing import parallel
from guards.collect.python.skip_sets import skipped
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo

MODULES, TESTS = 24, 90  # 2,160 test functions: past LINK_THRESHOLD
HELPER = "import pytest\n\n\ndef needs_gpu():\n    pytest.skip('no gpu')\n"
BASE = (
    "import pytest\n\n\nclass Base:\n    @pytest.fixture(autouse=True)\n"
    "    def gate(self):\n        pytest.skip('base')\n"
)


def _module(n: int) -> str:
    """Test module N: plain tests, a marked one, one calling a helper of another module (read
    while linking), a class on a base of another module, an autouse fixture of the conftest."""
    lines = ["import pytest", "from helpers.gpu import needs_gpu", "from helpers.base import Base"]
    for i in range(TESTS):
        mark = "@pytest.mark.skip(reason='r')\n" if i % 30 == n % 30 else ""
        body = "needs_gpu()" if i == 7 else "assert True"
        lines.append(f"\n\n{mark}def test_{n}_{i}(flaky_{n % 3}):\n    {body}")
    lines.append(f"\n\nclass TestOn{n}(Base):\n    def test_inherits(self):\n        pass")
    return "\n".join(lines) + "\n"


CONFTEST = (
    "import pytest\n\n\n@pytest.fixture\ndef flaky_0():\n    pytest.skip('flaky')\n\n\n"
    "@pytest.fixture\ndef flaky_1():\n    return 1\n\n\n"
    "@pytest.fixture\ndef flaky_2():\n    return 2\n"
)


def _files() -> dict[str, str]:
    files = {f"tests/test_m{n:02}.py": _module(n) for n in range(MODULES)}
    files |= {"tests/conftest.py": CONFTEST, "helpers/__init__.py": "", "helpers/gpu.py": HELPER}
    return files | {"helpers/base.py": BASE}


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Git, str]:
    path = tmp_path_factory.mktemp("many")
    repo = GitRepo(path)
    repo.write(_files())
    return Git(path), repo.commit("many")


def _serially(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "LINK_THRESHOLD", 10**9)


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the pools map_forked starts (it still runs them)."""
    calls: list[int] = []
    real = parallel.map_forked

    def spy(work: Any, items: Any, sizes: Any) -> Any:
        calls.append(len(items))
        return real(work, items, sizes)

    monkeypatch.setattr(collector, "map_forked", spy)
    return calls


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real pool of two, whatever the cores of the machine."""
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def test_a_listing_links_on_every_core_as_one_by_one(
    many: tuple[Git, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git, sha = many
    pools = _spied(monkeypatch)
    pooled = skipped(git, sha, ())
    assert pools == [MODULES]
    with monkeypatch.context() as serial:
        _serially(serial)
        assert skipped(Git(git.root), sha, ()) == pooled
    kinds = {item.nodeid: {s.detail for s in item.skips} for item in pooled}
    # 8 modules request flaky_0 (90 tests, and Base's); 16 have 3 marked, the helper's and
    # Base's (in module 7 the helper's test is also marked)
    assert len(pooled) == 8 * 91 + 16 * 5 - 1
    assert "tests/test_m05.py::TestOn5::test_inherits" in kinds
    assert any("needs_gpu" in d for d in kinds["tests/test_m04.py::test_4_7"])


def test_a_change_links_every_test_on_every_core_as_one_by_one(
    many: tuple[Git, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git, sha = many
    paths = tuple(f"tests/test_m{n:02}.py" for n in range(MODULES))
    pools = _spied(monkeypatch)
    pooled = Collector(Revision(git, sha)).collect(Request(paths, defs=True))
    assert pools == [MODULES]
    with monkeypatch.context() as serial:
        _serially(serial)
        alone = Collector(Revision(Git(git.root), sha)).collect(Request(paths, defs=True))
    assert pooled == alone
    assert sum(len(r.tests) for r in pooled.values()) == MODULES * (TESTS + 1)


def test_the_first_error_in_the_modules_order_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path)
    files = _files()
    for n in (17, 9):
        files[f"tests/test_m{n:02}.py"] += f"\nNAMES = []\nM = getattr(pytest.mark, NAMES[{n}])\n"
    # the pool deals the largest module first: a worker links 17 before anything else
    files["tests/test_m17.py"] += "".join(f"\n\ndef test_{i}():\n    pass\n" for i in range(60))
    repo.write(files)
    sha = repo.commit("two undecidable modules")
    pools = _spied(monkeypatch)
    with pytest.raises(Undecidable) as pooled:
        skipped(Git(tmp_path), sha, ())
    assert pools == [MODULES]  # analysis records the computed mark; linking raises it
    _serially(monkeypatch)
    with pytest.raises(Undecidable) as alone:
        skipped(Git(tmp_path), sha, ())
    assert pooled.value.path == alone.value.path == "tests/test_m09.py"
    assert str(pooled.value) == str(alone.value)


def _merged(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Past parsing/parallel.py's bound with the small tree: a listing links where it analyzes
    (Collector._linked_where_analyzed); the sizes of the analysis pools started the other way."""
    monkeypatch.setattr(parallel, "THRESHOLD", 4)
    analyzed: list[int] = []
    real = collector.analyze_all

    def spy(pairs: Any, options: Any) -> Any:
        analyzed.append(len(pairs))
        return real(pairs, options)

    monkeypatch.setattr(collector, "analyze_all", spy)
    return analyzed


def test_a_large_listing_links_where_it_analyzes_as_one_by_one(
    many: tuple[Git, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One pool analyzes and links each module (no facts cross back); the same tests as
    analyzing all then linking all, or as one by one; the facts are stored in the cache as
    the two pools store them (a second run reads them and analyzes nothing)."""
    git, sha = many
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    analyzed, pools = _merged(monkeypatch), _spied(monkeypatch)
    merged = skipped(git, sha, ())
    assert pools == [MODULES] and analyzed == []  # one pool, no analysis pool
    assert skipped(Git(git.root), sha, ()) == merged  # every module's facts from the cache:
    assert pools == [MODULES] * 2 and analyzed == [0]  # ... linked as before, none analyzed
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    _serially(monkeypatch)
    monkeypatch.setattr(parallel, "THRESHOLD", 10**9)
    assert skipped(Git(git.root), sha, ()) == merged and pools == [MODULES] * 2


def test_a_large_listing_raises_what_one_by_one_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An undecidable file first, then one that does not parse, then what linking raises,
    each the first in the modules' order, whichever worker met it first."""
    repo = GitRepo(tmp_path)
    files = _files()
    files["tests/test_m03.py"] += "\nNAMES = []\nM = getattr(pytest.mark, NAMES[0])\n"  # linking
    files["tests/test_m11.py"] += "\ndef broken(:\n"
    files["tests/test_m19.py"] += "\ndef broken(:\n"
    repo.write(files)
    unparsable = repo.commit("an undecidable module and two that do not parse")
    deep = "pytest" + ".b" * 1000  # parses; too deep to resolve
    repo.write({"tests/test_m15.py": files["tests/test_m15.py"] + f"\nX = {deep}\n"})
    undecidable = repo.commit("and one nested past the analysis")
    _merged(monkeypatch)
    found = {}
    for sha in (unparsable, undecidable):
        with pytest.raises((Undecidable, NotParsable)) as merged:
            skipped(Git(tmp_path), sha, ())
        with monkeypatch.context() as serial:
            serial.setattr(parallel, "THRESHOLD", 10**9)
            with pytest.raises((Undecidable, NotParsable)) as alone:
                skipped(Git(tmp_path), sha, ())
        assert (type(merged.value), str(merged.value)) == (type(alone.value), str(alone.value))
        found[sha] = merged.value
    assert isinstance(found[unparsable], NotParsable)
    assert found[unparsable].path == "tests/test_m11.py"
    assert isinstance(found[undecidable], Undecidable)
    assert found[undecidable].path == "tests/test_m15.py"


def test_the_collector_errors_cross_processes_whole() -> None:
    for error in (Undecidable("a.py", 3, "computed"), NotParsable("b.py", 4, "invalid syntax")):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)
        assert (again.path, again.line) == (error.path, error.line)


def _read_in_child(git: Git, spec: str, out: Any) -> None:
    out.send(git.read_many([spec]))


def test_a_forked_child_reads_blobs_through_its_own_cat_file(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write({"a.txt": "alpha\n", "b.txt": "beta\n"})
    sha = repo.commit("two files")
    git = Git(tmp_path)
    assert git.read_many([f"{sha}:a.txt"]) == [b"alpha\n"]  # the parent's process runs
    theirs, ours = multiprocessing.get_context("fork").Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_read_in_child, args=(git, f"{sha}:b.txt", ours)
    )
    child.start()
    assert theirs.poll(30), "the child read nothing in 30 s"
    assert theirs.recv() == [b"beta\n"]
    child.join(30)
    assert child.exitcode == 0
    assert git.read_many([f"{sha}:a.txt", f"{sha}:b.txt"]) == [b"alpha\n", b"beta\n"]


def _hold(ready: Any, done: Any) -> None:
    ready.set()
    done.wait(60)


def test_closing_a_reader_a_forked_child_still_holds_does_not_wait_for_the_child(
    tmp_path: Path,
) -> None:
    """The child inherits the write end of cat-file's stdin: close must not wait for an EOF
    that only comes when the child ends."""
    repo = GitRepo(tmp_path)
    repo.write({"a.txt": "alpha\n"})
    sha = repo.commit("one file")
    git = Git(tmp_path)
    assert git.read_many([f"{sha}:a.txt"]) == [b"alpha\n"]
    context = multiprocessing.get_context("fork")
    ready, done = context.Event(), context.Event()
    child = context.Process(target=_hold, args=(ready, done))
    child.start()
    try:
        assert ready.wait(30)
        closing = threading.Thread(target=git.close, daemon=True)
        closing.start()
        closing.join(30)
        assert not closing.is_alive(), "close waited for the child holding cat-file's stdin"
    finally:
        done.set()
        child.join(30)
    assert git.read_many([f"{sha}:a.txt"]) == [b"alpha\n"]  # a new process serves after
