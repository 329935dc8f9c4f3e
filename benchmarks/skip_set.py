"""Benchmark of the skip-set collector. Prints figures; it is not a timed test.

    python benchmarks/skip_set.py [--files 5000] [--keep DIR]

(a) ``guards skips list`` on a generated repository of FILES test files (ten tests each,
    some skipped) against ``pytest --collect-only -q`` run cold as in CI
    (PYTHONDONTWRITEBYTECODE=1, no cache provider, a fresh checkout) and against the naive
    floor: one process that reads and ``ast.parse``-s every test file. Guards runs as
    installed, its own modules compiled to bytecode (installed.py).
(b) ``guards run --only skip-set`` for a PR touching 10 test files, on that repository and on
    one ten times smaller: the cost follows the change, not the repository.
(c) with ``--touched 10,100,1000,3000``, instead of (a) and (b): ``guards run --only skip-set``
    on the large repository for a PR touching each number of test files (a large change is
    parsed on every core, guards/collect/python/parsing/parallel.py).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from benchmarks.installed import as_installed  # noqa: E402 -- after the path fix above
from guards.core.git import isolated_env  # noqa: E402 -- after the path fix above

GUARD_ONLY = (
    "import sys, time\n"
    "started = time.perf_counter()\n"
    "from guards import context\n"
    "from guards.runner import run_one\n"
    "imported = time.perf_counter()\n"
    "repo, base, head = sys.argv[1:4]\n"
    "ctx, cfg = context.build(context.RunOptions(repo=repo, base=base, head=head))\n"
    "result = run_one('skip-set', ctx, cfg)\n"
    "print(f'{time.perf_counter() - imported:.3f} {result.status.value}')\n"
)
NAIVE = (
    "import ast, pathlib, sys\n"
    "for p in pathlib.Path(sys.argv[1]).rglob('test_*.py'):\n"
    "    ast.parse(p.read_bytes())\n"
)


def test_file(index: int) -> str:
    """About 80 lines: imports, a helper, a class and ten tests; one file in ten skips one."""
    skip = index % 10 == 0
    marks = "@pytest.mark.skip(reason='flaky')\n" if skip else ""
    body = [
        "import json\nimport os\n\nimport pytest\n\nfrom helpers import make_user\n\n",
        f"DATA = {{'id': {index}, 'name': 'user{index}', 'tags': ['a', 'b', 'c']}}\n\n\n",
        "def _payload(n):\n    return json.dumps({**DATA, 'n': n})\n\n\n",
    ]
    for t in range(6):
        deco = marks if t == 0 else ""
        body.append(
            f"{deco}def test_function_{t}():\n"
            f"    data = json.loads(_payload({t}))\n"
            f"    assert data['n'] == {t}\n"
            f"    assert data['name'].startswith('user')\n\n\n"
        )
    body.append(f"class TestGroup{index}:\n")
    for t in range(3):
        body.append(
            f"    def test_method_{t}(self):\n"
            f"        user = make_user({t})\n"
            f"        assert user['id'] == {t}\n\n"
        )
    body.append(
        "@pytest.mark.parametrize('value', [1, 2])\n"
        "def test_param(value):\n    assert value in (1, 2)\n"
    )
    return "".join(body)


def build(root: Path, files: int) -> None:
    root.mkdir(parents=True)
    env = isolated_env()
    git = ["git", "-C", str(root), "-c", "gc.auto=0"]  # no background gc racing ours
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True, env=env)
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (root / "tests").mkdir()
    (root / "tests" / "helpers.py").write_text("def make_user(n):\n    return {'id': n}\n")
    (root / "tests" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef user():\n    return 1\n"
    )
    for i in range(files):
        folder = root / "tests" / f"pkg{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"test_mod{i:05d}.py").write_text(test_file(i))
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True, env=env)
    subprocess.run([*git, "gc", "-q"], check=True, env=env)  # packed, like a fresh CI clone


def pr(root: Path, touched: int = 10) -> tuple[str, str]:
    """A branch that edits TOUCHED test files (one of them adds a skip)."""
    env = isolated_env()
    git = ["git", "-C", str(root)]
    base = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, env=env
    ).stdout.strip()
    subprocess.run([*git, "checkout", "-q", "-B", "pr"], check=True, env=env)
    paths = sorted((root / "tests").glob("pkg*/test_mod*.py"))[1 : 1 + touched]
    for n, path in enumerate(paths):
        text = path.read_text() + f"\n\ndef test_added_{n}():\n    assert True\n"
        if n == 0:
            text = text.replace("def test_function_1", "@pytest.mark.xfail\ndef test_function_1")
        path.write_text(text)
    subprocess.run([*git, "commit", "-qam", "pr"], check=True, env=env)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, env=env
    ).stdout.strip()
    subprocess.run([*git, "checkout", "-q", "main"], check=True, env=env)
    return base, head


def timed(args: list[str], cwd: Path, env: dict[str, str], runs: int = 3) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        out = proc.stdout + proc.stderr
    return statistics.median(times), out


def cold_env() -> dict[str, str]:
    env = {k: v for k, v in isolated_env().items() if not k.startswith(("PYTEST_", "GITHUB_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def part_a(root: Path) -> None:
    env = cold_env()
    guards = [
        sys.executable,
        "-m",
        "guards",
        "skips",
        "list",
        "--repo",
        str(root),
        "--format",
        "json",
    ]
    mine, out = timed(guards, root, as_installed(env, HERE))
    listed = out.count('"test":')
    checkout = root.parent / "checkout"
    shutil.rmtree(checkout, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(root), str(checkout)], check=True, env=env)
    pytest_args = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    theirs, out = timed(pytest_args, checkout, env, runs=1)
    found = re.search(r"(\d+) tests? collected", out)
    collected = f"{found.group(1)} tests collected" if found else "collection count not found"
    floor, _ = timed([sys.executable, "-c", NAIVE, str(checkout / "tests")], checkout, env)
    print(f"(a) guards skips list:              {mine:7.2f} s  ({listed} skipped tests listed)")
    print(f"    pytest --collect-only -q, cold: {theirs:7.2f} s  ({collected.strip()})")
    print(f"    naive floor (read + ast.parse): {floor:7.2f} s")
    print(
        f"    speed-up vs pytest: {theirs / mine:5.1f}x   vs the naive floor: {floor / mine:4.2f}x"
    )


def part_b(big: Path, small: Path) -> None:
    env = as_installed(cold_env(), HERE)
    startup, _ = timed([sys.executable, "-m", "guards", "--version"], big, env, runs=5)
    print(
        f"(b) guards --version (interpreter + CLI imports, every command pays it): {startup:5.2f} s"
    )
    for label, root in (("large", big), ("small", small)):
        base, head = pr(root)
        args = [sys.executable, "-m", "guards", "run", "--repo", str(root)]
        args += ["--base", base, "--head", head, "--only", "skip-set", "--format", "json"]
        took, out = timed(args, root, env, runs=5)
        verdict = "fail" if '"status": "fail"' in out else "?"
        inner = [timed([sys.executable, "-c", GUARD_ONLY, str(root), base, head], root, env, 1)[1]
                 for _ in range(5)]  # fmt: skip # -- hand-wrapped
        work = statistics.median(float(line.split()[0]) for line in inner)
        files = sum(1 for _ in (root / "tests").rglob("test_*.py"))
        print(f"    {files:5d} test files ({label}), 10 touched: guards run --only skip-set "
              f"{took:5.2f} s wall (verdict {verdict}); "
              f"context + guard in process {work:5.3f} s")  # fmt: skip # -- hand-wrapped


def part_c(root: Path, counts: list[int]) -> None:
    env = as_installed(cold_env(), HERE)
    for touched in counts:
        base, head = pr(root, touched)
        args = [sys.executable, "-m", "guards", "run", "--repo", str(root)]
        args += ["--base", base, "--head", head, "--only", "skip-set", "--format", "json"]
        took, out = timed(args, root, env, runs=3)
        verdict = "fail" if '"status": "fail"' in out else "?"
        files = sum(1 for _ in (root / "tests").rglob("test_*.py"))
        print(f"(c) {touched:5d} of {files} test files touched: guards run --only skip-set")
        print(f"    {took:6.2f} s wall (median of 3; verdict {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--keep", help="build the repositories here and keep them")
    parser.add_argument("--touched", help="comma-separated counts of touched files: part (c)")
    opts = parser.parse_args()
    work = Path(opts.keep) if opts.keep else Path(tempfile.mkdtemp(prefix="guards-bench-"))
    try:
        big, small = work / "large", work / "small"
        started = time.perf_counter()
        if opts.touched:
            if not big.exists():
                build(big, opts.files)
            print(f"built {opts.files} test files; {os.cpu_count()} cores")
            part_c(big, [int(n) for n in opts.touched.split(",")])
            return
        build(big, opts.files)
        build(small, max(opts.files // 10, 10))
        print(
            f"built {opts.files} + {max(opts.files // 10, 10)} test files in "
            f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} cores"
        )
        part_a(big)
        part_b(big, small)
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
