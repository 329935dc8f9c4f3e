"""GitHub REST client: $GITHUB_API_URL, token, deadlines, retries on 5xx, pagination.

Uses the standard library's urllib (transport.py: one bounded GET; no extra dependency for a
handful of GETs), imported by the first request: a run without a token never loads it. A 5xx
or a connection failure is retried with backoff; when retries run out, the rate limit is hit,
a request or the whole run passes its deadline, pagination leaves the API's host, loops or
runs past ``MAX_PAGES``, the result is a GuardsError (exit 2): the gate fails closed, never
open. The token is only ever sent to the API's own scheme and host.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from guards import __version__
from guards.core import shallow_json
from guards.core.records import record
from guards.errors import GuardsError

DEFAULT_API = "https://api.github.com"
MAX_PAGES = 100  # 10,000 items at per_page=100
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
_SLUG = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


@record
class Response:
    status: int
    data: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class RateLimited(GuardsError):
    """The API's rate limit was hit."""


@record
class GitHub:
    """A GitHub REST API endpoint with an optional token."""

    api_url: str = DEFAULT_API
    token: str | None = None
    timeout: float = 30.0  # one request, start to end, retries not included
    retries: int = 3
    backoff: float = 1.0
    budget: float = 300.0  # every request of the run together
    started: float = field(default_factory=time.monotonic, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str], **kw: Any) -> GitHub:
        """$GITHUB_API_URL and $GITHUB_TOKEN (or $GH_TOKEN); $GUARDS_GITHUB_RETRIES and
        $GUARDS_GITHUB_BACKOFF (seconds) tune retries, e.g. to keep tests from sleeping;
        $GUARDS_GITHUB_TIMEOUT (one request) and $GUARDS_GITHUB_BUDGET (the run) are deadlines
        in seconds."""
        token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None
        tunables = (
            ("retries", "RETRIES", int),
            ("backoff", "BACKOFF", float),
            ("timeout", "TIMEOUT", float),
            ("budget", "BUDGET", float),
        )
        for key, name, kind in tunables:
            value = env.get(f"GUARDS_GITHUB_{name}")
            if value and key not in kw:
                kw[key] = _number(kind, value, f"GUARDS_GITHUB_{name}")
        return cls(env.get("GITHUB_API_URL") or DEFAULT_API, token, **kw)

    def request(self, path: str) -> Response:
        """GET PATH (or a full URL); 2xx and 4xx come back, 5xx is retried, then exit 2."""
        url = path if path.startswith(("http://", "https://")) else self.api_url.rstrip("/") + path
        for attempt in range(self.retries + 1):
            response = self._once(url, self._deadline(url))
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
        """Every item of a paginated list, following Link: rel="next" on the API's host only,
        at most MAX_PAGES pages, never the same page twice."""
        items: list[Any] = []
        url: str | None = path + ("&" if "?" in path else "?") + "per_page=100"
        seen: set[str] = set()
        while url:
            self._check_page(path, url, seen)
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

    def _check_page(self, path: str, url: str, seen: set[str]) -> None:
        from guards.github import transport  # urllib.request loads only when a page is asked

        if url in seen:
            raise GuardsError(f"GitHub API {path}: pagination loops back to {url}")
        if len(seen) >= MAX_PAGES:
            raise GuardsError(f"GitHub API {path}: more than {MAX_PAGES} pages; refused")
        full = url if url.startswith(("http://", "https://")) else self.api_url.rstrip("/") + url
        if not transport.same_origin(full, self.api_url):
            raise transport.OffHost(
                f"GitHub API {path}: the next page is on {transport.origin(full)[1]!r}, "
                f"not {transport.origin(self.api_url)[1]}; not followed"
            )
        seen.add(url)

    def _deadline(self, url: str) -> float:
        """When this request must be done: its own timeout, within what is left of the run."""
        now = time.monotonic()
        left = self.started + self.budget - now
        if left <= 0:
            raise GuardsError(
                f"GitHub API {url}: the run's {self.budget:.0f} s for API calls is spent "
                "(set $GUARDS_GITHUB_BUDGET to allow more)"
            )
        return now + min(self.timeout, left)

    def _once(self, url: str, deadline: float) -> Response | None:
        from guards.github import transport  # urllib.request loads only when a request is made

        raw = transport.fetch(url, self._headers(), self.api_url, deadline)
        return None if raw is None else _response(*raw)

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
        data = shallow_json.loads(body) if body else None
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
