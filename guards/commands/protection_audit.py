"""``guards protection audit --repo O/R [--branch B]...``: protection settings against policy.

Policy: ``--config FILE`` (a file on disk), else the checkout's guards.yaml (or
``[tool.guards]``) at HEAD, else the defaults. Branches: ``--branch`` as given, else every
branch of the repository (listed through the API) that a ``protected-branch.branches``
pattern matches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.checks.protected_branch import settings_rules as branch_rules
from guards.checks.protected_branch.branch_patterns import protecting_pattern
from guards.checks.protected_branch.protection_sources import RulesetCache, gather
from guards.config import Config, audit_policy
from guards.errors import GuardsError
from guards.finding import GuardResult, exit_code
from guards.github import protection as api
from guards.github.client import GitHub
from guards.report import audit as audit_report
from guards.report import default_format


def main(
    slug: str,
    branches: Sequence[str],
    config_path: str | None,
    fmt: str | None,
    output: str | None,
    env: Mapping[str, str],
) -> int:
    """Audit each branch; exit 0 every requirement met, 1 one is not, 2 could not tell."""
    repo = api.Repo(GitHub.from_env(env), slug)
    config = audit_policy(config_path)
    results = audit(repo, config, branches)
    report = audit_report.AuditReport(slug, config.source, tuple(results))
    audit_report.emit(report, fmt or default_format(env), output, env)
    return exit_code(results)


def audit(repo: api.Repo, config: Config, branches: Sequence[str]) -> list[GuardResult]:
    """One result per branch, holding one finding per requirement."""
    settings = config.protected_branch
    names = list(dict.fromkeys(branches)) or protected_branches(repo, settings.branches)
    known: RulesetCache = {}
    return [
        GuardResult(name, tuple(branch_rules.evaluate(gather(repo, name, known), settings.require)))
        for name in names
    ]


def protected_branches(repo: api.Repo, patterns: Sequence[str]) -> list[str]:
    """The repository's branches that a protected pattern matches (release/* needs names)."""
    names = [b for b in api.branches(repo) if protecting_pattern(b, patterns)]
    if not names:
        raise GuardsError(
            f"no branch of {repo.slug} matches protected-branch.branches "
            f"({', '.join(patterns) or 'none'}); name the branches with --branch"
        )
    return names
