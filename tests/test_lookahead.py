"""The child that analyzes a change's class bases ahead (sources/lookahead.py) may only save
time: a change's sides are the same with it, without it, with a child that finished first (the
parent then parses none of those modules), with one that hangs (let go after WAIT), and with one
that dies. The pipe's records are read whole and in any cut; anything else ends the reading."""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from guards.collect import cache as fact_cache
from guards.collect.python import skip_sets
from guards.collect.python.parsing import analyze as analysis
from guards.collect.python.parsing.facts import Module
from guards.collect.python.sources import lookahead
from guards.core.changes import load_changes
from guards.core.git import Git
from testing.git_repo import ScratchRepo

CHAIN = {  # a test class whose bases live three modules away, one import at a time
    "lib/__init__.py": "",
    "lib/a.py": "from lib.b import B\n\n\nclass A(B):\n    pass\n",
    "lib/b.py": "from lib.c import C\n\n\nclass B(C):\n    def helper(self):\n        return 1\n",
    "lib/c.py": "import pytest\n\n\nclass C:\n    def setup_method(self):\n"
    "        pytest.skip('slow')\n",
    "tests/test_x.py": "from lib.a import A\n\n\nclass TestX(A):\n    def test_one(self):\n"
    "        assert True\n",
}
AHEAD = {"lib/b.py", "lib/c.py"}  # the modules only the bases lead to


@pytest.fixture
def change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Git, str, str]:
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")  # facts come from the child or the parser
    repo = ScratchRepo(tmp_path / "repo")
    repo.write(CHAIN)
    base = repo.commit()
    repo.write({
        "lib/a.py": CHAIN["lib/a.py"] + "\n\nX = 1\n",
        "tests/test_x.py": CHAIN["tests/test_x.py"] + "\n    def test_two(self):\n        pass\n",
    })  # fmt: skip # -- one mapping
    return Git(str(repo.path)), base, repo.commit()


def sides(change: tuple[Git, str, str]) -> skip_sets.Sides:
    git, base, head = change
    fact_cache.for_git(git).release()  # cold: the facts a run before held in memory go
    return skip_sets.sides(git, base, head, load_changes(git, base, head), ())


def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths this process analyzes from now on (a forked child's count is its own)."""
    seen: list[str] = []
    real = analysis.analyze

    def counting(path: str, data: bytes, *rest: Any) -> Module:
        seen.append(path)
        return real(path, data, *rest)

    monkeypatch.setattr(analysis, "analyze", counting)
    return seen


Then = Callable[[lookahead.Lookahead], None]


def started(monkeypatch: pytest.MonkeyPatch, then: Then) -> list[int]:
    """Run THEN on each child as soon as it is started; the pids started."""
    pids: list[int] = []
    real = lookahead.start

    def start(revisions: Any, paths: Any) -> None:
        real(revisions, paths)
        ahead = revisions[0].ahead
        if ahead is not None:
            pids.append(ahead.pid)
            then(ahead)

    monkeypatch.setattr(lookahead, "start", start)
    return pids


def finished(ahead: lookahead.Lookahead) -> None:
    """Wait until the child sent everything (its pipe ends)."""
    while not ahead.ended:
        ahead._wait(5.0)


def busy(ahead: lookahead.Lookahead) -> None:
    """Wait until the child says it started a module."""
    while ahead.busy is None and not ahead.ended:
        ahead._wait(5.0)


def test_the_sides_are_the_same_without_the_child(
    change: tuple[Git, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = started(monkeypatch, lambda ahead: None)
    with_child = sides(change)
    assert pids, "the change's classes have bases: a child is started"
    monkeypatch.setattr(lookahead, "start", lambda revisions, paths: None)
    assert sides(change) == with_child
    skipped = [t.nodeid for t in with_child.head.tests.values() if t.skips]
    assert skipped == ["tests/test_x.py::TestX::test_one", "tests/test_x.py::TestX::test_two"]


def test_a_child_that_finished_first_leaves_the_parent_no_base_to_parse(
    change: tuple[Git, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookahead, "start", lambda revisions, paths: None)
    alone = parsed(monkeypatch)
    expected = sides(change)
    assert set(alone) >= AHEAD  # without the child the parent parses them
    monkeypatch.undo()
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    pids = started(monkeypatch, finished)
    helped = parsed(monkeypatch)
    assert sides(change) == expected
    assert pids and not AHEAD & set(helped)
    for pid in pids:  # reaped once the sides are read
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_child_that_hangs_is_let_go_after_wait(
    change: tuple[Git, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = sides(change)
    real = lookahead._Telling.module

    def hanging(self: Any, dotted: str, from_path: str) -> Module | None:
        path = self.rev.module_path(dotted, from_path)
        key = self.rev.unknown_key(path) if path else None
        if key is None:
            return real(self, dotted, from_path)
        self._send(b"S", key)
        time.sleep(60)  # the parent waits WAIT, then kills it
        return None

    monkeypatch.setattr(lookahead._Telling, "module", hanging)
    monkeypatch.setattr(lookahead, "WAIT", 0.3)
    pids = started(monkeypatch, busy)
    began = time.monotonic()
    assert sides(change) == expected
    assert pids and 0.3 <= time.monotonic() - began < 30  # it waited, then went on


def test_a_child_that_dies_leaves_the_work_to_the_parent(
    change: tuple[Git, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = sides(change)
    pids = started(monkeypatch, lambda ahead: os.kill(ahead.pid, signal.SIGKILL))
    helped = parsed(monkeypatch)
    assert sides(change) == expected
    assert pids and set(helped) >= AHEAD


def test_no_process_left_to_fork_is_a_run_without_the_child(
    change: tuple[Git, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = sides(change)

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)  # as fork(2) answers EAGAIN at the process limit
    helped = parsed(monkeypatch)
    assert sides(change) == expected
    assert set(helped) >= AHEAD  # the run analyzed them itself


def child_writing(
    memory: fact_cache.FactCache, *chunks: bytes, pause: float = 0.0
) -> lookahead.Lookahead:
    """A real forked child that writes CHUNKS to its pipe (PAUSE seconds before each)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        for chunk in chunks:
            time.sleep(pause)
            os.write(write, chunk)
        os._exit(0)
    os.close(write)
    return lookahead.Lookahead(pid, read, memory)


def record(kind: bytes, key: str, payload: bytes = b"") -> bytes:
    return kind + key.encode() + len(payload).to_bytes(4, "big") + payload


KEY, OTHER = "a" * 64, "b" * 64
FACTS = Module(path="lib/b.py")


@pytest.fixture
def memory() -> Iterator[fact_cache.FactCache]:
    yield fact_cache.FactCache(None)


def test_a_module_the_child_is_analyzing_is_waited_for(memory: fact_cache.FactCache) -> None:
    done = record(b"D", KEY, pickle.dumps(FACTS))
    ahead = child_writing(memory, record(b"S", KEY), done[:30], done[30:90], done[90:], pause=0.1)
    while ahead.busy is None:  # the child said it started KEY; the rest comes in three cuts
        ahead._wait(5.0)
    assert ahead.take(KEY) == FACTS
    assert memory.get(KEY) == FACTS  # held for the other side
    assert ahead.take(OTHER) is None
    ahead.stop()


def test_a_key_not_begun_is_not_waited_for(memory: fact_cache.FactCache) -> None:
    later = record(b"S", KEY), record(b"D", KEY, pickle.dumps(FACTS))
    ahead = child_writing(memory, *later, pause=2)
    assert ahead.take(KEY) is None  # not begun: not waited for (waiting would give the facts)
    ahead.stop()


def test_a_failed_module_is_the_parents_to_analyze(memory: fact_cache.FactCache) -> None:
    ahead = child_writing(memory, record(b"S", KEY), record(b"F", KEY))
    finished(ahead)
    assert ahead.take(KEY) is None and ahead.busy is None
    ahead.stop()


def test_what_is_not_a_record_ends_the_reading(memory: fact_cache.FactCache) -> None:
    ahead = child_writing(memory, record(b"X", KEY) + record(b"D", KEY, pickle.dumps(FACTS)))
    finished(ahead)
    assert ahead.take(KEY) is None and not ahead.buffer
    ahead.stop()
    ahead.stop()  # once: a second stop does nothing


def test_facts_the_parent_holds_already_are_not_kept_twice(memory: fact_cache.FactCache) -> None:
    memory.adopt(KEY, FACTS)  # the parent analyzed it meanwhile
    ahead = child_writing(memory, record(b"S", KEY), record(b"D", KEY, pickle.dumps(FACTS)))
    finished(ahead)
    assert not ahead.done and ahead.take(KEY) is None and memory.get(KEY) == FACTS
    ahead.stop()


def test_with_the_cache_on_only_the_parent_writes_what_it_takes(
    change: tuple[Git, str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GUARDS_CACHE_DIR", str(tmp_path / "cache"))
    writers = tmp_path / "writers"  # each write's pid: a child's list would stay in the child
    real = fact_cache.FactCache._write

    def noted(self: fact_cache.FactCache, folder: Path, name: str, raw: bytes) -> None:
        with writers.open("a") as out:
            out.write(f"{os.getpid()}\n")
        real(self, folder, name, raw)

    monkeypatch.setattr(fact_cache.FactCache, "_write", noted)
    pids = started(monkeypatch, finished)
    helped = parsed(monkeypatch)
    sides(change)
    assert pids and not AHEAD & set(helped)  # the child analyzed them
    assert set(writers.read_text().split()) == {str(os.getpid())}  # and the parent stored them
    assert not list((tmp_path / "cache").rglob("*.tmp"))
