"""Benchmark: the citation parser on the largest PR body guards accepts, per hostile unit, and
range lookup: MAX_CITATIONS ranges (and 13,000, past the bound) against a 1,000-section spec.

Speed is measured here, not asserted in tests: a wall-clock bound in a test fails on a loaded
runner (32 s against a 20 s bound on a busy 2-core machine) and proves nothing about the code.
The tests assert behaviour (the body is read, one character more is refused). Prints one line
per unit; run: python -m benchmarks.cite_bench [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import time

from guards.errors import GuardsError
from guards.spec import cite, visible
from guards.spec.index import parse_doc
from guards.spec.lookup import Cited, build_index
from tests.test_cite_parser import HOSTILE_UNITS


def fill(unit: str, size: int) -> str:
    """UNIT repeated to exactly SIZE characters."""
    return (unit * (size // len(unit) + 1))[:size]


def best_of(unit: str, repeat: int) -> float:
    """The fastest of REPEAT parses of a MAX_CHARS body made of UNIT, in seconds."""
    text = fill(unit, visible.MAX_CHARS)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.suppress(GuardsError):  # past MAX_CITATIONS: refused at the bound
            cite.read("", text)
        times.append(time.perf_counter() - started)
    return min(times)


def ranges(count: int, sections: int = 1000) -> None:
    """COUNT overlapping range citations read from a body and looked up in a spec of
    SECTIONS sections (the union spec-ref takes, and each range's documents)."""
    spec = "# Spec\n\n" + "".join(f"## §{i} Part {i}\n\ntext\n\n" for i in range(1, sections + 1))
    index = build_index([parse_doc("SPEC.md", spec)])
    body = " ".join(f"§§{i % sections + 1}-{sections - i % sections}" for i in range(count))
    started = time.perf_counter()
    try:
        found = cite.read("", body).citations
    except GuardsError as exc:
        print(f"{time.perf_counter() - started:8.3f} s  {count:,} ranges: refused: {exc}"[:160])
        return
    cited = [Cited(c.first, c.last, c.doc) for c in found]
    named = index.union(cited)
    docs = [index.docs_of(c) for c in cited]
    took = time.perf_counter() - started
    print(
        f"{took:8.3f} s  {count:,} ranges x {sections:,} sections: {len(named)} named, {len(docs)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cite.read on {visible.MAX_CHARS:,} characters, best of {args.repeat}")
    for unit in HOSTILE_UNITS:
        print(f"{best_of(unit, args.repeat):8.3f} s  {unit[:20]!r}")
    print("range citations against a spec (read, union of the ranges, documents per range)")
    for count in (cite.MAX_CITATIONS, 13_000):
        ranges(count)
    print("the citation grammar alone on 10 MiB of visible prose (linear, or it takes hours)")
    for unit in HOSTILE_UNITS[2:]:
        text = fill(unit, 10 << 20)
        started = time.perf_counter()
        found = sum(1 for _ in cite.find(text, "b"))
        print(f"{time.perf_counter() - started:8.3f} s  {unit[:20]!r} ({found} citations)")


if __name__ == "__main__":
    main()
