"""Every shipped probe gets the verdict it must get (the suite's size and coverage: test_meta)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.probe.run import evaluate_file

ROOT = Path(__file__).parent / "probes"
PROBES = sorted(ROOT.glob("*/*.yaml"))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_probe(path: Path) -> None:
    outcome = evaluate_file(str(path))
    assert outcome.ok, f"{outcome.probe.title}: got {outcome.verdict}: {outcome.detail}"
