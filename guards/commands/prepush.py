"""``guards prepush REMOTE URL``: git's pre-push hook, refusing what protected branches forbid.

Policy: ``guards.yaml`` (or ``[tool.guards]``) read at the remote's default branch as this
clone last saw it (``refs/remotes/<remote>/HEAD``), so the branch being pushed cannot loosen
its own gate; without that ref, at the remote-tracking copy of the target branch; without
that either, the defaults tightened by the local policy, which may only add (see
``config.push_policy``).
"""

from __future__ import annotations

from collections.abc import Mapping

from guards.checks.protected_branch.local_push import evaluate
from guards.report import prepush as prepush_report


def main(
    remote: str, url: str, stdin: str, repo: str, env: Mapping[str, str], run: bool = False
) -> int:
    """Judge the pushed refs; exit 0 allow, 1 refuse (2, on GuardsError, from the caller).

    With RUN, the guards then judge each pushed branch's tip against its base (not HEAD)."""
    verdict = evaluate(repo, remote, stdin, env)
    prepush_report.emit(verdict.policy, verdict.findings)
    if verdict.refused:
        return 1
    if not run:
        return 0
    from guards.commands import prepush_run

    return prepush_run.run_each(repo, remote, verdict.updates, env)
