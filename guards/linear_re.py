"""User-supplied regular expressions (``manifest-scope.ticket-pattern``, a runner configuration's
``testPathIgnorePatterns`` or ``%regex[...]``, and the regexes built from its globs), matched in
linear time.

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
    """A function returning the first match of PATTERN in a text (its first MAX_TEXT
    characters), or None; a ConfigError naming SOURCE when RE2 refuses PATTERN."""
    try:
        compile_full(pattern)  # refused as written, not only once wrapped
        compiled = compile_full(bounded(pattern))
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from exc

    def search(text: str) -> str | None:
        found = compiled.search(text[:MAX_TEXT])
        return found.group(1) if found else None

    return search


def _refused(pattern: str, exc: Exception) -> str:
    """Why RE2 refused PATTERN, and what it does not support."""
    first = exc.args[0] if exc.args else exc
    why = first.decode(errors="replace") if isinstance(first, bytes) else first
    unsupported = "backreferences and lookaround are not supported"
    return f"not a regex RE2 accepts: {pattern!r} ({why}); {unsupported}"


def compile_full(pattern: str, dotall: bool = False) -> Any:
    """PATTERN (a regex a repository's file holds, or one built from its globs), compiled by RE2:
    its ``search``/``match``/``fullmatch`` take time linear in the text. Python's engine takes
    exponential time on ``(a+)+b`` and polynomial time on the ``[^/]*a[^/]*a...b`` of a glob
    ``*a*a...b`` against a long path: a pull request could hang the gate. ValueError, saying why,
    when RE2 refuses it (the caller says the configuration cannot be decided, never guesses)."""
    try:
        import re2
    except ImportError:  # pragma: no cover -- platforms without google-re2 wheels
        return _stdlib_full(pattern, dotall)
    options = re2.Options()
    options.log_errors = False
    options.dot_nl = dotall
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        raise ValueError(_refused(pattern, exc)) from exc


def compile_linear(pattern: bytes, bytewise: bool = False) -> Any:
    """PATTERN, over bytes, compiled by RE2 (linear time, and on long alternations of words many
    times Python's engine); by ``re`` where RE2 is missing or refuses it (a regex past its memory
    budget). Both answer ``search(data, pos)`` alike for the patterns guards writes. BYTEWISE
    reads each byte as one character (Latin-1), as ``re`` and git's C-locale search do: RE2's
    UTF-8 mode reads a multi-byte name as one character, and matches no class on an invalid
    byte."""
    try:
        import re2
    except ImportError:  # pragma: no cover -- platforms without google-re2 wheels
        return re.compile(pattern)
    options = re2.Options()
    options.log_errors = False
    if bytewise:
        options.encoding = re2.Options.Encoding.LATIN1
    try:
        return re2.compile(pattern, options)
    except re2.error:
        return re.compile(pattern)


def bounded(pattern: str) -> str:
    """PATTERN followed by a non-alphanumeric character or the end, the match in group 1: a
    ticket id ends where a word does (branch FR-1-2x-faster names FR-1, not FR-1-2)."""
    return f"((?:{pattern}))(?:[^A-Za-z0-9]|$)"


def _stdlib_full(pattern: str, dotall: bool) -> Any:  # pragma: no cover -- see compile_full
    try:
        return re.compile(pattern, re.DOTALL if dotall else 0)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from exc


@lru_cache(maxsize=256)
def any_word(words: tuple[str, ...], *, attributes: bool = True) -> Any:
    """Any of WORDS as a whole word, over bytes, as ``git grep -w`` reads one: no ASCII word
    character just before or after it; the word is group 1. (``\\b`` needs a word character
    inside the word's edge: a name that starts or ends in another script, ``мод_g``, was never
    found.) Without ATTRIBUTES, a word just after a dot is none (Python's ``x.setattr`` is an
    attribute, never the name ``setattr``)."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words)))
    edge = "[^A-Za-z0-9_]"
    before = edge if attributes else "[^A-Za-z0-9_.]"
    pattern = rf"(?:^|{before})({alternatives})(?:{edge}|$)".encode()
    return compile_linear(pattern, bytewise=True)
