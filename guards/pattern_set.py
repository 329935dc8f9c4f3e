"""Several gitignore-style pattern lists answered by one RE2 set: one match call per path.

The contract: ``PatternSet.hits(path)`` gives, for every list, the pattern that decides the path
is matched (or None), exactly as ``Patterns.match`` does list by list, or None when the set
cannot answer (then the caller asks the lists one by one). The regexes are pathspec's own
(``pattern.regex``, public), split and ranked the way pathspec's RE2 backend does it: a
pattern whose regex ends in the optional directory marker becomes a directory variant
(``.../``, rank 1) and a file variant (``...$``, rank 2); a directory-only pattern becomes its
directory variant; in each list the best rank wins, the last pattern within a rank, and an
including directory match overrides an earlier match of any rank. The property test
(tests/test_scope_pattern_set.py) holds this to ``Patterns.match`` on generated patterns and paths.

That ranking is no order: a directory match that overrides an earlier file match, and a file match
that outranks a directory match, can each beat the other, and RE2 gives a set's ids in no set
order (pathspec warns of it), so the pattern pathspec names then depends on the order of its own
set's ids, which one combined set does not reproduce. Where a list's matches hold such a pair
(an including directory variant after a file variant) the set does not answer: None.

The traps: RE2's set match returns no ids both for "nothing matched" and for "the DFA ran out of
memory" (the Python binding drops the error), so an empty answer is never taken as a verdict:
the caller falls back to the per-list matchers, which costs nothing on a scope where in-scope
paths match some allow pattern. A set too large to compile within ``MAX_MEM`` (or a pattern
shape this module does not know) gives no set at all: again the per-list path, never a pass.
A name that is not UTF-8 (surrogate escapes) cannot reach RE2: None, the per-list path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import pathspec
from pathspec.util import NORMALIZE_PATH_SEPS, normalize_file

MAX_MEM = 64 << 20  # bytes RE2 may use for the combined program and its DFA
_DIR_MARK = "(?P<ps_d>/)"  # pathspec's directory marker (a named group)
_DIR_MARK_OPT = f"(?:{_DIR_MARK}|$)"  # the same, optional: file or directory
_FILE, _DIR = 2, 1  # ranks: a file match beats a directory match


class Variant(NamedTuple):
    """One regex of the set: which list and pattern it stands for, and its rank."""

    source: int  # the list's position
    line: int  # the pattern's position in its list
    include: bool  # False for a negated pattern (``!x``)
    rank: int  # _FILE or _DIR


Hits = tuple["str | None", ...]


class PatternSet:
    """The lists of one verdict compiled into one RE2 set (build it with ``pattern_set``)."""

    def __init__(self, lines: Sequence[tuple[str, ...]], compiled: Any, variants: list[Variant]):
        self._lines = lines
        self._set = compiled
        self._variants = variants
        self._alone = [self._decide([i]) for i in range(len(variants))]  # one id: known answer

    def hits(self, path: str) -> Hits | None:
        """Per list, the pattern deciding PATH is matched (None: unmatched or negated); None
        when the set cannot answer (no id came back, or PATH is not UTF-8)."""
        return self.hits_many([path])[0]

    def hits_many(self, paths: Iterable[str]) -> list[Hits | None]:
        """``hits`` of each of PATHS, in one loop (the per-path cost is one RE2 call)."""
        match, alone, decide = self._set.Match, self._alone, self._decide
        answers: list[Hits | None] = []
        for path in paths:
            if NORMALIZE_PATH_SEPS or path.startswith(("/", "./")):
                path = normalize_file(path)  # pathspec's normal form, as check_file makes it
            try:
                ids = match(path)
            except UnicodeEncodeError:
                ids = None
            answers.append(None if not ids else alone[ids[0]] if len(ids) == 1 else decide(ids))
        return answers

    def _decide(self, ids: list[int]) -> Hits | None:
        """pathspec's RE2 ranking (``Re2GiBackend.match_file``), list by list; None where the
        order of the ids could change it (see the module's docstring)."""
        found = [self._variants[i] for i in ids]
        if _order_decides(found):
            return None
        best: list[Variant | None] = [None] * len(self._lines)
        for v in found:
            old = best[v.source]
            if old is None or _beats(v, old):
                best[v.source] = v
        return tuple(
            None if b is None or not b.include else self._lines[b.source][b.line] for b in best
        )

    def ambiguous(self, path: str) -> bool:
        """Whether PATH's matches hold a pair the order of RE2's ids decides between."""
        return _order_decides([self._variants[i] for i in self._set.Match(path) or []])


def _order_decides(found: list[Variant]) -> bool:
    """Whether some list's matches FOUND hold an including directory variant after a file
    variant: each beats the other when it comes second."""
    first_file: dict[int, int] = {}
    for v in found:
        if v.rank == _FILE:
            first_file[v.source] = min(v.line, first_file.get(v.source, v.line))
    return any(
        v.include and v.rank == _DIR and v.line > first_file.get(v.source, v.line) for v in found
    )


def _beats(new: Variant, old: Variant) -> bool:
    later = new.line > old.line
    return (
        (new.include and new.rank == _DIR and later)
        or (new.rank == old.rank and later)
        or new.rank > old.rank
    )


Lists = Sequence[tuple[tuple[str, ...], pathspec.GitIgnoreSpec]]


def pattern_set(lists: Lists) -> PatternSet | None:
    """One set for LISTS (each its lines and their compiled spec, as ``Patterns`` holds them);
    None when RE2 is missing, a regex has an unknown shape, or the set does not fit MAX_MEM."""
    try:
        import re2
    except ImportError:  # pragma: no cover -- platforms without google-re2 wheels
        return None
    try:
        regexes = [r for n, (_, spec) in enumerate(lists) for r in _variants(n, spec)]
    except UnknownShape:
        return None
    options = re2.Options()
    options.log_errors = False
    options.never_capture = True
    options.max_mem = MAX_MEM
    compiled = re2.Set.SearchSet(options)
    try:
        for regex, _ in regexes:
            compiled.Add(regex)
        compiled.Compile()
    except re2.error:
        return None
    return PatternSet([lines for lines, _ in lists], compiled, [v for _, v in regexes])


class UnknownShape(Exception):
    """A regex pathspec made that this module does not know how to split: no set."""


def _variants(source: int, spec: pathspec.GitIgnoreSpec) -> list[tuple[str, Variant]]:
    """The regexes pathspec's RE2 backend adds for SPEC, in order, each with its Variant."""
    out: list[tuple[str, Variant]] = []
    for index, pattern in enumerate(spec.patterns):
        if pattern.include is None:
            continue
        regex = getattr(getattr(pattern, "regex", None), "pattern", None)
        if not isinstance(regex, str):
            raise UnknownShape(repr(pattern))
        out.extend(_split(regex, Variant(source, index, bool(pattern.include), _FILE)))
    return out


def _split(regex: str, file: Variant) -> list[tuple[str, Variant]]:
    """REGEX without its capture group: a directory and a file variant, or one of them."""
    directory = file._replace(rank=_DIR)
    if regex.endswith(_DIR_MARK_OPT):
        stem = regex[: -len(_DIR_MARK_OPT)]
        return [(f"{stem}/", directory), (f"{stem}$", file)]
    if _DIR_MARK in regex:
        return [(regex.replace(_DIR_MARK, "/"), directory)]
    if "(?P<" in regex:
        raise UnknownShape(regex)
    return [(regex, file)]
