"""GitHub REST client: $GITHUB_API_URL, token, timeouts, retries on 5xx, pagination.

Uses the standard library's urllib (no extra dependency for a handful of GETs). A 5xx or a
connection failure is retried with backoff; when retries run out, or the rate limit is hit,
the result is a GuardsError (exit 2): the gate fails closed, never open.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from guards import __version__
from guards.errors import GuardsError

DEFAULT_API = "https://api.github.com"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


@dataclass(frozen=True)
class Response:
    status: int
    data: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class RateLimited(GuardsError):
    """The API's rate limit was hit."""


@dataclass(frozen=True)
class GitHub:
    """A GitHub REST API endpoint with an optional token."""

    api_url: str = DEFAULT_API
    token: str | None = None
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str], **kw: Any) -> GitHub:
        """$GITHUB_API_URL and $GITHUB_TOKEN (or $GH_TOKEN); $GUARDS_GITHUB_RETRIES and
        $GUARDS_GITHUB_BACKOFF (seconds) tune retries, e.g. to keep tests from sleeping."""
        token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None
        for key, name, kind in (("retries", "RETRIES", int), ("backoff", "BACKOFF", float)):
            value = env.get(f"GUARDS_GITHUB_{name}")
            if value and key not in kw:
                kw[key] = _number(kind, value, f"GUARDS_GITHUB_{name}")
        return cls(env.get("GITHUB_API_URL") or DEFAULT_API, token, **kw)

    def request(self, path: str) -> Response:
        """GET PATH (or a full URL); 2xx and 4xx come back, 5xx is retried, then exit 2."""
        url = path if path.startswith(("http://", "https://")) else self.api_url.rstrip("/") + path
        for attempt in range(self.retries + 1):
            response = self._once(url)
            if response is not None and response.status < 500:
                _raise_for_rate_limit(response, url)
                return response
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        what = f"HTTP {response.status}" if response else "no response"
        raise GuardsError(f"GitHub API {url} failed after {self.retries + 1} tries ({what})")

    def get(self, path: str) -> Any:
        """The JSON of a 200 response; any other status is exit 2."""
        response = self.request(path)
        if response.status != 200:
            raise GuardsError(f"GitHub API {path}: HTTP {response.status}: {_message(response)}")
        return response.data

    def get_all(self, path: str) -> list[Any]:
        """Every item of a paginated list, following Link: rel="next"."""
        items: list[Any] = []
        url: str | None = path + ("&" if "?" in path else "?") + "per_page=100"
        while url:
            response = self.request(url)
            if response.status != 200:
                raise GuardsError(
                    f"GitHub API {path}: HTTP {response.status}: {_message(response)}"
                )
            if not isinstance(response.data, list):
                raise GuardsError(
                    f"GitHub API {path}: expected a list, got {type(response.data).__name__}"
                )
            items += response.data
            match = _NEXT.search(response.headers.get("link", ""))
            url = match.group(1) if match else None
        return items

    def _once(self, url: str) -> Response | None:
        req = urllib.request.Request(url, headers=self._headers())
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return _response(resp.status, resp.read(), resp.headers)
        except urllib.error.HTTPError as err:
            return _response(err.code, err.read(), err.headers)
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return None

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"guards/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers


def _response(status: int, body: bytes, headers: Any) -> Response:
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = body.decode(errors="replace")
    return Response(status, data, {k.lower(): v for k, v in (headers or {}).items()})


def _number(kind: type[float] | type[int], value: str, name: str) -> Any:
    try:
        number = kind(value)
    except ValueError as exc:
        raise GuardsError(f"${name} must be a number, not {value!r}") from exc
    if number < 0:
        raise GuardsError(f"${name} must not be negative")
    return number


def _raise_for_rate_limit(response: Response, url: str) -> None:
    limited = response.status == 429 or (
        response.status == 403 and response.headers.get("x-ratelimit-remaining") == "0"
    )
    if limited:
        reset = response.headers.get("x-ratelimit-reset") or response.headers.get("retry-after")
        raise RateLimited(
            f"GitHub API rate limit hit on {url} (reset: {reset or 'unknown'}); "
            "re-run later or use a token with a higher limit"
        )


def _message(response: Response) -> str:
    if isinstance(response.data, dict):
        return str(response.data.get("message", ""))
    return str(response.data)[:200]


def repository_slug(env: Mapping[str, str], payload: Mapping[str, Any]) -> str | None:
    """``owner/name`` to ask about: $GITHUB_REPOSITORY (the runner sets it), else the event
    payload's ``repository.full_name``; None when neither names one."""
    repo = payload.get("repository")
    slug = env.get("GITHUB_REPOSITORY") or (
        repo.get("full_name") if isinstance(repo, dict) else None
    )
    if not slug:
        return None
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or ".." in slug:
        raise GuardsError(f"repository {slug!r} is not an owner/name slug")
    return slug
