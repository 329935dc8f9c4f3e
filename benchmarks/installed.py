"""Guards measured as installed: with its modules compiled to bytecode.

pip compiles a wheel's modules when it installs them, so an installed guards reads bytecode. A
checkout run from a shell that sets PYTHONDONTWRITEBYTECODE (this project's CI does) never
writes any, and then every process compiles every module it imports: on 2 cores 0.1-0.15 s of
each run, a tenth of a cold sympy pair, measured as if it were guards' work.

Contract: ``as_installed(env, src)`` compiles the guards package under SRC in place (its
``__pycache__`` folders, ignored by git) and returns ENV without PYTHONDONTWRITEBYTECODE. The
trap: a PYTHONPYCACHEPREFIX would move every module's bytecode, the standard library's too,
so the first runs would compile those instead; the package's own folders do not.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def as_installed(env: Mapping[str, str], src: Path) -> dict[str, str]:
    """ENV for running the guards of SRC as installed: its bytecode compiled, and kept."""
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    compile_all = [sys.executable, "-m", "compileall", "-q", str(src / "guards")]
    subprocess.run(compile_all, env=out, check=True, stdout=subprocess.DEVNULL)
    return out
