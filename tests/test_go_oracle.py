"""The Go collector against the real runner: ``go test -json`` on a corpus of skip forms.

For every test the collector lists, the status it predicts (run, skip, absent from the report)
equals what ``go test -json`` reports, item for item, with and without ``-short``; and the
runner reports no test the collector does not list (fuzz seed subtests aside: they come from
``f.Add`` values, not from names in the source).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from guards.collect import go
from tests.lang_support import CACHE, RevFiles, collect_all, corpus_repo, require, toolchain_env

CORPUS = Path(__file__).parent / "fixtures" / "go_skip_corpus"
ABSENT = {"go-build", "go-testmain", "go-parent-skip", "go-uncollected"}


def expected(kinds: list[str], short: bool, name: str) -> str:
    """The status go test reports for a test with these skip kinds."""
    for kind in kinds:
        if kind in ABSENT or (short and kind == "go-parent-short-skip"):
            return "absent"
    if any(k == "go-skip" or (short and k == "go-short-skip") for k in kinds):
        return "skip"
    # a benchmark that runs reports output only, no pass event
    return "absent" if name.rpartition("::")[2].startswith("Benchmark") else "pass"


def run_go(root: Path, short: bool) -> dict[str, str]:
    env = toolchain_env(
        {
            "GOCACHE": str(CACHE / "go-build"),
            "GOPATH": str(CACHE / "gopath"),
            "GOPROXY": "off",
            "GOFLAGS": "-mod=mod",
            "GOTOOLCHAIN": "local",
            "CGO_ENABLED": "1",
        }
    )
    args = [require("go"), "test", "-json", "-bench", ".", "-benchtime", "1x", "./..."]
    proc = subprocess.run(
        [*args, "-short"] if short else args,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    seen: dict[str, str] = {}
    for raw in proc.stdout.splitlines():
        event = json.loads(raw)
        if event.get("Test") and event["Action"] in {"pass", "fail", "skip"}:
            seen[f"{event['Package']}::{event['Test']}"] = event["Action"]
    return {k: v for k, v in seen.items() if "/seed#" not in k}


@pytest.mark.parametrize("short", [False, True], ids=["default", "short"])
def test_go_collector_equals_go_test(tmp_path: Path, short: bool) -> None:
    repo = corpus_repo(CORPUS, tmp_path / "corpus")
    files = RevFiles(repo.path)
    kinds: dict[str, list[str]] = {}
    for result in collect_all(go, files, files.paths):
        kinds.update({t.nodeid: [s.kind for s in t.skips] for t in result.tests})
    runner = run_go(repo.path, short)
    predicted = {n: expected(k, short, n) for n, k in kinds.items()}
    reported = {n: runner.get(n, "absent") for n in predicted}
    assert reported == predicted
    assert set(runner) <= set(predicted), sorted(set(runner) - set(predicted))
    skipped = sorted(n for n, s in predicted.items() if s != "pass")
    print(
        f"\ngo oracle ({'-short' if short else 'default'}): {len(predicted)} tests, "
        f"{len(skipped)} skipped or absent, all agree with go test -json"
    )
    for nodeid in sorted(predicted):
        print(f"  {predicted[nodeid]:7} {reported[nodeid]:7} {nodeid} {kinds[nodeid]}")
