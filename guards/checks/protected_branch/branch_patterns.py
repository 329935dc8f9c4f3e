"""Branch patterns read the way GitHub reads them, and ref names read the way git writes them.

GitHub matches branch protection rules and ruleset ref conditions with Ruby's ``File.fnmatch``
and ``FNM_PATHNAME``: ``*`` and ``?`` never cross ``/``, ``[...]`` is one character of a class
(``[!...]`` negates it), ``**/`` is zero or more whole segments and any other ``**`` crosses
``/``. A backslash is literal (GitHub does not support it as an escape). Matching is
case-sensitive, like git's ref names.

The translated expression runs on RE2 (linear time: a pattern such as ``a*a*a*a*b`` cannot
stall the gate on a long branch name). RE2 has no lookahead, so a positive class excludes
``/`` by splitting any range that spans it. An invalid pattern (``release/[z-a]``) is a
ConfigError naming it, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from guards.errors import ConfigError, GuardsError
from guards.linear_re import compile_full

HEADS = "refs/heads/"
NOTHING = "[^\\x00-\\x{10FFFF}]"  # an empty class, which RE2 cannot spell


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Matcher:
    """The regular expression equivalent of one GitHub branch pattern, compiled for RE2."""
    out, i = [], 0
    while i < len(pattern):
        piece, i = _token(pattern, i)
        out.append(piece)
    return _compile("".join(out), pattern)


class Matcher(Protocol):
    def fullmatch(self, text: str) -> object | None: ...


def _compile(expression: str, pattern: str) -> Matcher:
    try:
        compiled: Matcher = compile_full(expression, dotall=True)
    except ValueError as exc:
        raise ConfigError(f"branch pattern {pattern!r} is not valid: {exc}") from exc
    return compiled


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
    return ch if ch.isalnum() and ch.isascii() else _char(ch), i + 1


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
    items = _class_items(body, pattern)
    if negate:
        return "[^/" + "".join(_range(lo, hi) for lo, hi in items) + "]", end + 1
    kept = [r for lo, hi in items for r in _without_slash(lo, hi)]
    return (
        "[" + "".join(_range(lo, hi) for lo, hi in kept) + "]" if kept else "[^\\x00-\\x{10FFFF}]"
    ), end + 1


def _class_items(body: str, pattern: str) -> list[tuple[str, str]]:
    """The class body as (low, high) character ranges; a reversed range is a ConfigError."""
    items, i = [], 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            lo, hi = body[i], body[i + 2]
            if lo > hi:
                raise ConfigError(f"branch pattern {pattern!r}: range {lo}-{hi} is reversed")
            items.append((lo, hi))
            i += 3
        else:
            items.append((body[i], body[i]))
            i += 1
    return items


def _without_slash(lo: str, hi: str) -> list[tuple[str, str]]:
    """The range LO-HI less '/', which no class may match (FNM_PATHNAME)."""
    if not lo <= "/" <= hi:
        return [(lo, hi)]
    below = [(lo, ".")] if lo < "/" else []
    above = [("0", hi)] if hi > "/" else []
    return below + above


def _range(lo: str, hi: str) -> str:
    return _char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}"


def _char(c: str) -> str:
    return f"\\x{{{ord(c):x}}}"


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
