"""A real HTTP server on 127.0.0.1 that replays a probe's recorded GitHub responses.

``api:`` maps a request path (with its query, or without it to match any query) to either a
JSON body served with 200, or ``{status: 403, body: {...}, headers: {...}}``. ``{api}`` in a
header value (e.g. a ``Link`` for pagination) becomes the server's own URL. Anything not
recorded is a 404, as GitHub answers for what a token may not see.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

_SPEC_KEYS = {"status", "body", "headers"}
NOT_FOUND = {"status": 404, "body": {"message": "Not Found"}}


def _spec(value: Any) -> Mapping[str, Any]:
    """A recorded value as {status, body, headers}: bare JSON is a 200 body."""
    if (
        isinstance(value, dict)
        and isinstance(value.get("status"), int)
        and set(value) <= _SPEC_KEYS
    ):
        return value
    return {"status": 200, "body": value}


class _Handler(BaseHTTPRequestHandler):
    routes: Mapping[str, Any] = {}
    base_url = ""

    def do_GET(self) -> None:
        path = unquote(self.path)
        found = self.routes.get(path, self.routes.get(path.split("?", 1)[0], NOT_FOUND))
        spec = _spec(found)
        body = json.dumps(spec.get("body")).encode()
        self.send_response(int(spec["status"]))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (spec.get("headers") or {}).items():
            self.send_header(str(key), str(value).replace("{api}", self.base_url))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a probe's output is its verdict."""


@contextmanager
def serve(routes: Mapping[str, Any]) -> Iterator[str]:
    """Serve ROUTES on 127.0.0.1 in a thread; yields the base URL."""

    class Handler(_Handler):
        """This server's routes (a class per server: http.server builds one per request)."""

    Handler.routes = dict(routes)
    handler = Handler
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield handler.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
