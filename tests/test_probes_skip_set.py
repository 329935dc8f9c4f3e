"""Every shipped skip-set probe gets the verdict it must get."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.probe.run import evaluate_file

PROBES = sorted((Path(__file__).parent / "probes" / "skip-set").glob("*.yaml"))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_probe(path: Path) -> None:
    outcome = evaluate_file(str(path))
    assert outcome.ok, f"{outcome.probe.title}: got {outcome.verdict}: {outcome.detail}"


def test_the_suite_is_large_enough() -> None:
    docs = [p.read_text(encoding="utf-8") for p in PROBES]
    assert sum("expect: fail" in d for d in docs) >= 50
    assert sum("expect: pass" in d for d in docs) >= 15
    assert sum("tries: evasion" in d for d in docs) >= 4
