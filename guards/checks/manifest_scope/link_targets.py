"""What a symlink the PR adds or changes exposes, resolved through the head tree.

A link is judged by every path it opens: its target as written, joined to the real folder the
link sits in; the same target with every symlink on the way followed (``core.links.follow``,
folders included), so a link through a link already in the tree is seen where it lands; and,
when a target is a folder (or does not exist yet, so could become one), the folder as a path
(``dir/``, which ``dir/**`` matches) and every file under it at head: at most MAX_FILES of
them, past which the link is exit 2 naming it (judging only the first ones would let a file
past the cut through unseen).

The trap this replaces: resolving the link's text by string arithmetic, which misses a link on
the way (``src/a/k -> shortcut/key.py`` where ``src/a/shortcut -> ../../secrets``) and a link
to a denied folder itself (``src/a/k -> secrets`` against ``deny: [src/a/secrets/**]``).
"""

from __future__ import annotations

import posixpath

from guards.core.git import Git
from guards.core.links import TREE, follow
from guards.core.records import record
from guards.errors import GuardsError

MAX_FILES = 10_000  # files under a linked folder that are judged one by one
_OUTSIDE = "points outside the repository"


@record
class Exposure:
    """The paths a link opens at head, or why it leaves the repository (then no paths)."""

    paths: tuple[str, ...]
    outside: str = ""


def exposure(git: Git, head: str, link: str, target: str) -> Exposure:
    """Every path LINK (whose text is TARGET) opens in the tree at HEAD."""
    parent = posixpath.dirname(link)
    folder = (follow(git, head, parent).path if parent else "") or parent
    joined = join(folder, target)
    if joined is None:
        return Exposure((), f"{link} -> {target} {_OUTSIDE}")
    landed = land(git, head, joined)
    if isinstance(landed, Exposure):
        return landed
    paths = dict.fromkeys((joined, landed))
    try:
        for path in list(paths):
            paths.update(dict.fromkeys(folder_paths(git, head, path)))
    except TooManyFiles as exc:
        raise GuardsError(f"symlink {link} -> {target}: {exc}") from exc
    return Exposure(tuple(paths))


def land(git: Git, head: str, path: str) -> str | Exposure:
    """Where PATH ends with every link followed: the longest prefix that resolves, joined to
    the rest (a target that does not exist yet is judged where it would be)."""
    parts = path.split("/")
    for i in range(len(parts), 0, -1):
        found = follow(git, head, "/".join(parts[:i]))
        if _OUTSIDE in found.why:
            return Exposure((), found.why)
        if found.path is not None:
            return posixpath.join(found.path, *parts[i:]) if found.path else "/".join(parts[i:])
    return path


def folder_paths(git: Git, head: str, path: str) -> list[str]:
    """For a folder (or a path not in the tree), the folder as a path and its files."""
    entry = git.entry(head, path) if path else (TREE, "")
    if entry is not None and entry[0] != TREE:
        return []
    files = list(git.list_files(head, [path])) if path else []
    if len(files) > MAX_FILES:
        raise TooManyFiles(
            f"{path}/ holds {len(files):,} files at head, more than the {MAX_FILES:,} judged one "
            "by one under a linked folder; link a smaller folder, or the files themselves"
        )
    return [f"{path}/" if path else "", *files]


class TooManyFiles(GuardsError):
    """A linked folder holds more files than are judged one by one: exit 2, never a cut."""


def join(folder: str, target: str) -> str | None:
    """TARGET read from FOLDER; None when it leaves the repository."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(folder, target))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined
