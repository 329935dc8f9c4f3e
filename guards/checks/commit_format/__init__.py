"""commit-format: every commit of the PR (or its title, where the repository squash-merges)
follows the configured format and cites the PR's ticket; no wip/fixup!/squash! commit is left.

Commits are ``merge-base..head`` read through guards.core.git (merge commits skipped unless
``skip-merges: false``); trailers come from ``git interpret-trailers --parse`` on stdin. Commit
messages and PR titles are untrusted: they are matched as data and shown escaped on one line.
"""

from __future__ import annotations

from guards.checks.base import Rule, require_opt_in
from guards.config import Config
from guards.context import Context
from guards.finding import Finding

NAME = "commit-format"
RULES = {
    "commits_well_formed": Rule(
        "every commit subject (or the PR title) follows the configured format",
        "reword the commit (git rebase -i, 'reword') to 'type(scope): TICKET description' with "
        "a configured type and scope, within the length limit, signed off where required",
    ),
    "commits_cite_ticket": Rule(
        "every commit cites the PR's ticket in its subject or a Refs: trailer",
        "add the PR's ticket id to the subject, or a 'Refs: <TICKET>' trailer to the message",
    ),
    "no_fixup_commits": Rule(
        "no wip, fixup!, squash! or amend! commit is left in the PR",
        "squash them away (git rebase -i --autosquash) before the PR is merged",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    require_opt_in(cfg.commit_format.configured, NAME, "judge commit messages")
    from guards.checks.commit_format.judge import evaluate  # loads only when opted in

    return evaluate(ctx, cfg.commit_format)
