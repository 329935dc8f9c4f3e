"""Pure scope logic: gitignore-style allow/deny lists and the verdict for one path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pathspec


@dataclass(frozen=True)
class Patterns:
    """Gitignore-style patterns from one source (a scope file or guards.yaml)."""

    source: str
    patterns: tuple[str, ...]
    spec: pathspec.GitIgnoreSpec = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "spec", pathspec.GitIgnoreSpec.from_lines(self.patterns))

    def spec_for(self, path: str) -> pathspec.GitIgnoreSpec:
        """The fast (re2) matcher, or the pure-Python one for names that are not UTF-8."""
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            return self.simple_spec
        return self.spec

    @cached_property
    def simple_spec(self) -> pathspec.GitIgnoreSpec:
        """Compiled once, on the first name that needs it."""
        return pathspec.GitIgnoreSpec.from_lines(self.patterns, backend="simple")

    def match(self, path: str) -> str | None:
        """The pattern that decides PATH is matched, or None (no match, or negated)."""
        if not self.patterns:
            return None
        checked = self.spec_for(path).check_file(path)
        if not checked.include or checked.index is None:
            return None
        return self.patterns[checked.index]


def patterns(source: str, lines: Sequence[str]) -> Patterns:
    return Patterns(source, tuple(lines))


@dataclass(frozen=True)
class TicketScope:
    """A ticket's scope: its allow and deny lists, plus the global deny list."""

    allow: Patterns
    deny: Patterns
    global_deny: Patterns

    def why_out(self, path: str) -> str | None:
        """None when PATH is in scope, else why not (global deny, then deny, then allow)."""
        return self.denied(path) or self.not_allowed(path)

    def denied(self, path: str) -> str | None:
        for denied in (self.global_deny, self.deny):
            hit = denied.match(path)
            if hit is not None:
                return f"deny pattern {hit!r} in {denied.source} matched"
        return None

    def not_allowed(self, path: str) -> str | None:
        if self.allow.match(path) is None:
            return f"no allow pattern in {self.allow.source} matched"
        return None
