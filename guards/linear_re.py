"""User-supplied regular expressions (``manifest-scope.ticket-pattern``), matched in linear time.

A pattern comes from guards.yaml and the text it is matched against from the PR (title, branch
name), so a backtracking engine would let a pattern like ``(A+)+B`` or a long title stall the
gate. RE2 (google-re2) never backtracks: its time grows with the text, never exponentially.
The trap: RE2 has no backreferences or lookaround; a pattern that needs them is a ConfigError
that says so, not a silent fallback. On a platform without RE2 wheels the stdlib engine is used
on text capped at ``MAX_TEXT`` characters (the README says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from guards.errors import ConfigError

MAX_TEXT = 1024  # a PR title is at most 256 characters on GitHub, a branch name about as long

Search = Callable[[str], "str | None"]


@lru_cache(maxsize=16)
def compile_search(pattern: str, source: str) -> Search:
    """A function returning the first match of PATTERN in a text, or None."""
    try:
        import re2
    except ImportError:  # pragma: no cover -- platforms without google-re2 wheels
        return _stdlib(pattern, source)
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options)
        compiled = re2.compile(bounded(pattern), options)
    except re2.error as exc:
        why = (
            exc.args[0].decode(errors="replace")
            if exc.args and isinstance(exc.args[0], bytes)
            else exc
        )
        raise ConfigError(
            f"{source}: not a regex RE2 accepts: {pattern!r} ({why}); "
            "backreferences and lookaround are not supported"
        ) from exc

    def search(text: str) -> str | None:
        found = compiled.search(text[:MAX_TEXT])
        return found.group(1) if found else None

    return search


def compile_linear(pattern: bytes) -> Any:
    """PATTERN, over bytes, compiled by RE2 (linear time, and on long alternations of words many
    times Python's engine); by ``re`` where RE2 is missing or refuses it (a regex past its memory
    budget). Both answer ``search(data, pos)`` alike for the patterns guards writes."""
    try:
        import re2
    except ImportError:  # pragma: no cover -- platforms without google-re2 wheels
        return re.compile(pattern)
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error:
        return re.compile(pattern)


def bounded(pattern: str) -> str:
    """PATTERN followed by a non-alphanumeric character or the end, the match in group 1: a
    ticket id ends where a word does (branch FR-1-2x-faster names FR-1, not FR-1-2)."""
    return f"((?:{pattern}))(?:[^A-Za-z0-9]|$)"


def _stdlib(pattern: str, source: str) -> Search:  # pragma: no cover -- see compile_search
    try:
        re.compile(pattern)
        compiled = re.compile(bounded(pattern))
    except re.error as exc:
        raise ConfigError(f"{source}: {pattern!r} is not a regular expression: {exc}") from exc

    def search(text: str) -> str | None:
        found = compiled.search(text[:MAX_TEXT])
        return found.group(1) if found else None

    return search
