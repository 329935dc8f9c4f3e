"""Keep a SARIF report within what GitHub code scanning accepts, and say what was left out.

Code scanning rejects a whole file over its limits (docs, "SARIF support for code scanning"):
more than 25,000 results in a run, or more than 10 MB gzip-compressed. An uncapped report
(25,100 results from one large change) was rejected, so nothing reached code scanning. Here
results are kept fairly (report/fair.py: each guard's worst first, round robin), first to
25,000; when those do not compress under 10 MB, to 10,000,000 bytes of the file as rendered
(uncompressed, so the compressed file is under 10 MB whatever the ratio). What was left
out, per guard, goes into the run's properties and a tool notification; every finding stays
in the JSON report (the workflow's ``guards-report`` artifact).
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from guards.report import fair

MAX_RESULTS = 25_000
MAX_BYTES = 10_000_000
_DEPTH_INDENT = 8  # runs[0].results[i] sits 4 levels deep in the indent=2 document
_RANK = {"error": 0, "warning": 1, "note": 2}


def size(result: dict[str, Any]) -> int:
    """Bytes RESULT takes in the indent=2 document (ASCII JSON: characters are bytes)."""
    text = json.dumps(result, indent=2)
    return len(text) + _DEPTH_INDENT * (text.count("\n") + 1) + 2


def cap(
    results: list[dict[str, Any]],
    frame_bytes: int,
    max_results: int = MAX_RESULTS,
    max_bytes: int = MAX_BYTES,
    max_gzip: int = MAX_BYTES,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """(results kept, in report order; results left out per guard). Up to MAX_RESULTS are
    kept when they compress under MAX_GZIP; else only what fits MAX_BYTES uncompressed."""
    guards = list(dict.fromkeys(_guard(r) for r in results))
    groups = [sorted((r for r in results if _guard(r) == g), key=_rank) for g in guards]
    kept, _ = fair.share(groups, max_results)
    if gzip_size([r for g in kept for r in g]) + frame_bytes > max_gzip:
        kept, _ = fair.share(kept, max_bytes - frame_bytes, cost=size)
    keep = {id(r) for g in kept for r in g}
    omitted = {g: len(a) - len(k) for g, a, k in zip(guards, groups, kept, strict=True)}
    return [r for r in results if id(r) in keep], {g: n for g, n in omitted.items() if n}


def gzip_size(results: list[dict[str, Any]]) -> int:
    """Bytes of RESULTS as rendered (indent=2), gzip-compressed as the upload measures it."""
    return len(gzip.compress(json.dumps(results, indent=2).encode(), compresslevel=6))


def notification(omitted: dict[str, int]) -> dict[str, Any]:
    """The tool notification that says what was left out and where it all is."""
    parts = ", ".join(f"{n} of {g}" for g, n in omitted.items())
    return {
        "level": "warning",
        "message": {
            "text": f"{sum(omitted.values())} result(s) left out ({parts}): code scanning "
            f"accepts at most {MAX_RESULTS:,} results per run and 10 MB (gzip) per file. "
            "Every finding is in the JSON report (the guards-report workflow artifact, or "
            "guards run --format json)."
        },
    }


def _guard(result: dict[str, Any]) -> str:
    return str(result["properties"]["guard"])


def _rank(result: dict[str, Any]) -> int:
    return _RANK.get(str(result.get("level")), 3)
