"""Every shipped spec-ref probe gets the verdict it must get, and the suite covers the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.checks import spec_ref
from guards.probe.model import load_probe
from guards.probe.run import evaluate_file

PROBES = sorted((Path(__file__).parent / "probes" / "spec-ref").glob("*.yaml"))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_probe(path: Path) -> None:
    outcome = evaluate_file(str(path))
    assert outcome.ok, f"{outcome.probe.title}: got {outcome.verdict}: {outcome.detail}"


def test_suite_size_and_rule_coverage() -> None:
    probes = [load_probe(p) for p in PROBES]
    fails = [p for p in probes if p.expect == "fail"]
    assert len(fails) >= 50 and len(probes) - len(fails) >= 15
    assert sum(p.is_evasion for p in probes) >= 4
    pinned = {f["rule"] for p in fails for f in p.doc.get("findings", ())}
    assert pinned == set(spec_ref.RULES)
    assert len({p.title for p in probes}) == len(probes)
