"""The Rust collector against the real runner: ``cargo test`` on a corpus of skip forms.

For every test the collector lists, the status it predicts (runs, ignored, should panic, or
absent: not compiled / not run by cargo test) equals what ``cargo test`` reports, item for
item; ``cargo test -- --list`` lists exactly the tests predicted present and
``cargo test -- --ignored --list`` exactly those predicted ignored; the runner reports no test
the collector does not list. Only std is used (no network).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from guards.collect import rust
from tests.lang_support import CACHE, RevFiles, collect_all, corpus_repo, require, toolchain_env

CORPUS = Path(__file__).parent / "fixtures" / "rust_skip_corpus"
PACKAGE = "skip-corpus"
ABSENT = {"rust-cfg", "cargo-test-false", "cargo-harness-false", "rust-not-test"}
_RUNNING = re.compile(r"^\s+Running (unittests )?(\S+) \(.*/deps/(.+)-[0-9a-f]+\)$")
_RESULT = re.compile(r"^test (\S+)( - should panic)? \.\.\. (ok|ignored|FAILED)")
_LISTED = re.compile(r"^(\S+): test$")


def expected(kinds: list[str]) -> str:
    if any(k in ABSENT for k in kinds):
        return "absent"
    if "rust-ignore" in kinds:
        return "ignored"
    return "should-panic" if "should-panic" in kinds else "run"


def binary_id(unit: bool, source: str, name: str) -> str:
    if unit and source.endswith("src/lib.rs"):
        return PACKAGE
    return f"{PACKAGE}::bin/{name}" if unit else f"{PACKAGE}::{name}"


def cargo(root: Path, *args: str) -> list[str]:
    env = toolchain_env(
        {"CARGO_TARGET_DIR": str(CACHE / "cargo-target"), "CARGO_TERM_COLOR": "never"}
    )
    proc = subprocess.run(
        [
            require("cargo"),
            "test",
            "--offline",
            "--no-fail-fast",
            "--lib",
            "--bins",
            "--tests",
            *args,
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    return proc.stdout.splitlines()


def by_binary(lines: list[str], pattern: re.Pattern[str]) -> dict[str, re.Match[str]]:
    current, found = "", {}
    for line in lines:
        running = _RUNNING.match(line)
        if running:
            current = binary_id(bool(running.group(1)), running.group(2), running.group(3))
        match = pattern.match(line)
        if match and current:
            found[f"{current} {match.group(1)}"] = match
    return found


def runner_status(root: Path) -> dict[str, str]:
    results = by_binary(cargo(root), _RESULT)
    status = {}
    for nodeid, m in results.items():
        assert m.group(3) != "FAILED", nodeid
        status[nodeid] = (
            "ignored" if m.group(3) == "ignored" else ("should-panic" if m.group(2) else "run")
        )
    return status


def test_rust_collector_equals_cargo_test(tmp_path: Path) -> None:
    repo = corpus_repo(CORPUS, tmp_path / "corpus")
    files = RevFiles(repo.path)
    kinds = {
        t.nodeid: [s.kind for s in t.skips]
        for r in collect_all(rust, files, files.paths)
        for t in r.tests
    }
    predicted = {n: expected(k) for n, k in kinds.items()}
    runner = runner_status(repo.path)
    reported = {n: runner.get(n, "absent") for n in predicted}
    assert reported == predicted
    assert set(runner) <= set(predicted), sorted(set(runner) - set(predicted))
    listed = set(by_binary(cargo(repo.path, "--", "--list"), _LISTED))
    ignored = set(by_binary(cargo(repo.path, "--", "--list", "--ignored"), _LISTED))
    assert listed == {n for n, s in predicted.items() if s != "absent"}
    assert ignored == {n for n, s in predicted.items() if s == "ignored"}
    print(
        f"\nrust oracle: {len(predicted)} tests, {len(listed)} listed by cargo test -- --list, "
        f"{len(ignored)} by --ignored --list; all agree"
    )
    for nodeid in sorted(predicted):
        print(f"  {predicted[nodeid]:12} {reported[nodeid]:12} {nodeid} {kinds[nodeid]}")
