"""Probe repositories: a base commit on main and a head commit on a branch, built in one go.

The probe runner builds hundreds of these, so each is two git processes in all (init and
fast-import, through guards/core/git.py), with no checkout. Every commit gets the same fixed
identity and date (``IDENTITY``), so what is built does not depend on the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

from guards.core.git import IDENTITY, fast_import, init_repository, isolated_env

Tree = dict[str, tuple[str, bytes]]  # path -> (mode, blob bytes, or a commit id for gitlinks)
_EPOCH = "1767225600 +0000"  # 2026-01-01T00:00:00Z, the same date as IDENTITY


def build_pair(
    path: str | os.PathLike[str], base: Tree, head: Tree, branch: str
) -> tuple[str, str]:
    """A repository with BASE committed on main and HEAD (a whole tree) on BRANCH.

    Two git processes in all (init, fast-import): the probe runner builds hundreds of these.
    There is no checkout; HEAD names BRANCH. Returns the two commit ids.
    """
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    env = isolated_env()
    init_repository(root, branch, env)
    stream = _commit("refs/heads/main", ":1", None, "base", base)
    stream += _commit(f"refs/heads/{branch}", ":2", ":1", "head", head)
    stream += b"get-mark :1\nget-mark :2\ndone\n"
    base_sha, head_sha = fast_import(root, stream, env).decode().split()
    return base_sha, head_sha


def _commit(ref: str, mark: str, parent: str | None, message: str, tree: Tree) -> bytes:
    who = f"{IDENTITY['GIT_AUTHOR_NAME']} <{IDENTITY['GIT_AUTHOR_EMAIL']}> {_EPOCH}"
    lines = [f"commit {ref}\nmark {mark}\nauthor {who}\ncommitter {who}\n".encode()]
    lines.append(_data(message.encode()))
    lines.append(f"from {parent}\ndeleteall\n".encode() if parent else b"")
    for name, (mode, content) in sorted(tree.items()):
        if mode == "160000":
            lines.append(f"M 160000 {content.decode()} ".encode() + _quote(name) + b"\n")
            continue
        lines.append(f"M {mode} inline ".encode() + _quote(name) + b"\n" + _data(content))
    return b"".join(lines) + b"\n"


def _data(content: bytes) -> bytes:
    return f"data {len(content)}\n".encode() + content + b"\n"


def _quote(name: str) -> bytes:
    """A path for fast-import: C-style quoted when it holds a quote, backslash or newline."""
    raw = os.fsencode(name)
    if not any(ch in raw for ch in b'"\\\n') and not raw.startswith(b'"'):
        return raw
    escaped = raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
    return b'"' + escaped + b'"'
