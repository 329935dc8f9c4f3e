"""``guards probe``: run the suite, print the readiness table, exit 0 only at 100%."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from guards.errors import GuardsError
from guards.probe.model import discover, shipped_dir
from guards.probe.run import run_all
from guards.report import probes as probe_report
from guards.runner import select


def main(directory: str | None, only: Sequence[str], fmt: str) -> int:
    selected = select(only)
    root = Path(directory) if directory else shipped_dir()
    probes = [p for p in discover(root) if p.guard in selected]
    if not probes:
        raise GuardsError(f"no probes for {', '.join(selected)} under {root}")
    shown = selected if only else [g for g in selected if any(p.guard == g for p in probes)]
    started = time.perf_counter()
    outcomes = run_all([p.path for p in probes])
    elapsed = time.perf_counter() - started
    probe_report.emit(outcomes, shown, elapsed, fmt)
    return 0 if probe_report.ready(outcomes, shown) else 1
