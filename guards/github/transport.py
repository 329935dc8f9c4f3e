"""One HTTP GET to the GitHub API, bounded: the token stays on the API's host, time and size are
capped, and nothing the server sends can stall the gate.

- Redirects are followed only to the API's own scheme and host (a renamed repository answers
  301 with a new path there); a redirect anywhere else is exit 2, so the token, which urllib
  would re-send with the redirected request, never leaves GitHub.
- The whole exchange (connect, headers, body) has one deadline: a server that drips a byte a
  second cannot keep the per-read timeout from ever firing.
- A body over ``MAX_BODY`` bytes (or the caller's LIMIT) is refused before it is parsed.
- ``fetch_storage`` GETs a signed storage URL (an artifact's zip, where the API redirects)
  with the same deadline and a size cap but no token and no GitHub header at all: the URL
  itself is the credential, and storage is another host.

The trap: urllib's timeout is per socket operation, not per request; the deadline here is
enforced by reading the body in small chunks and by running the exchange on a worker thread
whose join is bounded.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from guards.core.records import record
from guards.errors import GuardsError

MAX_BODY = 32 << 20  # the largest REST page guards reads is a few hundred KiB
CHUNK = 1 << 16


class OffHost(GuardsError):
    """The server pointed somewhere other than the API's scheme and host."""


def origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def same_origin(url: str, api_url: str) -> bool:
    return origin(url) == origin(api_url)


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if not same_origin(newurl, self.api_url):
            raise OffHost(
                f"GitHub API {req.full_url} redirected to {origin(newurl)[1] or newurl!r}, "
                f"outside {origin(self.api_url)[1]}; not followed (the token stays on the API)"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx comes back as the response (with its Location) for the caller to decide."""

    def redirect_request(self, *_args: Any, **_kw: Any) -> None:
        return None


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Storage may redirect (no token rides along); only to http(s), never file: or ftp:."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if origin(newurl)[0] not in ("http", "https"):
            raise GuardsError(f"{req.full_url} redirected to {newurl!r}; not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


Raw = tuple[int, bytes, Mapping[str, str]]


@record
class _Get:
    """One bounded GET: where, with which headers and redirect rule, until when, how much."""

    url: str
    headers: Mapping[str, str]
    redirects: urllib.request.HTTPRedirectHandler
    deadline: float
    limit: int
    what: str


def fetch(
    url: str,
    headers: Mapping[str, str],
    api_url: str,
    deadline: float,
    *,
    limit: int = MAX_BODY,
    follow: bool = True,
) -> Raw | None:
    """(status, body, headers) of GET URL, None on a connection failure; exit 2 past DEADLINE
    (a ``time.monotonic()`` value), on a body over LIMIT, or on an off-host redirect. Without
    FOLLOW a redirect is the answer (its Location to be fetched by the caller)."""
    if not same_origin(url, api_url):
        raise OffHost(f"refusing to send the token to {url!r}: not on {origin(api_url)[1]}")
    redirects = _SameOriginRedirects(api_url) if follow else _NoRedirects()
    return _bounded(_Get(url, headers, redirects, deadline, limit, "GitHub API"))


def fetch_storage(url: str, user_agent: str, deadline: float, *, limit: int) -> Raw | None:
    """GET a signed storage URL with nothing but a User-Agent (never the token), within the
    same DEADLINE and LIMIT rules as ``fetch``."""
    if origin(url)[0] not in ("http", "https"):
        raise GuardsError(f"artifact storage URL {url!r} is not http(s); not fetched")
    get = _Get(url, {"User-Agent": user_agent}, _WebRedirects(), deadline, limit, "storage")
    return _bounded(get)


def _bounded(get: _Get) -> Raw | None:
    box: dict[str, Any] = {}
    worker = threading.Thread(target=_run, args=(get, box))
    worker.daemon = True
    worker.start()
    worker.join(max(0.0, get.deadline - time.monotonic()) + 0.5)
    if worker.is_alive():
        raise GuardsError(f"{get.what} {get.url}: no complete answer before the deadline")
    if "error" in box:
        raise box["error"]
    result: Raw | None = box.get("result")
    return result


def _run(get: _Get, box: dict[str, Any]) -> None:
    try:
        box["result"] = _exchange(get)
    except GuardsError as exc:
        box["error"] = exc


def _exchange(get: _Get) -> Raw | None:
    opener = urllib.request.build_opener(get.redirects)
    request = urllib.request.Request(get.url, headers=dict(get.headers))
    timeout = max(0.1, get.deadline - time.monotonic())
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, _read(resp, get), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, _read(err, get), dict(err.headers or {})
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return None


def _read(resp: Any, get: _Get) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > get.deadline:
            raise GuardsError(
                f"{get.what} {get.url}: the answer did not arrive before the deadline"
            )
        chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > get.limit:
            raise GuardsError(
                f"{get.what} {get.url}: the answer is over {get.limit} bytes; refused"
            )
        chunks.append(chunk)
