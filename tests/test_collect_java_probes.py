"""The Java skip-set probes (tests/probes/skip-set/java-*.yaml): enough of each kind.

Their verdicts are held by tests/test_probes.py, which runs every shipped probe through the
skip-set guard exactly as `guards run` does (the Java collector is wired into skip-set).
"""

from __future__ import annotations

from pathlib import Path

import yaml

PROBES = sorted((Path(__file__).parent / "probes" / "skip-set").glob("java-*.yaml"))


def test_probe_counts() -> None:
    kinds = [yaml.safe_load(p.read_text()) for p in PROBES]
    assert sum(k["expect"] == "fail" for k in kinds) >= 40
    assert sum(k["expect"] == "pass" for k in kinds) >= 15
    assert sum(k.get("tries") == "evasion" for k in kinds if k["expect"] == "fail") >= 10
