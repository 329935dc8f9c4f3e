"""Benchmark of one module's analysis against its parse. Prints figures; it is not a timed test.

    python -m benchmarks.analysis_bench CHECKOUT [--runs 3] [--profile] [--defs] [--lazy]

Lists the files of CHECKOUT's HEAD that mention a skip word (one ``git grep``), reads them
once, then times, in this process, reading nothing more: ``ast.parse`` of every file against
``analyze(path, data)`` of every file (which parses too: the analysis's own cost is the
difference). Times are CPU seconds of this process (``time.process_time``: the machine's other
work does not count), each the best of --runs runs, with the 10 files whose analysis is
slowest. --profile prints a cProfile top 25 of one analysis pass. --defs and --lazy set the
options the collector sets for the skip set (every definition recorded; only bodies that can
reach a skip read).

The trap: a parse run right after another is warmer (allocator, caches) than the first; both
figures are best-of-runs so neither pays the cold start alone.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import pstats
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from guards.collect.python.parsing.analyze import analyze  # noqa: E402 -- after the path fix
from guards.collect.python.parsing.options import AnalysisOptions  # noqa: E402 -- likewise

TERMS = ("skip", "Skip", "xfail", "XFail", "expectedFailure")
Files = Sequence[tuple[str, bytes]]


def skip_files(checkout: Path) -> list[tuple[str, bytes]]:
    """(path, bytes) of every Python file at HEAD that mentions a skip word."""
    pattern = "|".join(TERMS)
    cmd = ["git", "-C", str(checkout), "grep", "-l", "-E", pattern, "HEAD", "--", "*.py"]
    listed = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()
    paths = [line.split(":", 1)[1] for line in listed]
    return [(p, (checkout / p).read_bytes()) for p in paths if (checkout / p).is_file()]


def timed(files: Files, work: Callable[[str, bytes], object]) -> dict[str, float]:
    """Seconds per file of WORK."""
    took: dict[str, float] = {}
    for path, data in files:
        started = time.process_time()
        work(path, data)
        took[path] = time.process_time() - started
    return took


def best(files: Files, work: Callable[[str, bytes], object], runs: int) -> dict[str, float]:
    """Per file, the fastest of RUNS passes."""
    passes = [timed(files, work) for _ in range(runs)]
    return {path: min(p[path] for p in passes) for path, _ in files}


def report(parse: dict[str, float], analysis: dict[str, float]) -> None:
    total_parse, total_analysis = sum(parse.values()), sum(analysis.values())
    ratio = total_analysis / total_parse if total_parse else 0.0
    print(f"files: {len(parse)}")
    print(f"parse:   {total_parse:7.3f} s")
    print(f"analyze: {total_analysis:7.3f} s  ({ratio:.2f}x parse)")
    print(f"{'analyze s':>10} {'parse s':>8} {'x':>5}  file")
    for path in sorted(analysis, key=lambda p: -analysis[p])[:10]:
        x = analysis[path] / parse[path] if parse[path] else 0.0
        print(f"{analysis[path]:10.3f} {parse[path]:8.3f} {x:5.2f}  {path}")


def profile(files: Files, work: Callable[[str, bytes], object]) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(timed, files, work)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--defs", action="store_true")
    parser.add_argument("--lazy", action="store_true")
    args = parser.parse_args(argv)
    files = skip_files(args.checkout)
    options = AnalysisOptions(with_defs=args.defs, lazy_bodies=args.lazy)

    def analysis(path: str, data: bytes) -> object:
        return analyze(path, data, options)

    def parse(path: str, data: bytes) -> object:
        return ast.parse(data, filename=path)

    report(best(files, parse, args.runs), best(files, analysis, args.runs))
    if args.profile:
        profile(files, analysis)
    return 0


if __name__ == "__main__":
    sys.exit(main())
