"""The command line of the ``git`` process this one runs under (a hook's grandparent).

pre-commit reads git's pre-push input itself and hands its hooks only the first ref, so a
hook run by pre-commit can learn what else is pushed only from git's own command line. The
trap: the chain is git -> sh (the hook) -> python (pre-commit) -> sh -c -> guards, so the
ancestors are walked (a bounded number of levels), through /proc where it exists, else
``ps``. None when no ancestor is git (not run under a git command at all).
"""

from __future__ import annotations

import os
from pathlib import Path

from guards.core.git import run_tool
from guards.errors import GuardsError

MAX_DEPTH = 16
GIT_NAMES = ("git", "git.exe")


def git_ancestor_argv(pid: int | None = None) -> list[str] | None:
    """argv of the nearest ancestor process whose program is git, or None."""
    current = os.getppid() if pid is None else pid
    for _ in range(MAX_DEPTH):
        if current <= 1:
            return None
        argv, parent = _argv_and_parent(current)
        if argv and os.path.basename(argv[0]) in GIT_NAMES:
            return argv
        if parent is None:
            return None
        current = parent
    return None


def _argv_and_parent(pid: int) -> tuple[list[str], int | None]:
    proc = Path("/proc") / str(pid)
    if proc.is_dir():
        return _from_proc(proc)
    return _from_ps(pid)


def _from_proc(proc: Path) -> tuple[list[str], int | None]:
    try:
        raw = (proc / "cmdline").read_bytes()
        stat = (proc / "stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [], None
    argv = [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]
    fields = stat.rpartition(")")[2].split()  # after "(comm)": state, ppid, ...
    return argv, int(fields[1]) if len(fields) > 1 else None


def _from_ps(pid: int) -> tuple[list[str], int | None]:
    try:
        done = run_tool(["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)], ".", os.environ, 10)
    except GuardsError:  # no ps, or it hung
        return [], None
    out = done.stdout.decode(errors="replace").split()
    if not out or not out[0].isdigit():
        return [], None
    return out[1:], int(out[0])
