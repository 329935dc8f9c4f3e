"""Parse many modules on every core: one fork-based pool, chunks of files per worker."""

from __future__ import annotations

import os
from collections.abc import Sequence

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing.analyze import AnalysisOptions, analyze
from guards.collect.python.parsing.facts import Module

THRESHOLD = 150  # below this many files a pool costs more than it saves
Result = Module | NotParsable
Failure = tuple[
    str, str, int, str
]  # (kind, path, line, message): exceptions cross processes as data


def analyze_all(
    pairs: Sequence[tuple[str, bytes]], options: AnalysisOptions
) -> list[tuple[str, Result]]:
    """The facts of every (path, bytes) pair, in order; a parse failure is a NotParsable."""
    workers = min(os.cpu_count() or 1, 8)
    if len(pairs) < THRESHOLD or workers < 2:
        return _serial(pairs, options)
    import multiprocessing  # only for a pool: its import is a tenth of a small run's start-up

    if "fork" not in multiprocessing.get_all_start_methods():
        return _serial(pairs, options)
    size = max(1, len(pairs) // (workers * 4))
    chunks = [list(pairs[i : i + size]) for i in range(0, len(pairs), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = pool.starmap(_chunk, [(chunk, options) for chunk in chunks])
    return [(path, _rebuild(r)) for chunk in done for path, r in chunk]


def _serial(
    pairs: Sequence[tuple[str, bytes]], options: AnalysisOptions
) -> list[tuple[str, Result]]:
    return [(path, _rebuild(_one(path, data, options))) for path, data in pairs]


def _chunk(
    pairs: list[tuple[str, bytes]], options: AnalysisOptions
) -> list[tuple[str, Module | Failure]]:
    return [(path, _one(path, data, options)) for path, data in pairs]


def _one(path: str, data: bytes, options: AnalysisOptions) -> Module | Failure:
    try:
        return analyze(path, data, options)
    except NotParsable as exc:
        return ("not-parsable", exc.path, exc.line, str(exc))
    except Undecidable as exc:
        return ("undecidable", exc.path, exc.line, exc.what)


def _rebuild(result: Module | Failure) -> Result:
    if not isinstance(result, tuple):
        return result
    kind, path, line, message = result
    if kind == "undecidable":
        raise Undecidable(path, line, message)
    return NotParsable(path, line, message.split(": does not parse: ", 1)[-1])
