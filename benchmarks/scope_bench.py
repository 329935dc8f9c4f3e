"""Benchmark: manifest-scope on a change of 20,000 files checked against 500 patterns.

Prints figures; it is not a timed test. Run: python -m benchmarks.scope_bench [--files N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from guards.checks.manifest_scope import check_change
from guards.checks.manifest_scope.link_targets import Exposure, exposure
from guards.core.changes import FileChange, load_changes
from guards.core.git import Git, isolated_env
from guards.patterns import TicketScope, patterns
from testing.git_repo import ScratchRepo


def link_exposure_of(git: Git, head: str) -> Callable[[FileChange], Exposure]:
    """What the guard resolves for a changed symlink (none change here: no links)."""
    return lambda change: exposure(git, head, change.path, change.symlink_target or "")


def build(root: Path, files: int, npatterns: int) -> tuple[ScratchRepo, str, str]:
    repo = ScratchRepo(root)
    allow = [f"pkg{i:03d}/**" for i in range(npatterns - 10)]
    allow += [f"docs/**/*.{ext}" for ext in ("md", "rst", "txt", "png", "svg")]
    deny = [f"pkg{i:03d}/secrets/**" for i in range(5)]
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
        doc_allow = [f"pkg{i:03d}/**" for i in range(args.patterns - 10)]
        scope = TicketScope(patterns("s", doc_allow), patterns("s", []), patterns("g", []))
        t0 = time.perf_counter()
        exposed = link_exposure_of(git, head)
        out = [f for c in changes for f in check_change(scope, c, exposed)]
        t_match = time.perf_counter() - t0
        print(f"change set (one git diff --raw -z): {len(changes)} files in {t_diff:.3f}s")
        print(
            f"matching {len(changes)} paths x {len(doc_allow)} allow patterns: "
            f"{t_match:.3f}s ({len(out)} out of scope)"
        )
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "guards",
                "run",
                "--repo",
                str(repo.path),
                "--base",
                base,
                "--head",
                head,
                "--only",
                "manifest-scope",
                "--format",
                "json",
            ],
            capture_output=True,
            env=isolated_env(),
            check=False,
        )
        wall = time.perf_counter() - t0
        print(
            f"guards run --only manifest-scope (end to end, new process): {wall:.2f}s, "
            f"exit {proc.returncode}"
        )


if __name__ == "__main__":
    main()
