"""Branch patterns read the way GitHub reads them, and ref names read the way git writes them.

GitHub matches branch protection rules and ruleset ref conditions with Ruby's ``File.fnmatch``
and ``FNM_PATHNAME``: ``*`` and ``?`` never cross ``/``, ``[...]`` is one character of a class
(``[!...]`` negates it), ``**/`` is zero or more whole segments and any other ``**`` crosses
``/``. A backslash is literal (GitHub does not support it as an escape). Matching is
case-sensitive, like git's ref names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from guards.errors import ConfigError, GuardsError

HEADS = "refs/heads/"


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression equivalent of one GitHub branch pattern."""
    out, i = [], 0
    while i < len(pattern):
        piece, i = _token(pattern, i)
        out.append(piece)
    return re.compile("".join(out), re.DOTALL)


def _token(pattern: str, i: int) -> tuple[str, int]:
    ch = pattern[i]
    if pattern.startswith("**/", i):
        return "(?:[^/]*/)*", i + 3
    if pattern.startswith("**", i):
        return ".*", i + 2
    if ch == "*":
        return "[^/]*", i + 1
    if ch == "?":
        return "[^/]", i + 1
    if ch == "[":
        return _char_class(pattern, i)
    return re.escape(ch), i + 1


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    start = i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1
    end = pattern.find("]", start + 1)
    if end < 0:
        raise ConfigError(f"branch pattern {pattern!r}: '[' without a closing ']'")
    body = pattern[i + 1 : end]
    negate = body[:1] in ("!", "^")
    body = body[1:] if negate else body
    if not body:
        raise ConfigError(f"branch pattern {pattern!r}: an empty character class")
    escaped = "".join("\\" + c if c in "\\^[]" else c for c in body)
    return ("[^/" if negate else "(?!/)[") + escaped + "]", end + 1


def matches(pattern: str, branch: str) -> bool:
    """Whether BRANCH (a short name like ``release/1.0``) matches PATTERN."""
    return compile_pattern(pattern).fullmatch(branch) is not None


def protecting_pattern(branch: str, patterns: Iterable[str]) -> str | None:
    """The first pattern that protects BRANCH, or None."""
    return next((p for p in patterns if matches(p, branch)), None)


def normalize_ref(ref: str) -> str:
    """A ref as git would store it: no empty or ``.`` segments; ``..`` is refused.

    An unqualified name (``main``) is a branch, as git's push would read it; every odd
    spelling of ``refs/heads/main`` normalizes to it, so none can slip past a pattern.
    """
    segments = [s for s in ref.strip().split("/") if s not in ("", ".")]
    if not segments or ".." in segments or any(_bad_segment(s) for s in segments):
        raise GuardsError(f"{ref!r} is not a valid ref name; git would refuse it")
    name = "/".join(segments)
    return name if name.startswith("refs/") else HEADS + name


def _bad_segment(segment: str) -> bool:
    return segment.endswith(".lock") or any(ord(c) < 32 or c in " ~^:?*[\\\x7f" for c in segment)


def branch_of(ref: str) -> str | None:
    """The branch a ref names (``refs/heads/x`` -> ``x``); None for tags and other refs."""
    name = normalize_ref(ref)
    return name[len(HEADS) :] if name.startswith(HEADS) else None
