"""Analyze many modules on every core: one fork-based process pool, chunks of files per worker.

Only for THRESHOLD files or MIN_BYTES of source (a pool's start-up, a few hundredths of a
second on two cores, costs more than it saves below; ten of sympy's modules are worth it, ten
small test files are not); with fewer usable cores than two, or no ``fork``, everything runs in
this process. Results come back in the order of the input whatever the order the workers
finish in, and are the same facts a serial run gives (the workers run the same ``analyze``
on the same bytes). The pool is bounded: at most MAX_WORKERS processes, four chunks each,
dealt largest file first so that no core is left with the largest file at the end. The same
pool analyzes files again from their other side's facts (``analyze_again_all``:
incremental.py), and a file's two sides together (``analyze_chains``: the worker that
analyzes the base goes on to the head from the facts it holds, so the head side needs no
second pool after the first). The work reaches the workers through the fork (a list set just
before the pool starts, read by index), not as pickles of every file's bytes and facts.

The trap: a worker that dies (killed, out of memory) must not hang the gate, nor leave a
silent partial result: its pipe closes with chunks unanswered, which is a GuardsError here.
Exceptions cross processes as data (Failure), rebuilt on this side; one no file explains (a
bug) is a GuardsError with its words. The workers are forked here (_forked), not by
``concurrent.futures``, whose imports alone were a tenth of a small run's start-up.
A module a worker analyzed comes back as the worker's own pickle of it (bytes): the fact cache
reads it once with its restricted unpickler and stores those bytes as they are (cache.adopt),
instead of this process unpickling it, pickling it again and reading that back to check it.
"""

from __future__ import annotations

import os
import pickle
import select
from collections.abc import Callable, Sequence
from typing import Any

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.options import AnalysisOptions
from guards.core.background import Background
from guards.core.forks import framed, start_child, stop_child, unframed
from guards.errors import GuardsError

THRESHOLD = 150  # below this many files a pool costs more than it saves
MIN_BYTES = 256 << 10  # ... unless they are this large together
MAX_WORKERS = 8
Answer = Module | bytes  # facts, or a worker's pickle of them (read by cache.adopt)
Failure = tuple[str, str, int, str]  # (kind, path, line, message)
Pairs = Sequence[tuple[str, bytes]]
Item = tuple[str, bytes, AnalysisOptions]
Items = Sequence[Item]  # each file with its own options
Again = tuple[str, bytes, AnalysisOptions, Module, bytes]  # ... the other side's facts and bytes
Chain = tuple[Item, tuple[Item, ...]]  # a file, then the same file at other revisions
Work = Callable[[list[int]], list[Any]]  # a worker's work: the answers for some indexes of _WORK


def analyze_all(pairs: Pairs, options: AnalysisOptions) -> list[tuple[str, Answer | NotParsable]]:
    """The facts of every (path, bytes) pair, in order; a parse failure is a NotParsable, a
    module that cannot be analyzed raises Undecidable."""
    return [(path, rebuild(r)) for path, r in _results(_items(pairs, options))]


def analyze_each(pairs: Pairs, options: AnalysisOptions) -> list[tuple[str, Answer | None]]:
    """The facts of every (path, bytes) pair, in order; None for a module that fails (analyzed
    again where it is used, which reports it)."""
    return analyze_items(_items(pairs, options))


def analyze_items(items: Items) -> list[tuple[str, Answer | None]]:
    """``analyze_each`` of (path, bytes, options) items: files analyzed with different options
    (test modules and helpers, two revisions) share one pool."""
    return [(p, None if isinstance(r, tuple) else r) for p, r in _results(items)]


def _items(pairs: Pairs, options: AnalysisOptions) -> Items:
    return [(path, data, options) for path, data in pairs]


def workers() -> int:
    """The cores this process may run on (its affinity, not the machine's count), bounded."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(usable or 1, MAX_WORKERS)


def _results(items: Items) -> list[tuple[str, Answer | Failure]]:
    if _serial([len(d) for _, d, _ in items]):
        return _chunk(items)
    return list(_pooled(items, _pickled))


def analyze_again_all(items: Sequence[Again]) -> list[Answer | None]:
    """``incremental.analyze_again`` of every (path, bytes, options, facts of the other side,
    its bytes) item, in order, None where it does not serve; on every core when many."""
    if _serial([len(item[1]) for item in items]):
        return [_again(item) for item in items]
    return list(_pooled(items, _agains))


def analyze_chains(
    chains: Sequence[Chain], meanwhile: Callable[[], None] | None = None
) -> Sequence[Sequence[Answer | None]]:
    """Each chain's first file analyzed in full, then each of the others (the same path at
    another revision, other bytes, the same options) analyzed again from the first's facts, in
    full where that does not serve (``incremental.analyze_again``); answers in order, None for
    a file that fails. On every core when many: one chain to one worker, and MEANWHILE (work
    the caller would do next, that the pool's answers do not change) on a thread of this
    process while it waits (core/background.py); where no pool pays, it is left to the caller."""
    sizes = [sum(len(item[1]) for item in (first, *rest)) for first, rest in chains]
    if _serial(sizes):
        return [_chained(chain) for chain in chains]
    return _pooled(chains, _chains, sizes=sizes, meanwhile=meanwhile)


def _chained(chain: Chain) -> list[Module | None]:
    (path, data, options), rest = chain
    first = analyze_one(path, data, options)
    base = None if isinstance(first, tuple) else first
    out = [base]
    for again in rest:
        found = None if base is None else _again((*again, base, data))
        answer = found if found is not None else analyze_one(*again)
        out.append(None if isinstance(answer, tuple) else answer)
    return out


def _chains(indexes: list[int]) -> list[list[bytes | None]]:
    """``_chained`` in a worker, each module as its pickle."""
    return [[None if m is None else _pickle(m) for m in _chained(_WORK[i])] for i in indexes]


def pays(sizes: list[int]) -> bool:
    """Whether files of SIZES are worth a pool (``_serial``'s answer, for a caller that forks
    its own through ``map_forked``)."""
    return not _serial(sizes)


def _serial(sizes: list[int]) -> bool:
    """Whether files of SIZES are analyzed in this process: too few or small for a pool, or
    no pool can start (can_fork)."""
    small = len(sizes) < THRESHOLD and sum(sizes) < MIN_BYTES
    return small or len(sizes) < 2 or not can_fork()


def can_fork() -> bool:
    """Whether a pool may start here: two usable cores, ``fork``, and not inside a worker."""
    return workers() >= 2 and not _WORKER and hasattr(os, "fork")


_WORK: list[Any] = []  # what a pool's workers read by index (inherited by ``fork``, not sent)
_CALL: list[Callable[[Any], Any]] = []  # map_forked's work, inherited the same way
_WORKER: list[bool] = []  # set in a pool's worker: it starts no pool of its own


def map_forked(work: Callable[[Any], Any], items: Sequence[Any], sizes: Sequence[int]) -> list[Any]:
    """WORK of each of ITEMS on every core, the answers in input order; SIZES weigh the items
    for dealing (parsing/parallel.py's pool, for work that is not one file's analysis: the
    collector links many modules so). WORK and ITEMS reach the workers through the fork; each
    answer crosses back as a pickle, so it must be one."""
    _CALL[:] = [work]
    try:
        return _pooled(items, _each, sizes=sizes)
    finally:
        _CALL.clear()


def _each(indexes: list[int]) -> list[Any]:
    work = _CALL[0]
    return [work(_WORK[i]) for i in indexes]


def _pooled(
    items: Sequence[Any],
    work: Work,
    count: int = 0,
    sizes: Sequence[int] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[Any]:
    """WORK over the indexes of ITEMS in chunks on COUNT processes (every core by default),
    the answers in input order. ITEMS reach the workers through the fork (_WORK), not as
    pickles; SIZES weigh them (the bytes of each file by default). A worker analyzes in its
    own process only: it starts no pool of its own."""
    from guards.collect.python.parsing import analyze  # noqa: F401 -- before the fork, not per worker

    count = count or workers()
    weights = [len(item[1]) for item in items] if sizes is None else sizes
    chunks = _dealt(list(weights), count)
    _WORK[:] = items
    try:
        done = _forked(work, chunks, min(count, len(chunks)), meanwhile)
    finally:
        _WORK.clear()
    answered = {
        index: answer
        for chunk, answers in zip(chunks, done, strict=True)
        for index, answer in zip(chunk, answers, strict=True)
    }
    return [answered[index] for index in range(len(items))]


def _forked(
    work: Work, chunks: list[list[int]], count: int, meanwhile: Callable[[], None] | None = None
) -> list[Any]:
    """WORK's answer for each of CHUNKS, from COUNT forked workers (core/forks.py). The chunks'
    numbers wait in a pipe, largest first, and an idle worker reads the next (4 bytes, one read:
    no two workers split a number); each answer comes back on the worker's own pipe framed
    (core/forks.py: chunk number, length, pickle). A worker that dies leaves chunks unanswered:
    a GuardsError, never a partial result; no process or pipe to be had, this process does the
    work. Not ``concurrent.futures``: its pool and the ``multiprocessing`` it loads cost a sympy
    change 0.02 s of imports, and its queues and threads as much again a pool."""
    tasks, feed = os.pipe()
    os.write(feed, b"".join(n.to_bytes(4, "big") for n in range(len(chunks))))
    os.close(feed)  # an empty pipe is then the end of the work, not a wait
    pids: list[int] = []
    reads: dict[int, bytearray] = {}
    try:
        for _ in range(count):
            pid, read = start_child(lambda out: _worker(work, chunks, tasks, out), nice=0)
            pids.append(pid)
            reads[read] = bytearray()
    except OSError:  # no process or pipe left: fewer workers, or none
        if not pids:
            os.close(tasks)
            return [work(chunk) for chunk in chunks]
    os.close(tasks)
    # After every fork; a GuardsError is the caller's next step's, which meets it again.
    helper = Background(meanwhile, (GuardsError,)) if meanwhile is not None else None
    try:
        answers = _gathered(reads)
        if sorted(answers) != list(range(len(chunks))) or not _all_ended(pids):
            raise GuardsError(
                "a process analysing Python files in parallel died (out of memory or killed): "
                "run again with more memory"
            )
        return [_answer(answers[n]) for n in range(len(chunks))]
    finally:
        for fd in reads:
            os.close(fd)
        _stop(pids)
        if helper is not None:
            helper.join()


def _worker(work: Work, chunks: list[list[int]], tasks: int, out: int) -> int:
    """A worker's life: take a chunk's number, send WORK's answer for it, until none is left.
    What WORK raises (a bug: a file's failures are answers) is sent as its words."""
    _WORKER[:] = [True]
    with os.fdopen(out, "wb") as pipe:
        while len(number := os.read(tasks, 4)) == 4:
            try:
                found = work(chunks[int.from_bytes(number, "big")])
                answer = pickle.dumps((True, found), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # a bug (a file's failures are answers): its words, sent
                answer = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
            pipe.write(framed(number, answer))
            pipe.flush()
    return 0


def _answer(sent: tuple[bool, Any]) -> Any:
    done, answer = sent
    if not done:
        raise GuardsError(
            f"analysing Python files in parallel failed ({answer}): report it as a bug"
        )
    return answer


def _gathered(reads: dict[int, bytearray]) -> dict[int, Any]:
    """Every whole record the workers' pipes (READS: descriptor -> what came) carry until each
    is closed: chunk number -> the answer, unpickled (our own workers' pickles)."""
    answers: dict[int, Any] = {}
    open_ = set(reads)
    while open_:
        for fd in select.select(list(open_), [], [])[0]:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                open_.discard(fd)
                continue
            reads[fd] += chunk
            for number, answer in unframed(reads[fd], 4):
                answers[int.from_bytes(number, "big")] = pickle.loads(answer)
    return answers


def _all_ended(pids: list[int]) -> bool:
    """Reap the workers (each has closed its pipe: it is ending); whether each exited 0."""
    ended = [os.waitpid(pid, 0)[1] == 0 for pid in pids]
    pids.clear()
    return all(ended)


def _stop(pids: list[int]) -> None:
    """Kill and reap the workers still listed (an error, or an interrupt, left them)."""
    for pid in pids:
        stop_child(pid)


def _dealt(sizes: list[int], workers: int) -> list[list[int]]:
    """Indexes of files of SIZES dealt into chunks for WORKERS, largest file first: each chunk
    takes files until it holds its share of what is left (a 2 * WORKERS'th, never under a
    64 * WORKERS'th of the whole), so chunks shrink as the work runs out, and the last ones,
    taken by whichever worker is free, are small (one 190 KB test module submitted last would
    keep one core busy after the other is done; equal chunks left pytest's listing one worker
    idle for a tenth of its pool)."""
    largest = sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True)
    left = sum(sizes)
    least = left / (64 * workers)
    chunks: list[list[int]] = []
    held = share = 0.0
    for index in largest:
        if not chunks or held >= share:
            chunks.append([])
            held, share = 0.0, max(left / (2 * workers), least)
        chunks[-1].append(index)
        held += sizes[index]
        left -= sizes[index]
    return chunks


def _chunk(items: Items) -> list[tuple[str, Answer | Failure]]:
    return [(path, analyze_one(path, data, options)) for path, data, options in items]


def _pickled(indexes: list[int]) -> list[tuple[str, bytes | Failure]]:
    """``_chunk`` in a worker: each module as its pickle, which crosses to the parent as is."""
    return [(p, r if isinstance(r, tuple) else _pickle(r))
            for p, r in _chunk([_WORK[i] for i in indexes])]  # fmt: skip # -- one comprehension


def _agains(indexes: list[int]) -> list[bytes | None]:
    """``_again`` in a worker, each module as its pickle."""
    return [None if (m := _again(_WORK[i])) is None else _pickle(m) for i in indexes]


def _pickle(module: object) -> bytes:
    return pickle.dumps(module, pickle.HIGHEST_PROTOCOL)


def _again(item: Again) -> Module | None:
    from guards.collect.python.parsing.incremental import analyze_again  # loaded on use

    return analyze_again(*item)


def analyze_one(path: str, data: bytes, options: AnalysisOptions) -> Module | Failure:
    """The facts of one file, or its failure as data (it crosses processes; ``rebuild``)."""
    from guards.collect.python.parsing.analyze import analyze  # loaded by the first file

    try:
        return analyze(path, data, options)
    except NotParsable as exc:
        return ("not-parsable", exc.path, exc.line, str(exc))
    except Undecidable as exc:
        return ("undecidable", exc.path, exc.line, exc.what)


def rebuild(result: Answer | Failure) -> Answer | NotParsable:
    """RESULT's facts, or the NotParsable it says; an undecidable file is raised."""
    if not isinstance(result, tuple):
        return result
    kind, path, line, message = result
    if kind == "undecidable":
        raise Undecidable(path, line, message)
    return NotParsable(path, line, message.split(": does not parse: ", 1)[-1])
