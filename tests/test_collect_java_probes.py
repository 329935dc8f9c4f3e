"""The Java skip-set probes (tests/probes/skip-set/java-*.yaml), decided by the Java collector.

Each probe's base and head are real commits in a real git repository; the verdict is the
skip-set rule on the collector's output: a test skipped at head (a skip of any kind, or its
file not run by the build) that was not skipped at base fails. A must-fail probe must name the
tests it expects among the new ones. Until the shared wiring runs the Java collector inside the
skip-set guard, this is the test that holds the probes to their verdicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from guards.core.git import Git
from testing.git_repo import GitRepo
from tests.java_support import collect_rev, skipped

PROBES = sorted((Path(__file__).parent / "probes" / "skip-set").glob("java-*.yaml"))


def newly_skipped(tmp_path: Path, probe: dict[str, Any]) -> set[str]:
    repo = GitRepo(tmp_path)
    repo.write(probe["base"])
    base = repo.commit("base")
    repo.write(probe["head"])
    head = repo.commit("head")
    git = Git(repo.path)
    return set(skipped(collect_rev(git, head))) - set(skipped(collect_rev(git, base)))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_java_probe(path: Path, tmp_path: Path) -> None:
    probe = yaml.safe_load(path.read_text())
    new = newly_skipped(tmp_path, probe)
    if probe["expect"] == "pass":
        assert not new, f"{probe['title']}: flagged {sorted(new)}"
        return
    named = {f["test"] for f in probe.get("findings", [])}
    assert new, f"{probe['title']}: nothing newly skipped"
    assert named <= new, f"{probe['title']}: {sorted(named - new)} not among {sorted(new)}"


def test_probe_counts() -> None:
    kinds = [yaml.safe_load(p.read_text()) for p in PROBES]
    assert sum(k["expect"] == "fail" for k in kinds) >= 40
    assert sum(k["expect"] == "pass" for k in kinds) >= 15
    assert sum(k.get("tries") == "evasion" for k in kinds if k["expect"] == "fail") >= 10
