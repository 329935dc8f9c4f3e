"""Hostile inputs shared by the fault suite (tests/test_faults.py) and its benchmark
(benchmarks/faults_bench.py): a YAML alias bomb, policy files that must be refused, and a real
HTTP server that answers one byte at a time (a per-read timeout never fires on it; only a
deadline over the whole exchange ends the request)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testing.git_repo import GitRepo

# six levels of nine aliases each: 9**6 (531,441) nodes from a few hundred bytes
BOMB = "a: &a [1, 2]\n" + "".join(
    f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]\n" for p, x in zip("abcdef", "bcdefg", strict=True)
)
# guards.yaml texts guards must refuse (exit 2 naming the file), and a word of the message
POLICIES = {
    "duplicate-key": ("manifest-scope: {deny: ['x/**']}\nmanifest-scope: {dir: scope}\n", "twice"),
    "alias-bomb": (BOMB, "anchor"),
    "deep": ("manifest-scope:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80)), "deeper"),
    "oversized": ("x" * (2 << 20), "at most"),
    "backreference": ("manifest-scope: {ticket-pattern: '(a)\\1'}\n", "RE2"),
    "bad-glob": ("manifest-scope: {deny: ['secrets/\\']}\n", "secrets/"),
}
# Python test files nested past what the parser and the analyzer follow
DEEP_SOURCES = {
    "unary-chain": ("X = " + "-" * 200_000 + "1\n", "nested too deeply"),
    "parentheses": ("X = " + "(" * 5000 + "1" + ")" * 5000 + "\n", "too many nested parentheses"),
}
DRIP_REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"[" * 100000


@contextmanager
def dripping(reply: bytes = DRIP_REPLY, pause: float = 0.5) -> Iterator[str]:
    """A server on 127.0.0.1 that sends REPLY one byte every PAUSE seconds; yields its URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_drip, args=(conn, reply, pause, stop), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


def _drip(conn: socket.socket, reply: bytes, pause: float, stop: threading.Event) -> None:
    with conn:
        for byte in reply:
            if stop.wait(pause):
                return
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return


def linked_folder(root: Path, files: int, scope: str) -> tuple[GitRepo, str]:
    """vendor/big/ of FILES files at base (added by index: one blob, no file system work) under
    the scope file SCOPE, and a head that links src/link to it; returns the repo and base."""
    repo = GitRepo(root)
    repo.write({"scope/FR-1.yaml": scope, "src/a.py": "A = 1\n"})
    oid = repo.git("hash-object", "-w", "--stdin", stdin=b"x\n").strip()
    entries = "".join(f"100644 {oid}\tvendor/big/f{i}.txt\n" for i in range(files))
    repo.git("update-index", "--add", "--index-info", stdin=entries.encode())
    base = repo.commit("base")
    repo.branch("feature")
    repo.symlink({"src/link": "../vendor/big"})
    repo.commit("head")
    return repo, base
