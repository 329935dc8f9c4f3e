"""Parse many modules on every core: one fork-based pool, chunks of files per worker."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence

from guards.collect.model import NotParsable
from guards.collect.python.parsing.analyze import AnalysisOptions, analyze
from guards.collect.python.parsing.facts import Module

THRESHOLD = 150  # below this many files a pool costs more than it saves
Result = Module | NotParsable
Failure = tuple[str, int, str]


def analyze_all(
    pairs: Sequence[tuple[str, bytes]], options: AnalysisOptions
) -> list[tuple[str, Result]]:
    """The facts of every (path, bytes) pair, in order; a parse failure is a NotParsable."""
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(pairs) < THRESHOLD
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [(path, _rebuild(_one(path, data, options))) for path, data in pairs]
    size = max(1, len(pairs) // (workers * 4))
    chunks = [list(pairs[i : i + size]) for i in range(0, len(pairs), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = pool.starmap(_chunk, [(chunk, options) for chunk in chunks])
    return [(path, _rebuild(r)) for chunk in done for path, r in chunk]


def _chunk(
    pairs: list[tuple[str, bytes]], options: AnalysisOptions
) -> list[tuple[str, Module | Failure]]:
    return [(path, _one(path, data, options)) for path, data in pairs]


def _one(path: str, data: bytes, options: AnalysisOptions) -> Module | Failure:
    try:
        return analyze(path, data, options)
    except NotParsable as exc:
        return (exc.path, exc.line, str(exc))


def _rebuild(result: Module | Failure) -> Result:
    if isinstance(result, tuple):
        path, line, message = result
        return NotParsable(path, line, message.split(": does not parse: ", 1)[-1])
    return result
