"""The incremental analysis oracle: a changed module analyzed again from its parent's facts
(guards/collect/python/parsing/incremental.py) against its full analysis, field for field, on a
real project's history. Prints figures and every mismatch; it is not a test (CI has no real
checkouts: tests/test_incremental_analysis.py holds the same contract on modules it builds).

    python -m benchmarks.incremental_oracle CHECKOUT [--commits N] [--rev REV]

For each of the last N non-merge commits before REV, each modified ``.py`` file: its parent's
bytes are analyzed in full, then the commit's bytes in full and again from the parent's facts.
A test module (``test_*.py`` or under a ``test``/``tests`` folder) is analyzed as the gate's
collector asks (definitions kept), any other as a helper. Exit 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from guards.collect.model import NotParsable, Undecidable  # noqa: E402 -- after the path fix
from guards.collect.python.parsing.analyze import analyze  # noqa: E402 -- after the path fix
from guards.collect.python.parsing.facts import Module  # noqa: E402 -- after the path fix
from guards.collect.python.parsing.incremental import analyze_again  # noqa: E402 -- as above
from guards.collect.python.parsing.options import (  # noqa: E402 -- after the path fix
    DEFAULT_OPTIONS,
    AnalysisOptions,
)
from guards.core.git import Git  # noqa: E402 -- after the path fix

TESTS = AnalysisOptions(with_defs=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout")
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--rev", default="HEAD")
    args = parser.parse_args()
    git = Git(args.checkout)
    counts = {"files": 0, "reused": 0, "mismatches": 0}
    seconds = {"full": 0.0, "again": 0.0}
    for commit in _commits(args.checkout, args.rev, args.commits):
        for path in _modified(args.checkout, commit):
            old, new = git.read(f"{commit}~1", path), git.read(commit, path)
            if old is not None and new is not None:
                _compare(path, old, new, counts, seconds)
    print(
        f"{counts['files']} modified files, {counts['reused']} analyzed again from their "
        f"parent's facts, {counts['mismatches']} mismatches; those {counts['reused']}: "
        f"{seconds['full']:.2f} s in full, {seconds['again']:.2f} s again"
    )
    return 1 if counts["mismatches"] else 0


def _commits(checkout: str, rev: str, count: int) -> list[str]:
    cmd = ["git", "-C", checkout, "rev-list", "--no-merges", f"-{count}", rev]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()


def _modified(checkout: str, commit: str) -> list[str]:
    cmd = ["git", "-C", checkout, "diff", "--no-renames", "--name-status", f"{commit}~1", commit]
    lines = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.splitlines()
    return [line[2:] for line in lines if line.startswith("M\t") and line.endswith(".py")]


def _compare(
    path: str, old: bytes, new: bytes, counts: dict[str, int], seconds: dict[str, float]
) -> None:
    options = TESTS if _is_test(path) else DEFAULT_OPTIONS
    try:
        before = analyze(path, old, options)
        started = time.perf_counter()
        full = analyze(path, new, options)
        middle = time.perf_counter()
    except (NotParsable, Undecidable):
        return
    got = analyze_again(path, new, options, before, old)
    ended = time.perf_counter()
    counts["files"] += 1
    if got is None:
        return
    counts["reused"] += 1
    seconds["full"] += middle - started
    seconds["again"] += ended - middle
    if got != full or repr(got) != repr(full):
        counts["mismatches"] += 1
        print(f"MISMATCH {path}: {', '.join(_differing(full, got))}")


def _is_test(path: str) -> bool:
    parts = path.split("/")
    return parts[-1].startswith("test_") or any(p in ("test", "tests") for p in parts[:-1])


def _differing(full: Module, got: Module) -> list[str]:
    return [
        f for f in Module.__dataclass_fields__ if repr(getattr(full, f)) != repr(getattr(got, f))
    ]


if __name__ == "__main__":
    sys.exit(main())
