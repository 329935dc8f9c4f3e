"""Benchmark on real checkouts: guards against the floors it must be compared with, side by side.

    python -m benchmarks.real_trees --sympy PATH [--pytest PATH] [--date-fns PATH] [--venv VENV]
        [--runs 3] [--guards-src DIR] [--against DIR] [--pairs all|none|SHA,...]

Fetches nothing: it reads the checkouts it is given (full history for the commit pairs). Every
figure is a whole process, the median of --runs runs, with the peak memory of the slowest run
(``resource.getrusage`` of the children). In one run it prints:

- ``guards skips list`` over each checkout's HEAD, with the fact cache off (cold) and primed
  (warm), against the naive floor (one process that reads and ``ast.parse``-s every test file)
  and, when --venv names a virtual environment that can import the project, ``pytest
  --collect-only -q`` run in it; date-fns (TypeScript under vitest, the JavaScript tree: jest's,
  vue's, prettier's and babel's own configurations compute the keys the JS collector needs, so
  guards refuses them) against the same floor with its tree-sitter grammars;
- ``guards run`` (all guards) on the commit pairs below (sympy: merges of real 10-file-ish
  pull requests, first parent .. merge; date-fns: squashed ones, parent .. commit), cold, warm,
  and *primed* as the reusable workflow leaves the cache for a pull request: by its job on the
  push of the base, a run on ``base~1..base`` then ``guards cache warm --rev base`` (each
  measured run starts from a fresh copy of that cache); and primed by that run alone (the
  workflow before the warm step), against ``git diff --name-status -z``. A guards without the
  fact cache or the warm command (--guards-src of an older commit) is measured all the same:
  its primes do nothing.

The first line also prints a calibration: the seconds one process takes for 10^7 Python
additions. On a shared virtual machine it moves by 2x within an hour; figures are comparable
within one run of this script, and across runs only beside their calibration.

--guards-src runs another copy of guards (a checkout of an older commit); by default this
repository. --against DIR measures a second copy beside it, the two taken in turn within every
figure (before, after, after, before, ...), so the machine's drift falls on both alike: each
guards cell then reads ``before -> after s (change), memory``. Single runs of two versions
minutes apart are not comparable here; alternated ones are. Either is measured as installed,
its modules compiled to bytecode first (installed.py): a shell with PYTHONDONTWRITEBYTECODE
would otherwise have every run compile them. The cache of a warm figure lives in a
temporary folder (``$GUARDS_CACHE_DIR``), never in the checkout's git directory.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from benchmarks.installed import as_installed

HERE = Path(__file__).resolve().parent.parent
# (first parent, merge) of sympy/sympy pull requests of 8 to 12 files, tests and code, no
# conftest change: the PR numbers are in the merge messages.
SYMPY_PAIRS = (
    ("176792d492", "055161dbdb"),  # 12 files: matrices, quantum, printing, lambdify
    ("7664e36af0", "446c471631"),  # 8 files: core tests only
    ("ee8dcf129d", "52eedf2f81"),  # 9 files: polys matrices and domains
    ("15e21aca70", "d93f1d8372"),  # 10 files: polys domains, __init__, latex tests
    ("ede4cebebf", "fed423c2c3"),  # 9 files: rootoftools, printing, ode, manualintegrate
)
# (parent, commit) of date-fns/date-fns changes of 8 to 12 files, tests and code (squashed PRs).
DATE_FNS_PAIRS = (
    ("59b756385", "97b53b97e"),  # 8 files: time zone edge cases
    ("012116405", "59b756385"),  # 11 files: time zone support in format, formatISO
    ("219d02ebf", "db3d57cf7"),  # 12 files: tz normalization in differenceIn*
)
NAIVE_JS = (
    "import pathlib, re, sys\n"
    "import tree_sitter, tree_sitter_javascript as js, tree_sitter_typescript as ts\n"
    "root = pathlib.Path(sys.argv[1])\n"
    "named = re.compile(r'(^|[._-])(test|spec)\\.[cm]?[jt]sx?$')\n"
    "script = re.compile(r'\\.[cm]?[jt]sx?$')\n"
    "typed = {'.ts': ts.language_typescript(), '.mts': ts.language_typescript(),\n"
    "         '.cts': ts.language_typescript(), '.tsx': ts.language_tsx()}\n"
    "for p in root.rglob('*'):\n"
    "    if {'.git', 'node_modules'} & set(p.parts) or not script.search(p.name):\n"
    "        continue\n"
    "    if named.search(p.name) or '__tests__' in p.parts:\n"
    "        grammar = tree_sitter.Language(typed.get(p.suffix, js.language()))\n"
    "        tree_sitter.Parser(grammar).parse(p.read_bytes())\n"
)
NAIVE = (
    "import ast, pathlib, sys\n"
    "root = pathlib.Path(sys.argv[1])\n"
    "for p in [*root.rglob('test_*.py'), *root.rglob('*_test.py')]:\n"
    "    if '.git' not in p.parts:\n"
    "        ast.parse(p.read_bytes())\n"
)
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.DEVNULL).returncode\n"
    "took = time.perf_counter() - t\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'{took} {peak} {code}')\n"
)


class Figure(NamedTuple):
    seconds: float
    peak_mib: float
    code: int

    def cell(self) -> str:
        return f"{self.seconds:.2f} s, {self.peak_mib:.0f} MiB (exit {self.code})"


def measure(cmd: Sequence[str], cwd: str, env: dict[str, str], runs: int) -> Figure:
    """The median wall time of RUNS runs of CMD, the largest peak RSS and the last exit code."""
    return alternated(cmd, cwd, [env], runs)[0]


def alternated(
    cmd: Sequence[str], cwd: str, envs: Sequence[dict[str, str]], runs: int
) -> list[Figure]:
    """``measure`` of CMD under each of ENVS, taken in turn within every round and in the
    other order the next (ABBA): whatever the machine does meanwhile falls on all alike."""
    return _alternate([functools.partial(_once, cmd, cwd, env) for env in envs], runs)


def _alternate(takes: Sequence[Callable[[], Figure]], runs: int) -> list[Figure]:
    found: list[list[Figure]] = [[] for _ in takes]
    for round_ in range(runs):
        order = range(len(takes)) if round_ % 2 == 0 else reversed(range(len(takes)))
        for index in order:
            found[index].append(takes[index]())
    return [_median(figures) for figures in found]


def _once(cmd: Sequence[str], cwd: str, env: dict[str, str]) -> Figure:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, cwd, *cmd],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return Figure(float(out[0]), int(out[1]) / 1024, int(out[2]))


def _median(found: Sequence[Figure]) -> Figure:
    seconds = statistics.median(f.seconds for f in found)
    return Figure(seconds, max(f.peak_mib for f in found), found[-1].code)


def cell(figures: Sequence[Figure]) -> str:
    """One guards cell: a figure, or before -> after with the change."""
    if len(figures) == 1:
        return figures[0].cell()
    before, after = figures
    change = (after.seconds / before.seconds - 1) * 100 if before.seconds else 0.0
    codes = f"{after.code}" if before.code == after.code else f"{before.code} -> {after.code}"
    return (
        f"{before.seconds:.2f} -> {after.seconds:.2f} s ({change:+.0f}%), "
        f"{before.peak_mib:.0f} -> {after.peak_mib:.0f} MiB (exit {codes})"
    )


class Bench:
    def __init__(self, sources: Sequence[Path], runs: int) -> None:
        """SOURCES: the guards trees measured, one, or before and after (taken in turn)."""
        self.runs = runs
        self.envs = [self._env(source) for source in sources]
        self.env = self.envs[-1]  # the references' (a floor, git diff, pytest)
        self.guards = [sys.executable, "-m", "guards"]

    @staticmethod
    def _env(source: Path) -> dict[str, str]:
        env = as_installed({**os.environ, "PYTHONPATH": str(source)}, source)
        return {k: v for k, v in env.items() if not k.startswith("GITHUB_")}

    def guards_cold_warm(self, args: Sequence[str], repo: str) -> tuple[str, str]:
        cmd = [*self.guards, *args]
        cold = alternated(
            cmd, repo, [{**e, "GUARDS_CACHE_DIR": "off"} for e in self.envs], self.runs
        )
        with tempfile.TemporaryDirectory(prefix="guards-bench-cache-") as folder:
            envs = [
                {**env, "GUARDS_CACHE_DIR": str(Path(folder, str(n)))}
                for n, env in enumerate(self.envs)
            ]
            for env in envs:
                _once(cmd, repo, env)  # primes its cache
            warm = alternated(cmd, repo, envs, self.runs)
        return cell(cold), cell(warm)

    def primed(self, args: Sequence[str], primes: Sequence[Sequence[str]], repo: str) -> str:
        """ARGS with a cache that only the commands PRIMES filled, fresh for every measured run."""
        with tempfile.TemporaryDirectory(prefix="guards-bench-primed-") as folder:
            takes = [
                self._primed_take(args, primes, repo, env, Path(folder, str(n)))
                for n, env in enumerate(self.envs)
            ]
            return cell(_alternate(takes, self.runs))

    def _primed_take(
        self,
        args: Sequence[str],
        primes: Sequence[Sequence[str]],
        repo: str,
        env: dict[str, str],
        folder: Path,
    ) -> Callable[[], Figure]:
        """One measured run of ARGS from a fresh copy of the cache PRIMES leave under ENV."""
        primed, used = folder / "primed", folder / "used"
        for prime in primes:
            _once([*self.guards, *prime], repo, {**env, "GUARDS_CACHE_DIR": str(primed)})
        primed.mkdir(parents=True, exist_ok=True)  # a guards that keeps no cache wrote nothing

        def take() -> Figure:
            shutil.rmtree(used, ignore_errors=True)
            shutil.copytree(primed, used)
            return _once([*self.guards, *args], repo, {**env, "GUARDS_CACHE_DIR": str(used)})

        return take

    def skips_list(
        self, name: str, repo: str, venv: str, naive: tuple[str, str] = ("ast.parse", NAIVE)
    ) -> list[list[str]]:
        head = _git(repo, "rev-parse", "--short=10", "HEAD")
        cold, warm = self.guards_cold_warm(["skips", "list", "--repo", repo], repo)
        parser, code = naive
        floor = measure([sys.executable, "-c", code, repo], repo, self.env, self.runs)
        rows = [
            _row(f"`guards skips list`, {name} @ {head}", cold, warm),
            _row(f"naive floor: read + {parser} every test file of {name}", ref=floor.cell()),
        ]
        if venv:
            python = str(Path(venv) / "bin" / "python")
            cmd = [python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
            as_ci = {**self.env, "PYTHONDONTWRITEBYTECODE": "1"}  # no rewritten test module cached
            collect = measure(cmd, repo, as_ci, self.runs)
            rows.append(_row(f"`pytest --collect-only`, {name}", pytest=collect.cell()))
        return rows

    def pairs(self, name: str, repo: str, pairs: Sequence[tuple[str, str]]) -> list[list[str]]:
        rows = []
        for base, head in pairs:
            files = _git(repo, "diff", "--name-only", base, head).count("\n") + 1
            cold, warm = self.guards_cold_warm(_run(repo, base, head), repo)
            push = _run(repo, f"{base}~1", base)
            warmed = ["cache", "warm", "--repo", repo, "--rev", base]
            primed = self.primed(_run(repo, base, head), [push, warmed], repo)
            pushed = self.primed(_run(repo, base, head), [push], repo)
            diff = ["git", "diff", "--name-status", "-z", base, head]
            ref = measure(diff, repo, self.env, self.runs)
            work = f"`guards run`, {name} {base}..{head} ({files} files)"
            rows.append(_row(work, cold, warm, primed, pushed, ref=ref.cell()))
        return rows


def _run(repo: str, base: str, head: str) -> list[str]:
    return ["run", "--repo", repo, "--base", base, "--head", head, "--format", "json"]


def _row(
    work: str,
    cold: str = "",
    warm: str = "",
    primed: str = "",
    pushed: str = "",
    ref: str = "",
    pytest: str = "",
) -> list[str]:
    return [work, cold, warm, primed, pushed, ref, pytest]


def _calibration() -> float:
    """Seconds for 10^7 Python additions in a fresh process: how fast the machine is now."""
    code = "import time\nt = time.perf_counter()\nsum(range(10**7))\nprint(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def _git(repo: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def table(rows: list[list[str]]) -> str:
    head = [
        "work",
        "guards, cache off",
        "guards, cache warm",
        "guards, primed by the base's push job (run + cache warm)",
        "guards, primed by the push's run alone",
        "reference",
        "pytest",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sympy", default="", help="a sympy/sympy checkout (full history)")
    parser.add_argument("--pytest", default="", help="a pytest-dev/pytest checkout")
    parser.add_argument("--date-fns", default="", help="a date-fns/date-fns checkout (history)")
    parser.add_argument("--venv", default="", help="a venv for pytest --collect-only")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--guards-src", default=str(HERE), help="the guards tree to measure")
    parser.add_argument("--against", default="", help="a guards tree measured before it, in turn")
    parser.add_argument("--pairs", default="all", help="all, none, or HEAD SHAs to keep")
    parser.add_argument("--no-list", action="store_true", help="skip the skips-list rows")
    args = parser.parse_args(argv)
    sources = [Path(p).resolve() for p in (args.against, args.guards_src) if p]
    bench = Bench(sources, max(1, args.runs))
    rows: list[list[str]] = []
    started = time.perf_counter()
    for name, repo in (("sympy", args.sympy), ("pytest", args.pytest)):
        if repo and not args.no_list:
            rows += bench.skips_list(name, str(Path(repo).resolve()), args.venv)
    if args.date_fns and not args.no_list:
        floor = ("tree-sitter parse", NAIVE_JS)
        rows += bench.skips_list("date-fns", str(Path(args.date_fns).resolve()), "", floor)
    keep = args.pairs.split(",")
    for name, repo, known in (
        ("sympy", args.sympy, SYMPY_PAIRS),
        ("date-fns", args.date_fns, DATE_FNS_PAIRS),
    ):
        if repo and args.pairs != "none":
            chosen = [p for p in known if args.pairs == "all" or p[1] in keep]
            rows += bench.pairs(name, str(Path(repo).resolve()), chosen)
    against = f" against {args.against} (before -> after, taken in turn)" if args.against else ""
    print(f"guards from {args.guards_src}{against}; {os.cpu_count()} cores; "
          f"median of {args.runs} run(s); "
          f"calibration: 10^7 additions in {_calibration():.2f} s")  # fmt: skip # -- one line
    print(table(rows))
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
