"""The current title and body of a pull request (``GET /repos/{o}/{r}/pulls/{n}``).

A re-run workflow replays the payload of the original event, so its PR text can be stale; when
a token and the PR number are known, the API has the text as it is now.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from guards.core.records import record
from guards.errors import GuardsError
from guards.github.client import GitHub, repository_slug


@record
class PullText:
    title: str
    body: str


def current_text(
    client: GitHub, env: Mapping[str, str], payload: Mapping[str, Any], number: int
) -> PullText | None:
    """The PR's text from the API, or None when there is no token or no repository to ask."""
    slug = repository_slug(env, payload)
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
