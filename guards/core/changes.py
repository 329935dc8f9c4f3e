"""The change set of a pull request: one ``git diff --raw -z`` call, every path git reports."""

from __future__ import annotations

import dataclasses
import os
import posixpath
from collections.abc import Iterator

from guards.core.git import Git
from guards.core.records import maker, record

SYMLINK = "120000"
GITLINK = "160000"
NO_MODE = "000000"


@record
class FileChange:
    """One entry of the change set.

    status: A added, M modified, D deleted, R renamed, C copied, T type changed.
    old_path/old_mode are None for additions; new_path/new_mode are None for deletions.
    """

    status: str
    old_path: str | None
    new_path: str | None
    old_mode: str | None
    new_mode: str | None
    old_oid: str | None = None
    new_oid: str | None = None
    similarity: int | None = None
    symlink_target: str | None = None  # the link's text at head, when it is a symlink there

    @property
    def path(self) -> str:
        """The path at head, or the deleted path."""
        return self.new_path or self.old_path or ""

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path this change touches: both sides of a rename or copy."""
        old, new = self.old_path, self.new_path
        if old and new and old != new:
            return (old, new)
        one = new or old  # asked of every change of a large change set: no generator here
        return (one,) if one else ()

    @property
    def is_symlink(self) -> bool:
        return self.new_mode == SYMLINK

    @property
    def is_submodule(self) -> bool:
        return GITLINK in (self.old_mode, self.new_mode)

    @property
    def mode_changed(self) -> bool:
        return None not in (self.old_mode, self.new_mode) and self.old_mode != self.new_mode

    def resolved_target(self) -> str | None:
        """The symlink's target relative to the repository root; None if it leaves the tree."""
        if self.symlink_target is None:
            return None
        return resolve_link(self.path, self.symlink_target)


def resolve_link(link_path: str, target: str) -> str | None:
    """Resolve TARGET against the folder of LINK_PATH; None when it leaves the repository."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(link_path), target))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


@record
class ChangeSet:
    """All files changed between the merge-base and head."""

    base: str
    head: str
    files: tuple[FileChange, ...]

    def __iter__(self) -> Iterator[FileChange]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for change in self.files for p in change.paths))


def load_changes(git: Git, base: str, head: str) -> ChangeSet:
    """The change set from BASE (a merge-base) to HEAD, with renames and copies detected."""
    raw = git.diff_raw(base, head)
    changes = list(parse_raw(raw))
    return ChangeSet(base, head, tuple(_with_target(git, c) for c in changes))


def parse_raw(raw: bytes) -> Iterator[FileChange]:
    """Parse ``git diff --raw -z`` output: each entry a header (``:mode mode oid oid status``),
    then its path, or two for a rename or copy, each ended by NUL. Paths are read as the
    file system names them (``os.fsdecode``: a name that is not UTF-8 keeps its bytes as
    surrogates); the whole output is decoded at once, which reads every field alike (UTF-8
    resynchronizes at each NUL), and each entry made by ``records.maker`` (20,000 files:
    0.11 -> 0.05 s)."""
    fields = os.fsdecode(raw).split("\0")
    make, i = _make_change, 0
    while i < len(fields) and fields[i]:
        old_mode, new_mode, old_oid, new_oid, status = fields[i].lstrip(":").split()
        kind = status[0]
        old: str | None
        new: str | None
        if kind in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
        else:
            one = fields[i + 1]
            old, new = (None if kind == "A" else one), (None if kind == "D" else one)
            i += 2
        was, now = old_mode != NO_MODE, new_mode != NO_MODE  # a side the file is absent from
        yield make(
            kind,
            old,
            new,
            old_mode if was else None,
            new_mode if now else None,
            old_oid if was else None,
            new_oid if now else None,
            int(status[1:]) if status[1:] else None,  # similarity
            None,  # symlink_target: read where a link is (_with_target)
        )


_make_change = maker(FileChange)


def _with_target(git: Git, change: FileChange) -> FileChange:
    if not change.is_symlink or change.new_oid is None:
        return change
    return dataclasses.replace(change, symlink_target=os.fsdecode(git.read_oid(change.new_oid)))
