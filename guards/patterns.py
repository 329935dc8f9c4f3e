"""Pure scope logic: gitignore-style allow/deny lists and the verdict for one path."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from guards.core.records import record
from guards.errors import ConfigError

if TYPE_CHECKING:  # pathspec (15 ms of imports) loads with the first list that holds a pattern
    import pathspec

    from guards.pattern_set import Hits, PatternSet


@record
class Patterns:
    """Gitignore-style patterns from one source (a scope file or guards.yaml)."""

    source: str
    patterns: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.patterns:
            _ = self.spec  # compiled now: a pattern git would not accept fails the config read

    @cached_property
    def spec(self) -> pathspec.GitIgnoreSpec:
        """All the patterns as one matcher (re2 backend)."""
        return _compile(self.source, self.patterns)

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
        return _compile(self.source, self.patterns, backend="simple")

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


def _compile(
    source: str, lines: tuple[str, ...], backend: str | None = None
) -> pathspec.GitIgnoreSpec:
    """All of LINES as one matcher; a pattern git would not accept is a ConfigError naming it.
    A class like ``[--x]`` makes Python's re warn that a future version may read it as a set
    operation (FutureWarning); today's reading is git's, and the warning is not the user's."""
    import pathspec

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            if backend:
                return pathspec.GitIgnoreSpec.from_lines(lines, backend=backend)
            return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception as exc:  # pathspec raises GitIgnorePatternError or re.error
        bad = next((p for p in lines if not _valid(p)), None)
        what = f"the pattern {bad!r}" if bad is not None else "a pattern"
        raise ConfigError(f"{source}: {what} is not a valid gitignore-style glob: {exc}") from exc


def _valid(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except Exception:  # the same errors as above, one pattern at a time
        return False
    return True


@record
class TicketScope:
    """A ticket's scope: its allow and deny lists, plus the global deny list.

    A path's hits come from one RE2 set over the three lists (``pattern_set``) when it can
    answer, else from the lists one by one: the same verdict either way."""

    allow: Patterns
    deny: Patterns
    global_deny: Patterns

    @cached_property
    def one_set(self) -> PatternSet | None:
        """The three lists as one matcher, compiled on the first path."""
        from guards.pattern_set import pattern_set

        return pattern_set([(p.patterns, p.spec) for p in self.lists])

    @property
    def lists(self) -> tuple[Patterns, Patterns, Patterns]:
        return (self.global_deny, self.deny, self.allow)

    def why_out(self, path: str) -> str | None:
        """None when PATH is in scope, else why not (global deny, then deny, then allow)."""
        return self.out_of_scope([path]).get(path)

    def out_of_scope(self, paths: Sequence[str]) -> dict[str, str]:
        """Why each of PATHS that is out of scope is out (a path in scope is not a key)."""
        found = {}
        for path, hits in zip(paths, self.hits_many(paths), strict=True):
            why = self.denied(hits) or self.not_allowed(hits)
            if why:
                found[path] = why
        return found

    def hits_many(self, paths: Sequence[str]) -> list[Hits]:
        """The deciding pattern of each list (global deny, deny, allow) for each of PATHS."""
        one = self.one_set
        answers = one.hits_many(paths) if one is not None else [None] * len(paths)
        return [
            found if found is not None else tuple(p.match(path) for p in self.lists)
            for path, found in zip(paths, answers, strict=True)
        ]

    def denied(self, hits: Hits) -> str | None:
        if hits[0] is None and hits[1] is None:
            return None
        denied, hit = (self.global_deny, hits[0]) if hits[0] is not None else (self.deny, hits[1])
        return f"deny pattern {hit!r} in {denied.source} matched"

    def not_allowed(self, hits: Hits) -> str | None:
        if hits[2] is None:
            return f"no allow pattern in {self.allow.source} matched"
        return None
