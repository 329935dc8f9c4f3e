"""The GitHub facts behind review waivers: a PR's reviews, its commits' people, a user's role.

Three endpoints, all readable with ``pull-requests: read`` (and metadata):

- ``GET /repos/{o}/{r}/pulls/{n}/reviews`` (paginated): every review, with ``state``,
  ``commit_id``, ``body`` and ``user.{login,type}``;
- ``GET /repos/{o}/{r}/pulls/{n}/commits`` (paginated, at most 250 commits: GitHub lists no
  more, so a longer PR is exit 2 rather than a partial list of authors);
- ``GET /repos/{o}/{r}/collaborators/{login}/permission``: ``role_name`` (``maintain`` is
  distinct there; ``permission`` folds it into ``write``; ``author_association`` is not a role).

The trap: a failing call or a response of the wrong shape must never read as "no reviews" or
"no co-authors", which would let a waiver through. Every such case is a GuardsError (exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from guards.core.records import record
from guards.errors import GuardsError
from guards.github.client import GitHub, repository_slug

MAX_COMMITS = 250  # GitHub's cap on GET .../pulls/{n}/commits
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
_CO_AUTHOR = re.compile(r"^co-authored-by:\s*(.*?)\s*(?:<([^<>]*)>)?\s*$", re.I | re.M)


@record
class Review:
    """One pull-request review as the API returns it."""

    id: int
    login: str
    is_bot: bool
    state: str
    commit_id: str
    body: str


@record
class CommitPeople:
    """Who wrote one commit: API logins (author, committer) and Co-authored-by trailers."""

    sha: str
    logins: tuple[str, ...]
    names: tuple[str, ...]  # git author name and co-author names
    emails: tuple[str, ...]  # git author email and co-author emails


@record
class PullApi:
    """One pull request of one repository on one API endpoint."""

    gh: GitHub
    slug: str
    number: int

    def path(self, *parts: str) -> str:
        return f"/repos/{quote(self.slug, safe='/')}/" + "/".join(parts)

    def reviews(self) -> list[Review]:
        path = self.path("pulls", str(int(self.number)), "reviews")
        return [_review(item, path) for item in self.gh.get_all(path)]

    def commits(self) -> list[CommitPeople]:
        path = self.path("pulls", str(int(self.number)), "commits")
        items = self.gh.get_all(path)
        if len(items) >= MAX_COMMITS:
            raise GuardsError(
                f"GitHub API {path}: the PR has {MAX_COMMITS} or more commits and GitHub lists "
                "no more, so its authors cannot all be known; squash it to verify review waivers"
            )
        return [_commit(item, path) for item in items]

    def role(self, login: str) -> str:
        """The user's repository role (``role_name``: admin, maintain, write, triage, read...)."""
        path = self.path("collaborators", quote(check_login(login), safe=""), "permission")
        data = self.gh.get(path)
        role = data.get("role_name") if isinstance(data, dict) else None
        if not isinstance(role, str) or not role:
            raise GuardsError(f"GitHub API {path}: expected a permission with a role_name")
        return role


def pull_api(
    client: GitHub | None, env: Mapping[str, str], payload: Mapping[str, Any], number: int
) -> PullApi | None:
    """The PR's API, or None when there is no token or no repository to ask."""
    slug = repository_slug(env, payload)
    if client is None or client.token is None or slug is None:
        return None
    return PullApi(client, slug, number)


def check_login(login: str) -> str:
    if not _LOGIN.fullmatch(login):
        raise GuardsError(f"{login!r} is not a GitHub login")
    return login


def is_bot(user: Mapping[str, Any]) -> bool:
    """A bot: ``type == "Bot"`` or a login ending in ``[bot]``."""
    return user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")


def _review(item: Any, path: str) -> Review:
    user = item.get("user") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(item.get("id"), int):
        raise GuardsError(f"GitHub API {path}: expected reviews with an id")
    if not isinstance(user, dict) or not isinstance(user.get("login"), str):
        # a deleted account ("ghost") has no usable login: its review cannot waive
        user = {"login": "", "type": "Bot"}
    state, commit, body = item.get("state"), item.get("commit_id"), item.get("body")
    if not isinstance(state, str) or not isinstance(body, (str, type(None))):
        raise GuardsError(f"GitHub API {path}: review {item['id']} has no state or body text")
    commit_id = commit if isinstance(commit, str) else ""
    return Review(item["id"], user["login"], is_bot(user), state, commit_id, body or "")


def _commit(item: Any, path: str) -> CommitPeople:
    commit = item.get("commit") if isinstance(item, dict) else None
    if not isinstance(commit, dict) or not isinstance(item.get("sha"), str):
        raise GuardsError(f"GitHub API {path}: expected commits with sha and commit")
    message = commit.get("message")
    if not isinstance(message, str):
        raise GuardsError(f"GitHub API {path}: commit {item['sha']} has no message")
    users = (item.get("author"), item.get("committer"))
    logins = [u.get("login") for u in users if isinstance(u, dict)]
    names, emails = _git_person(commit.get("author"))
    for name, email in _CO_AUTHOR.findall(message):
        names, emails = [*names, name], [*emails, email]
    return CommitPeople(
        item["sha"],
        tuple(str(x) for x in logins if isinstance(x, str)),
        tuple(n for n in names if n),
        tuple(e for e in emails if e),
    )


def _git_person(person: Any) -> tuple[list[str], list[str]]:
    if not isinstance(person, dict):
        return [], []
    return [str(person.get("name") or "")], [str(person.get("email") or "")]
