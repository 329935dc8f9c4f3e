"""``git grep``'s answers over a tree held in memory (Revision.hold): the prefilter's searches
where the tree is read already, in this process, instead of a ``git`` process each that inflates
every blob again (sympy's listing ran eight, 0.4 s, one after the other).

Contract: each function returns a search, which takes the paths left to judge and returns those
of them whose held text matches: ``fixed`` (any of some strings, as ``git grep -F``), ``words``
(any of some words, as ``-w``), ``extended`` (any of some POSIX extended regexes, as ``-E``). A
path the tree does not hold is chosen (the search cannot judge it).

Why the same files or more, never fewer: git tries a pattern on one line at a time; here it runs
over the whole text in multi-line mode (``^`` and ``$`` at each line's ends), so a line git
matches matches here alike, and a class that admits a line feed (``[[:space:]]``) may join two
lines that git reads apart. Each byte is one character (Latin-1), as in git's C locale; git
skips a file it takes for binary (``-I``), memory reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from guards.linear_re import any_word, compile_linear

Search = Callable[[set[str]], set[str]]
Held = Mapping[str, bytes]


def fixed(held: Held, strings: Iterable[str]) -> Search:
    return _search(held, b"|".join(re.escape(s.encode()) for s in sorted(set(strings))))


def words(held: Held, names: Iterable[str]) -> Search:
    names = tuple(sorted(set(names)))
    return _matching(held, any_word(names)) if names else lambda _left: set()


def extended(held: Held, patterns: Iterable[str]) -> Search:
    return _search(held, b"(?m)" + b"|".join(f"(?:{p})".encode() for p in patterns))


def _search(held: Held, pattern: bytes) -> Search:
    return _matching(held, compile_linear(pattern, bytewise=True))


def _matching(held: Held, pattern: Any) -> Search:
    search = pattern.search  # RE2's compiled pattern, or re's

    def chosen(left: set[str]) -> set[str]:
        return {p for p in left if (data := held.get(p)) is None or search(data) is not None}

    return chosen
