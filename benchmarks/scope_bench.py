"""Benchmark: manifest-scope on a change of 20,000 files checked against 500 patterns, and on
a change adding 200 symlinks.

Prints figures; it is not a timed test. The end-to-end figures are medians of --runs fresh
processes (target, issue 18: under 0.5 s for 20k x 500 on 2 cores).
Run: python -m benchmarks.scope_bench [--files N] [--patterns N] [--links N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from guards.checks.manifest_scope import check_changes, global_deny
from guards.checks.manifest_scope.link_targets import Exposure, exposure
from guards.config import Config
from guards.core.changes import FileChange, load_changes
from guards.core.git import Git, isolated_env
from guards.patterns import TicketScope, patterns
from testing.git_repo import ScratchRepo


def link_exposure_of(git: Git, head: str) -> Callable[[FileChange], Exposure]:
    """What the guard resolves for a changed symlink (none change here: no links)."""
    return lambda change: exposure(git, head, change.path, change.symlink_target or "")


def lists(npatterns: int) -> tuple[list[str], list[str]]:
    """The scope file's allow and deny lists: NPATTERNS patterns in all."""
    allow = [f"pkg{i:03d}/**" for i in range(npatterns - 10)]
    allow += [f"docs/**/*.{ext}" for ext in ("md", "rst", "txt", "png", "svg")]
    return allow, [f"pkg{i:03d}/secrets/**" for i in range(5)]


def build(root: Path, files: int, npatterns: int) -> tuple[ScratchRepo, str, str]:
    repo = ScratchRepo(root)
    allow, deny = lists(npatterns)
    scope = "allow:\n" + "".join(f"  - '{p}'\n" for p in allow)
    scope += "deny:\n" + "".join(f"  - '{p}'\n" for p in deny)
    repo.write({"scope/BIG-1.yaml": scope, "README.md": "x\n"})
    base = repo.commit("base")
    repo.branch("feature/BIG-1")
    for i in range(files):
        path = root / f"pkg{i % (npatterns - 10):03d}" / f"mod{i // 500}" / f"f{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"V = {i}\n")
    (root / "outside").mkdir()
    (root / "outside" / "stray.py").write_text("S = 1\n")
    repo.git("add", "-A")
    return repo, base, repo.commit("head")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--patterns", type=int, default=500)
    ap.add_argument("--links", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        repo, base, head = build(Path(tmp) / "repo", args.files, args.patterns)
        print(
            f"setup: {args.files + 1} changed files, {args.patterns} patterns "
            f"({time.perf_counter() - t0:.1f}s to build)"
        )
        git = Git(repo.path)
        t0 = time.perf_counter()
        changes = load_changes(git, base, head)
        t_diff = time.perf_counter() - t0
        allow, deny = lists(args.patterns)
        scope = TicketScope(patterns("s", allow), patterns("s", deny), global_deny(Config()))
        t0 = time.perf_counter()
        exposed = link_exposure_of(git, head)
        out = check_changes(scope, changes, exposed)
        t_match = time.perf_counter() - t0
        print(f"change set (one git diff --raw -z): {len(changes)} files in {t_diff:.3f}s")
        print(
            f"matching {len(changes)} paths x {len(allow) + len(deny)} patterns + the global deny "
            "list (in process): "
            f"{t_match:.3f}s ({len(out)} out of scope)"
        )
        wall, code = end_to_end(repo.path, base, head, args.runs)
        print(
            f"guards run --only manifest-scope (end to end, new process, median of {args.runs}): "
            f"{wall:.2f}s, exit {code}"
        )
        links(Path(tmp) / "links", args.links, args.runs)


def end_to_end(path: Path, base: str, head: str, runs: int) -> tuple[float, int]:
    """The median wall time of RUNS ``guards run --only manifest-scope`` processes, and the exit.

    As installed: bytecode is written (PYTHONDONTWRITEBYTECODE dropped) and one uncounted run
    first compiles it, so the figure is not Python compiling guards' sources on every start."""
    env = {k: v for k, v in isolated_env().items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls, code = [], 0
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "guards", "run", "--repo", str(path), "--base", base,
             "--head", head, "--only", "manifest-scope", "--format", "json"],
            capture_output=True, env=env, check=False,
        )  # fmt: skip # -- a packed argument list reads better than one item a line
        walls.append(time.perf_counter() - t0)
        code = proc.returncode
    return statistics.median(walls[1:]), code


def links(root: Path, count: int, runs: int) -> None:
    """A PR adding COUNT symlinks (each next to its target) in 20 folders."""
    repo = ScratchRepo(root)
    repo.write({"scope/LNK-1.yaml": "allow:\n  - 'src/**'\n", "README.md": "x\n"})
    base = repo.commit("base")
    repo.branch("feature/LNK-1")
    for i in range(count):
        folder = root / "src" / f"d{i % 20}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i}.py").write_text(f"V = {i}\n")
        os.symlink(f"f{i}.py", folder / f"l{i}.py")
    repo.git("add", "-A")
    head = repo.commit("head")
    wall, code = end_to_end(repo.path, base, head, runs)
    print(
        f"guards run --only manifest-scope, {count} symlinks added (median of {runs}): "
        f"{wall:.2f}s, exit {code}"
    )


if __name__ == "__main__":
    main()
