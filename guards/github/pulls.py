"""The current title and body of a pull request (``GET /repos/{o}/{r}/pulls/{n}``).

A re-run workflow replays the payload of the original event, so its PR text can be stale; when
a token and the PR number are known, the API has the text as it is now.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guards.errors import GuardsError
from guards.github.client import GitHub

_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


@dataclass(frozen=True)
class PullText:
    title: str
    body: str


def repository(env: Mapping[str, str], payload: Mapping[str, Any]) -> str | None:
    """``owner/name`` from $GITHUB_REPOSITORY, else the payload's ``repository.full_name``."""
    repo = payload.get("repository")
    slug = env.get("GITHUB_REPOSITORY") or (
        repo.get("full_name") if isinstance(repo, dict) else None
    )
    if not slug:
        return None
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or ".." in slug:
        raise GuardsError(f"repository {slug!r} is not an owner/name slug")
    return slug


def current_text(
    env: Mapping[str, str], payload: Mapping[str, Any], number: int
) -> PullText | None:
    """The PR's text from the API, or None when there is no token or no repository to ask."""
    client = GitHub.from_env(env)
    slug = repository(env, payload)
    if client.token is None or slug is None:
        return None
    return fetch(client, slug, number)


def fetch(client: GitHub, slug: str, number: int) -> PullText:
    """GET the pull request; anything but a PR object is exit 2 (the gate fails closed)."""
    path = f"/repos/{urllib.parse.quote(slug, safe='/')}/pulls/{int(number)}"
    data = client.get(path)
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        raise GuardsError(f"GitHub API {path}: expected a pull request with a title")
    body = data.get("body")
    if body is not None and not isinstance(body, str):
        raise GuardsError(f"GitHub API {path}: the pull request body is not text")
    return PullText(data["title"], body or "")
