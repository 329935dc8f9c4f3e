"""Real pytest, run in a checkout a test built: what it collects, runs and skips is the oracle
the static collector is held to (never a mock of it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TIMEOUT = 120  # seconds: a run past it is a hang, and fails the test


def run_pytest(checkout: Path, *args: str) -> str:
    """pytest's standard output for ARGS in CHECKOUT, without a cache folder left behind."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    return done.stdout
