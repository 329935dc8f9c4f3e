"""Analyze ahead, on the core a cold run leaves idle: the modules a change's classes inherit from.

Once a change's files are analyzed, the rest of a cold run is mostly one core's work, and much of
it waits on library modules analyzed one class base at a time: sympy's ``RootOf(Expr)`` needs
sympy/core/expr.py, then evalf.py for ``EvalfMixin``; a test class's ``Function`` needs
function.py. Which modules is known as soon as the changed files' facts are: ``start`` forks a
child at a lower priority (core/forks.py, as guards/runner.py does) that follows the bases of
every class of those files on each side with the linker's own ``Resolver.mro`` (which analyzes
the module each base lives in), and sends each module it analyzed back as it finishes it.
Before a Revision analyzes a module it asks ``take``: facts that arrived are taken as they are
(the child's pickle, read by the fact cache's restricted unpickler), a module the child is
analyzing now is waited for, and any other is analyzed here as before.

Contract: the same facts either way (the child runs the same analysis of the same bytes, under
the fact cache's key for them); the child can only save time. ``Revision.stop_ahead`` kills and
reaps it once the sides are collected.

The traps: the parent never depends on the child. A child that dies, sends what is not a record,
or keeps a module past WAIT seconds is let go, and what it did not send is analyzed here. It
leaves by ``os._exit`` (core/forks.py: a closed pipe or any failure is its exit code, never a
return into the parent's code), reads through its own git processes (core/git.py's reader
knows its owner's pid), and does at most MAX_MODULES analyses.
A record is a kind (``S`` started, ``D`` done with the pickle, ``F`` failed), the 64-character
key and the payload's length: the pipe carries nothing else.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import time
from collections.abc import Iterator, Sequence
from typing import IO

from guards.collect.cache import FactCache
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import Klass, Module
from guards.collect.python.sources.revision import Revision
from guards.core.forks import framed, start_child, stop_child, unframed
from guards.errors import GuardsError

WAIT = 60.0  # seconds the parent waits for a module the child is analyzing
MAX_MODULES = 100  # sympy's changes lead to ten or twenty
KEY = 64  # a fact cache key: a sha256 in hex


class Lookahead:
    """The parent's side: what the child sent, read as the parent asks."""

    def __init__(self, pid: int, fd: int, cache: FactCache) -> None:
        self.pid, self.fd, self.cache = pid, fd, cache
        self.buffer = bytearray()
        self.done: dict[str, bytes] = {}  # key -> the child's pickle of its facts
        self.busy: str | None = None  # the key the child said it started and has not sent
        self.ended = False
        os.set_blocking(fd, False)

    def take(self, key: str) -> Module | None:
        """The facts of KEY when the child analyzed them (waiting while it is), stored in the
        fact cache as the child's pickle (the child stores nothing: Revision.forked); else
        None."""
        self._read()
        deadline = time.monotonic() + WAIT
        while key == self.busy and not self.ended:
            if not self._wait(deadline - time.monotonic()):
                self.stop()  # slower than analyzing here: let it go
        raw = self.done.pop(key, None)
        return None if raw is None else self.cache.adopt(key, raw)

    def _wait(self, left: float) -> bool:
        """Read what comes within LEFT seconds; False when nothing did."""
        if left <= 0 or not select.select([self.fd], [], [], left)[0]:
            return False
        self._read()
        return True

    def _read(self) -> None:
        while not self.ended:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            self.buffer += chunk
            self.ended = not chunk
        for kind, key, payload in _records(self.buffer):
            self._note(kind, key, payload)

    def _note(self, kind: bytes, key: str, payload: bytes) -> None:
        if kind == b"S":
            self.busy = key
            return
        if kind == b"D" and self.cache.get(key) is None:  # else the parent analyzed it too
            self.done[key] = payload
        if key == self.busy:
            self.busy = None

    def stop(self) -> None:
        """Kill the child and reap it (once)."""
        if self.pid:
            stop_child(self.pid)
            os.close(self.fd)
            self.pid, self.ended, self.busy = 0, True, None


def _records(buffer: bytearray) -> Iterator[tuple[bytes, str, bytes]]:
    """The whole records at the start of BUFFER, removed from it as they are read. A record
    that is not one ends the reading: what follows it cannot be trusted either."""
    for head, payload in unframed(buffer, 1 + KEY):
        kind, key = head[:1], head[1:]
        if kind not in (b"S", b"D", b"F") or not key.isalnum():
            buffer.clear()
            return
        yield kind, key.decode(), payload


def start(revisions: Sequence[Revision], paths: Sequence[str]) -> None:
    """Fork the child that follows the class bases of PATHS (analyzed already) on REVISIONS,
    and tell each revision of it; nothing where there is no fork, no class, or no process or
    descriptor left to start one (it only saves time)."""
    if not hasattr(os, "fork") or not any(_classes(rev, paths) for rev in revisions):
        return
    try:
        pid, read = start_child(lambda write: _child(revisions, paths, write))
    except OSError:  # no pipe or process left: the run analyzes everything itself
        return
    ahead = Lookahead(pid, read, revisions[0].cache)
    for rev in revisions:
        rev.ahead = ahead


def _child(revisions: Sequence[Revision], paths: Sequence[str], write: int) -> int:
    with os.fdopen(write, "wb") as out:
        budget = [MAX_MODULES]
        for rev in revisions:
            rev.forked()
        for rev in revisions:
            resolver = Resolver(_Telling(rev, out, budget))
            for module, klass in _classes(rev, paths):
                with contextlib.suppress(GuardsError):  # the parent meets it, and says so
                    resolver.mro(module, klass)
    return 0


def _classes(rev: Revision, paths: Sequence[str]) -> list[tuple[Module, Klass]]:
    """Every class of PATHS' modules at REV (nested ones too), with its module."""
    found: list[tuple[Module, Klass]] = []
    for module in filter(None, map(rev.known, paths)):
        klasses = list(module.classes)
        for klass in klasses:
            klasses += klass.nested
            found.append((module, klass))
    return found


class _Telling:
    """REV, as the linker's World, telling OUT of each module it analyzes for it."""

    def __init__(self, rev: Revision, out: IO[bytes], budget: list[int]) -> None:
        self.rev, self.out, self.budget = rev, out, budget

    def module(self, dotted: str, from_path: str) -> Module | None:
        path = self.rev.module_path(dotted, from_path)
        key = self.rev.unknown_key(path) if path else None
        if key is None:
            return self.rev.module(dotted, from_path)
        if self.budget[0] <= 0:
            raise GuardsError("the lookahead's bound")  # ends this class; the parent goes on
        self.budget[0] -= 1
        self._send(b"S", key)
        found = self.rev.module(dotted, from_path)
        if found is None:
            self._send(b"F", key)
        else:
            self._send(b"D", key, pickle.dumps(found, pickle.HIGHEST_PROTOCOL))
        return found

    def fixture_module(self, dotted: str, from_path: str, name: str = "") -> Module | None:
        return None  # a class's bases never ask

    def _send(self, kind: bytes, key: str, payload: bytes = b"") -> None:
        self.out.write(framed(kind + key.encode(), payload))
        self.out.flush()
