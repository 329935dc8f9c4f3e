"""Every shipped manifest-scope probe gets the verdict it must get."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.probe.run import evaluate_file

PROBES = sorted((Path(__file__).parent / "probes" / "manifest-scope").glob("*.yaml"))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_probe(path: Path) -> None:
    outcome = evaluate_file(str(path))
    assert outcome.ok, f"{outcome.probe.title}: got {outcome.verdict}: {outcome.detail}"
