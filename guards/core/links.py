"""Symlinks followed through one revision's tree, as a checkout would follow them.

pytest opens a test file through the file system, so a ``tests/test_a.py`` that is a symlink
is collected with its target's content, and a link inside a linked folder is followed too.
``follow`` resolves every component of a path against the tree at a revision (folders
included), at most ``MAX_HOPS`` links, and says where it ends: a file in the tree, or why not.

The trap: resolving by string arithmetic on the link's own text misses links on the way
(``a/b.py`` where ``a`` is itself a link); here each component is looked up in the tree.
"""

from __future__ import annotations

import os
import posixpath

from guards.core.git import Git
from guards.core.records import record

SYMLINK, GITLINK, TREE = "120000", "160000", "040000"
MAX_HOPS = 40  # Linux's own limit on links followed while opening one path


@record
class Followed:
    """Where a path ends: ``path`` (a file in the tree), else None and ``why`` not."""

    path: str | None
    why: str = ""
    submodule: bool = False


def follow(git: Git, rev: str, path: str) -> Followed:
    """PATH at REV with every symlink on the way resolved."""
    parts, done, hops = path.split("/"), "", 0
    while parts:
        part = parts.pop(0)
        current = posixpath.join(done, part) if done else part
        entry = git.entry(rev, current)
        if entry is None:
            return Followed(None, f"{current} does not exist at {rev[:12]}")
        mode, oid = entry
        if mode == GITLINK:
            return Followed(None, f"{current} is a submodule at {rev[:12]}", submodule=True)
        if mode != SYMLINK:
            done = current
            continue
        hops += 1
        if hops > MAX_HOPS:
            return Followed(None, f"{path} goes through more than {MAX_HOPS} symlinks")
        target = os.fsdecode(git.read_oid(oid))
        joined = _join(done, target)
        if joined is None:
            return Followed(None, f"{current} points outside the repository ({target!r})")
        parts, done = [p for p in joined.split("/") if p] + parts, ""
    return Followed(done)


def _join(folder: str, target: str) -> str | None:
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(folder, target))
    if joined in (".", "..") or joined.startswith("../"):
        return None if joined != "." else ""
    return joined
