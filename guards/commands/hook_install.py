"""``guards hook install`` / ``uninstall``: a pre-push hook running ``guards prepush``.

The hook goes where git looks for hooks (``core.hooksPath`` honoured). A hook already there is
kept: it is moved aside and chained (run first, with the same arguments and input), never
clobbered. Installing again rewrites only guards' own hook, so it never chains itself. The
hook finds guards through the Python that installed it (``python -m guards``), falling back
to ``guards`` on PATH.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from guards.core.git import Git
from guards.errors import GuardsError
from guards.report import hook as hook_report

MARKER = "# guards-hook: pre-push"
CHAINED = "pre-push.guards-chained"

TEMPLATE = """#!/bin/sh
{marker} (written by `guards hook install`; install again to update it)
# git's pre-push hook: $1 remote name, $2 url, "<local ref> <oid> <remote ref> <oid>" on stdin.
input=$(cat)
feed() {{ [ -z "$input" ] || printf '%s\\n' "$input"; }}
chained={chained}
if [ -n "$chained" ] && [ -x "$chained" ]; then
    feed | "$chained" "$@" || exit $?
fi
# The installed guards, never a guards/ folder in the repository (cwd is dropped from sys.path).
path_fix='import sys; sys.path[:] = [p for p in sys.path if p not in ("", ".")]'
guards_cli() {{
    if {python} -c "$path_fix; import guards" >/dev/null 2>&1; then
        {python} -c "$path_fix; import guards.main as m; m.cli(prog_name='guards')" "$@"
    elif command -v guards >/dev/null 2>&1; then
        guards "$@"
    else
        echo "guards: not found (tried {python} -m guards and guards on PATH);" \\
            "reinstall guards, then run: guards hook install" >&2
        return 2
    fi
}}
# With --run, each pushed branch's tip is judged against its base (never HEAD); deletions and
# tags carry no change to judge.
feed | guards_cli prepush "$1" "$2" {run_flag} || exit $?
exit 0
"""


def main(repo: str, *, with_run: bool = True) -> int:
    """Write (or update) the pre-push hook of REPO; print where it went."""
    hooks = hooks_dir(Git(repo))
    hook = hooks / "pre-push"
    chained = keep_existing(hook)
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(script(chained, with_run), encoding="utf-8")
    hook.chmod(0o755)
    hook_report.installed(hook, chained)
    return 0


def uninstall(repo: str) -> int:
    """Remove guards' pre-push hook of REPO and restore the hook it chained; a foreign hook
    (not written by guards) is left alone and is exit 2."""
    hook = hooks_dir(Git(repo)) / "pre-push"
    if not hook.exists():
        hook_report.nothing_to_remove(hook)
        return 0
    if not is_ours(hook):
        raise GuardsError(f"{hook} was not written by guards; remove it yourself")
    chained = _chained_by(hook)
    hook.unlink()
    if chained and chained.exists():
        chained.rename(hook)
    hook_report.removed(hook, chained.name if chained and hook.exists() else None)
    return 0


def hooks_dir(git: Git) -> Path:
    """Where git runs hooks from: core.hooksPath if set, else .git/hooks (worktree-aware)."""
    path = Path(os.path.expanduser(git.git_path("hooks")))
    return path if path.is_absolute() else git.root / path


def is_ours(hook: Path) -> bool:
    try:
        return MARKER in hook.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def keep_existing(hook: Path) -> Path | None:
    """The hook to chain: a foreign hook is moved aside; ours keeps the one it chained."""
    if not hook.exists() and not hook.is_symlink():
        return None
    if is_ours(hook):
        return _chained_by(hook)
    target = _free_name(hook.parent)
    hook.rename(target)
    return target


def _chained_by(hook: Path) -> Path | None:
    for line in hook.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("chained="):
            value = shlex.split(line.removeprefix("chained="))
            return Path(value[0]) if value and value[0] else None
    return None


def _free_name(folder: Path) -> Path:
    for n in range(1, 100):
        candidate = folder / (CHAINED if n == 1 else f"{CHAINED}.{n}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise GuardsError(f"too many chained pre-push hooks in {folder}; tidy them up first")


def script(chained: Path | None, with_run: bool) -> str:
    return TEMPLATE.format(
        marker=MARKER,
        chained=shlex.quote(str(chained)) if chained else "''",
        python=shlex.quote(sys.executable),
        run_flag="--run" if with_run else "--no-run",
    )
