"""Benchmark: skip-set on JS/TS follows the change. Prints figures; it is not a timed test.

    python -m benchmarks.skip_set_js [--files 20000]

A repository of FILES TypeScript test files (five tests each) under a jest configuration; a PR
that touches 10 of them (one adds an ``it.skip``). ``guards run --only skip-set`` is timed on
that tree and on one ten times smaller, and the files the JS collector parsed are counted: the
cost follows the 10 changed files (plus the configuration read above them), not the tree.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from guards.core.git import isolated_env
from testing.git_repo import ScratchRepo

JEST = '{ "name": "bench", "jest": { "testPathIgnorePatterns": ["/node_modules/"] } }\n'
COUNT = (
    "import guards.collect.js.syntax as s, runpy, sys\n"
    "n = [0]\n"
    "real = s.parse\n"
    "def parse(p, d):\n"
    "    n[0] += 1\n"
    "    return real(p, d)\n"
    "s.parse = parse\n"
    "import guards.collect.js as js\n"
    "js.parse = parse\n"
    "sys.argv = ['guards', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('guards', run_name='__main__')\n"
    "finally:\n"
    "    print('parsed', n[0], file=sys.stderr)\n"
)


def suite(i: int, skip: bool = False) -> str:
    cases = "".join(
        f"  {'it.skip' if skip and k == 4 else 'it'}('case {k}', () => {{\n"
        f"    expect({i} + {k}).toBe({i + k});\n  }});\n"
        for k in range(5)
    )
    return f"describe('module {i}', () => {{\n{cases}}});\n"


def build(root: Path, files: int) -> tuple[ScratchRepo, str, str]:
    repo = ScratchRepo(root)
    tree = {f"pkg{i % 200:03d}/src/m{i}.test.ts": suite(i) for i in range(files)}
    repo.write({"package.json": JEST, **tree})
    base = repo.commit("base")
    repo.branch("feature")
    changed = {
        f"pkg{i % 200:03d}/src/m{i}.test.ts": f"// edited\n{suite(i, skip=i == 0)}"
        for i in range(10)
    }
    repo.write(changed)
    return repo, base, repo.commit("head")


def run(root: Path, base: str, head: str) -> tuple[float, str, int]:
    args = ["run", "--repo", str(root), "--base", base, "--head", head, "--only", "skip-set"]
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", COUNT, *args], capture_output=True, text=True,
        env=isolated_env(), check=False,
    )  # fmt: skip # -- a packed call reads better here
    elapsed = time.perf_counter() - started
    parsed = next(line for line in proc.stderr.splitlines() if line.startswith("parsed"))
    return elapsed, parsed, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20_000)
    args = ap.parse_args()
    for files in (args.files // 10, args.files):
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            t0 = time.perf_counter()
            repo, base, head = build(Path(tmp) / "repo", files)
            built = time.perf_counter() - t0
            elapsed, parsed, code = run(repo.path, base, head)
            print(
                f"{files:>6} test files (built in {built:.1f}s): PR touching 10 -> "
                f"guards run --only skip-set {elapsed:.2f}s, exit {code}, {parsed} JS/TS files"
            )


if __name__ == "__main__":
    main()
