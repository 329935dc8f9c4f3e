"""Both sides of every changed file, read once: what the guard's verdicts work on."""

from __future__ import annotations

from guards.checks.tests_with_code.layout import IMPLEMENTATION, TEST, Layout
from guards.checks.tests_with_code.model import Reading
from guards.checks.tests_with_code.source import EMPTY, MAX_BYTES, extension, read_source
from guards.core.changes import FileChange
from guards.core.git import Git
from guards.core.records import record

CODE_MODES = ("100644", "100755")


@record
class Side:
    """One changed file: its path at head (or the deleted path), kind and both readings."""

    path: str
    status: str
    kind: str  # test | implementation | other
    old: Reading
    new: Reading

    @property
    def has_tests(self) -> bool:
        """Test units are read in test files and in Rust sources (``#[cfg(test)]``)."""
        return self.kind == TEST or extension(self.path) == "rs"


def read_change(git: Git, layout: Layout, change: FileChange) -> Side | None:
    """The Side of CHANGE; None for symlinks, submodules and files that are neither kind."""
    kind = layout.kind(change.path)
    old_kind = layout.kind(change.old_path) if change.old_path else kind
    if TEST in (kind, old_kind):
        kind = TEST
    if kind not in (TEST, IMPLEMENTATION) or not _is_file(change):
        return None
    old = _read(git, change.old_path, change.old_oid) if change.status != "C" else EMPTY
    new = _read(git, change.new_path, change.new_oid)
    return Side(change.path, change.status, kind, old, new)


def _is_file(change: FileChange) -> bool:
    modes = [m for m in (change.old_mode, change.new_mode) if m]
    return any(m in CODE_MODES for m in modes)


def _read(git: Git, path: str | None, oid: str | None) -> Reading:
    if path is None or oid is None:
        return EMPTY
    if git.blob_size(oid) > MAX_BYTES:
        return Reading(oid, (oid,), parsed=False)  # too large to parse: any change counts
    return read_source(path, git.read_oid(oid))
