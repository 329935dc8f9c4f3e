"""Benchmark: the fixed cost of a process, `guards run` on a one-file repository.

Builds a repository in a temporary directory (one commit changing one Python file) and prints
whole-process medians of `guards --version` and `guards run` (json and text formats), then the
modules that cost most to import (`python -X importtime`, by cumulative time). The target is
`guards run` under 0.25 s on 2 cores. Prints figures; it is not a timed test.

The traps: every run gets the isolated environment (no GITHUB_* variables, no user git config),
so a developer's shell cannot add a payload, a token or a hook to what is measured; and bytecode
is cached (in a temporary PYTHONPYCACHEPREFIX, after one discarded warm-up run) as an installed
wheel's is, even where the shell sets PYTHONDONTWRITEBYTECODE: else every run compiles every
module and measures the compiler. Beside the median wall clock are the median CPU seconds (user
+ sys of the child) and the fastest run: on a shared machine they move less than the median.

Run: python -m benchmarks.startup_bench [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from guards.core.git import isolated_env
from testing.git_repo import ScratchRepo

GUARDS = [sys.executable, "-m", "guards"]


class Imported(NamedTuple):
    """One `-X importtime` line: a module and its self and cumulative times in microseconds."""

    module: str
    self_us: int
    cumulative_us: int


def build(root: Path) -> tuple[Path, str, str]:
    """A repository whose head commit changes one Python file: (path, base, head)."""
    repo = ScratchRepo(root)
    repo.write({"mod.py": "X = 1\n"})
    base = repo.commit("base")
    repo.write({"mod.py": "X = 2\n"})
    return repo.path, base, repo.commit("change mod.py")


def run_args(repo: Path, base: str, head: str, fmt: str) -> list[str]:
    return ["run", "--repo", str(repo), "--base", base, "--head", head, "--format", fmt]


class Timing(NamedTuple):
    """Whole-process seconds: wall clock (median, fastest) and the child's CPU (user + sys)."""

    wall: float
    cpu: float
    fastest: float = 0.0


def bench_env(pycache: Path) -> dict[str, str]:
    """The isolated environment, writing and reading bytecode under PYCACHE."""
    env = isolated_env({"PYTHONPYCACHEPREFIX": str(pycache)})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str], env: Mapping[str, str]) -> Timing:
    """One whole process; its output is discarded, its exit code is a verdict."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(wall, cpu)


def median(cmd: list[str], env: Mapping[str, str], runs: int) -> Timing:
    timed(cmd, env)  # warm-up: writes the bytecode cache
    times = [timed(cmd, env) for _ in range(runs)]
    walls = [t.wall for t in times]
    return Timing(statistics.median(walls), statistics.median(t.cpu for t in times), min(walls))


def importtime(args: list[str], env: Mapping[str, str]) -> list[Imported]:
    """The modules one run imports, by cumulative time, most first."""
    cmd = [sys.executable, "-X", "importtime", "-m", "guards", *args]
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False, text=True)
    rows = [parse_line(line) for line in proc.stderr.splitlines()]
    found = [row for row in rows if row is not None]
    return sorted(found, key=lambda row: row.cumulative_us, reverse=True)


def parse_line(line: str) -> Imported | None:
    """`import time:  self |  cumulative | name`; the header line and others are None."""
    parts = line.removeprefix("import time:").split("|")
    if len(parts) != 3 or not parts[0].strip().isdigit():
        return None
    return Imported(parts[2].strip(), int(parts[0]), int(parts[1]))


def print_imports(rows: list[Imported], top: int) -> None:
    total = sum(row.self_us for row in rows) / 1000
    print(
        f"\nimports of `guards run --format json`: {len(rows)} modules, {total:.0f} ms self total"
    )
    print(f"{'cumulative ms':>14} {'self ms':>8}  module")
    for row in rows[:top]:
        print(f"{row.cumulative_us / 1000:>14.1f} {row.self_us / 1000:>8.1f}  {row.module}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=10, help="runs per figure (median)")
    ap.add_argument("--top", type=int, default=15, help="rows of the import table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo, base, head = build(Path(tmp) / "repo")
        env = bench_env(Path(tmp) / "pycache")
        print(
            f"one-file repository; whole process on {os.cpu_count()} cores, median of {args.runs}"
        )
        print(f"{'':<32} {'wall':>7} {'cpu':>7} {'fastest':>8}")
        for label, cmd in (
            ("python -c pass (the floor)", [sys.executable, "-c", "pass"]),
            ("guards --version", [*GUARDS, "--version"]),
            ("guards run --format json", [*GUARDS, *run_args(repo, base, head, "json")]),
            ("guards run --format text", [*GUARDS, *run_args(repo, base, head, "text")]),
        ):
            t = median(cmd, env, args.runs)
            print(f"{label:<32} {t.wall:>6.3f}s {t.cpu:>6.3f}s {t.fastest:>7.3f}s")
        print_imports(importtime(run_args(repo, base, head, "json"), env), args.top)


if __name__ == "__main__":
    main()
