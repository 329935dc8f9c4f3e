"""Detections of manifest-scope, each with a replacement that disables it."""

from __future__ import annotations

import posixpath

from guards.patterns import patterns


def _no_findings(*_a: object, **_k: object) -> list[object]:
    return []


MUTANTS = [
    ("no ticket passes", "guards.checks.manifest_scope:missing_ticket", _no_findings),
    ("missing scope file passes", "guards.checks.manifest_scope:missing_scope_file", _no_findings),
    (
        "allow list not checked",
        "guards.patterns:TicketScope.not_allowed",
        lambda self, hits: None,
    ),
    ("deny lists not checked", "guards.patterns:TicketScope.denied", lambda self, hits: None),
    (
        "the one set ranks matches by line only (a folder match beats a file match)",
        "guards.pattern_set:_beats",
        lambda new, old: new.line > old.line,
    ),
    (
        "global deny list ignored",
        "guards.checks.manifest_scope:global_deny",
        lambda cfg: patterns("none", ()),
    ),
    (
        "ticket deny list ignored",
        "guards.checks.manifest_scope:ticket_deny",
        lambda source, doc: patterns("none", ()),
    ),
    (
        "symlink targets not checked",
        "guards.checks.manifest_scope:check_link",
        lambda *a: iter(()),
    ),
    (
        "symlink target taken as repo-relative",
        "guards.checks.manifest_scope.link_targets:join",
        lambda folder, target: posixpath.normpath(target.lstrip("/")),
    ),
    (
        "links on the way to a target not followed",
        "guards.checks.manifest_scope.link_targets:land",
        lambda git, head, path: path,
    ),
    (
        "a linked folder not judged as a folder",
        "guards.checks.manifest_scope.link_targets:folder_paths",
        lambda git, head, path: [],
    ),
    (
        "only the head side of a change counts",
        "guards.core.changes:FileChange.paths",
        property(lambda self: (self.new_path or self.old_path,)),
    ),
    (
        "deletions ignored",
        "guards.core.changes:FileChange.paths",
        property(
            lambda self: tuple(p for p in (self.old_path, self.new_path) if p and self.new_path)
        ),
    ),
    (
        "policy read at head",
        "guards.context:Context.read_base",
        lambda self, path: self.git.read(self.head, path),
    ),
]
