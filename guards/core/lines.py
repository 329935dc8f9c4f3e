"""Line-level facts (added/removed line numbers per file), parsed with unidiff on demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from unidiff.patch import PatchedFile, PatchSet

from guards.core.git import Git


@dataclass(frozen=True)
class LineChanges:
    """Added lines (numbers at head) and removed lines (numbers at base) of one file."""

    path: str
    added: tuple[int, ...]
    removed: tuple[int, ...]


def load_line_changes(
    git: Git, base: str, head: str, paths: Sequence[str] = ()
) -> dict[str, LineChanges]:
    """Per-file line changes from BASE to HEAD, limited to PATHS when given."""
    patch = git.run(
        "-c",
        "core.quotePath=false",
        "diff",
        "-U0",
        "-M",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        base,
        head,
        "--",
        *paths,
    ).decode("utf-8", errors="surrogateescape")
    return {pf.path: _facts(pf) for pf in PatchSet(patch)}


def _facts(patched_file: PatchedFile) -> LineChanges:
    added: list[int] = []
    removed: list[int] = []
    for hunk in patched_file:
        for line in hunk:
            if line.is_added and line.target_line_no is not None:
                added.append(line.target_line_no)
            elif line.is_removed and line.source_line_no is not None:
                removed.append(line.source_line_no)
    return LineChanges(patched_file.path, tuple(added), tuple(removed))
