"""The skeleton oracle: every Python module of a real checkout analyzed as the listing analyzes
it (bodies read lazily), with its cold bodies left unparsed (guards/collect/python/parsing/
skeleton.py) and from its whole parse, field for field. Prints figures and every mismatch; it
is not a test (CI has no real checkouts: tests/test_skeleton.py holds the same contract on
modules it builds).

    python -m benchmarks.skeleton_oracle CHECKOUT... [--known NAME ...]

Each module is analyzed twice with no names known to skip, and twice with the --known names
(default: ``raises XFAIL slow skip``, which make more bodies hot on sympy). Exit 1 on any
mismatch. The seconds are each way's total, in this process (a parse-bound figure).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from guards.collect.python.parsing import analyze as analysis  # noqa: E402 -- after the path fix
from guards.collect.python.parsing import skeleton  # noqa: E402 -- after the path fix
from guards.collect.python.parsing.options import AnalysisOptions  # noqa: E402 -- as above

Outcome = object  # a Module, or the (exception type, message) the analysis raised


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+")
    parser.add_argument("--known", nargs="*", default=["raises", "XFAIL", "slow", "skip"])
    args = parser.parse_args()
    options = [
        AnalysisOptions(lazy_bodies=True, spans=False),
        AnalysisOptions(lazy_bodies=True, spans=False, known=tuple(args.known)),
    ]
    counts, seconds = {"analyses": 0, "cut": 0, "mismatches": 0}, {"whole": 0.0, "cut": 0.0}
    for checkout in args.checkouts:
        for path, data in _modules(checkout):
            for option in options:
                _compare(path, data, option, counts, seconds)
    print(
        f"{counts['analyses']} analyses, {counts['cut']} with a skeleton, "
        f"{counts['mismatches']} mismatches; whole parse {seconds['whole']:.1f} s, "
        f"skeleton {seconds['cut']:.1f} s"
    )
    return 1 if counts["mismatches"] else 0


def _modules(checkout: str) -> list[tuple[str, bytes]]:
    listed = ["git", "-C", checkout, "ls-files", "-z", "*.py"]
    paths = subprocess.run(listed, capture_output=True, check=True).stdout.decode().split("\0")
    return [(p, (Path(checkout) / p).read_bytes()) for p in paths if (Path(checkout) / p).is_file()]


def _compare(
    path: str,
    data: bytes,
    option: AnalysisOptions,
    counts: dict[str, int],
    seconds: dict[str, float],
) -> None:
    made: list[skeleton.Skeleton | None] = []  # what the analysis was given (it asks once)
    real = skeleton.cut  # _outcome puts CUT in its place

    def cut(path: str, data: bytes, option: AnalysisOptions) -> skeleton.Skeleton | None:
        made.append(real(path, data, option))
        return made[-1]

    whole, took_whole = _timed(lambda: _outcome(path, data, option, lambda *_: None))
    found, took_cut = _timed(lambda: _outcome(path, data, option, cut))
    counts["analyses"] += 1
    counts["cut"] += any(m is not None for m in made)
    seconds["whole"] += took_whole
    seconds["cut"] += took_cut
    if found != whole:
        counts["mismatches"] += 1
        print(f"MISMATCH {path}: {str(whole)[:300]} | {str(found)[:300]}")


def _outcome(
    path: str, data: bytes, option: AnalysisOptions, cut: Callable[..., object]
) -> Outcome:
    """The analysis of PATH with CUT as the skeleton's maker (one that makes none: the whole
    parse)."""
    kept = skeleton.cut
    skeleton.cut = cut  # type: ignore[assignment] # -- the oracle picks the way, nothing else
    try:
        return analysis.analyze(path, data, option)
    except Exception as exc:  # an outcome to compare, whatever it is
        return (type(exc).__name__, str(exc))
    finally:
        skeleton.cut = kept


def _timed(work: Callable[[], Outcome]) -> tuple[Outcome, float]:
    start = time.perf_counter()
    found = work()
    return found, time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
