"""The GitHub endpoints behind the protected-branch guard: rules, rulesets, classic protection,
branches and a commit's pull requests. What a token may not read comes back as None (the
caller reports it as "not readable with this token"); anything else that is not a 200 is
exit 2.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from guards.core.oids import is_oid
from guards.core.records import record
from guards.errors import GuardsError
from guards.github import shapes
from guards.github.client import GitHub

SLUG = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
UNREADABLE = (403, 404)


@record
class Repo:
    """One repository on one GitHub API endpoint."""

    gh: GitHub
    slug: str

    def __post_init__(self) -> None:
        if not SLUG.fullmatch(self.slug) or ".." in self.slug:
            raise GuardsError(f"{self.slug!r} is not OWNER/NAME")

    def path(self, *parts: str) -> str:
        return f"/repos/{self.slug}/" + "/".join(parts)


def branch_segment(branch: str) -> str:
    """A branch name in a URL path: slashes kept (GitHub reads them), the rest quoted."""
    return quote(branch, safe="/")


def branch_rules(repo: Repo, branch: str) -> list[dict[str, Any]]:
    """Active ruleset rules for BRANCH (GET .../rules/branches/{b}; Metadata: read)."""
    path = repo.path("rules", "branches", branch_segment(branch))
    items: list[dict[str, Any]] = shapes.check(repo.gh.get_all(path), shapes.RULES, path)
    return items


def classic_protection(repo: Repo, branch: str) -> dict[str, Any] | None:
    """Classic protection (Administration: read), or None when this token may not read it."""
    path = repo.path("branches", branch_segment(branch), "protection")
    return _shaped(_readable(repo, path), shapes.CLASSIC, path)


def ruleset(repo: Repo, ruleset_id: int) -> dict[str, Any] | None:
    """A ruleset with its bypass actors where the token may see them, else None."""
    path = repo.path("rulesets", str(int(ruleset_id)))
    return _shaped(_readable(repo, path), shapes.RULESET, path)


def branches(repo: Repo) -> list[str]:
    """Every branch name of the repository (paginated)."""
    items = repo.gh.get_all(repo.path("branches"))
    return [str(b["name"]) for b in items if isinstance(b, dict) and "name" in b]


def commit_pulls(repo: Repo, sha: str) -> list[dict[str, Any]]:
    """The pull requests associated with commit SHA (GET .../commits/{sha}/pulls)."""
    if not is_oid(sha):
        raise GuardsError(f"{sha!r} is not a commit id")
    items = repo.gh.get_all(repo.path("commits", sha, "pulls"))
    return [item for item in items if isinstance(item, dict)]


def _shaped(
    data: dict[str, Any] | None, schema: dict[str, Any], path: str
) -> dict[str, Any] | None:
    return None if data is None else shapes.check(data, schema, path)


def _readable(repo: Repo, path: str) -> dict[str, Any] | None:
    response = repo.gh.request(path)
    if response.status in UNREADABLE:
        return None
    if response.status != 200 or not isinstance(response.data, dict):
        raise GuardsError(f"GitHub API {path}: HTTP {response.status}; expected a JSON object")
    return response.data
