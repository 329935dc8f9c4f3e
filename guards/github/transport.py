"""One HTTP GET to the GitHub API, bounded: the token stays on the API's host, time and size are
capped, and nothing the server sends can stall the gate.

- Redirects are followed only to the API's own scheme and host (a renamed repository answers
  301 with a new path there); a redirect anywhere else is exit 2, so the token, which urllib
  would re-send with the redirected request, never leaves GitHub.
- The whole exchange (connect, headers, body) has one deadline: a server that drips a byte a
  second cannot keep the per-read timeout from ever firing.
- A body over ``MAX_BODY`` bytes is refused before it is parsed.

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


Raw = tuple[int, bytes, Mapping[str, str]]


def fetch(url: str, headers: Mapping[str, str], api_url: str, deadline: float) -> Raw | None:
    """(status, body, headers) of GET URL, None on a connection failure; exit 2 past DEADLINE
    (a ``time.monotonic()`` value), on a body too large, or on an off-host redirect."""
    if not same_origin(url, api_url):
        raise OffHost(f"refusing to send the token to {url!r}: not on {origin(api_url)[1]}")
    box: dict[str, Any] = {}
    worker = threading.Thread(target=_run, args=(url, headers, api_url, deadline, box))
    worker.daemon = True
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + 0.5)
    if worker.is_alive():
        raise GuardsError(f"GitHub API {url}: no complete answer before the deadline")
    if "error" in box:
        raise box["error"]
    result: Raw | None = box.get("result")
    return result


def _run(
    url: str, headers: Mapping[str, str], api_url: str, deadline: float, box: dict[str, Any]
) -> None:
    try:
        box["result"] = _exchange(url, headers, api_url, deadline)
    except GuardsError as exc:
        box["error"] = exc


def _exchange(url: str, headers: Mapping[str, str], api_url: str, deadline: float) -> Raw | None:
    opener = urllib.request.build_opener(_SameOriginRedirects(api_url))
    request = urllib.request.Request(url, headers=dict(headers))
    timeout = max(0.1, deadline - time.monotonic())
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, _read(resp, url, deadline), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, _read(err, url, deadline), dict(err.headers or {})
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return None


def _read(resp: Any, url: str, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise GuardsError(f"GitHub API {url}: the answer did not arrive before the deadline")
        chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY:
            raise GuardsError(f"GitHub API {url}: the answer is over {MAX_BODY} bytes; refused")
        chunks.append(chunk)
