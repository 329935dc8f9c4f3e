"""A conftest's computed ignore list with the functions it calls in other repository modules
followed (``collect_ignore = _get_doctest_blacklist()``, sympy's root conftest).

A call that does not resolve to a function of the repository is a gap for the whole subtree
of the conftest: its value cannot be known, so no test under it can be decided.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import IgnoreGap, IgnoreList
from guards.collect.python.parsing.ignore_lists import MAX_CALL_DEPTH, function_in

Read = Callable[[str], bytes | None]


def followed(listed: IgnoreList, owner: str, resolver: Resolver, read: Read) -> IgnoreList:
    """LISTED (from the module OWNER) with every call replaced by what it returns."""
    return _follow(listed, owner, resolver, read, 0)


def _follow(
    listed: IgnoreList, owner: str, resolver: Resolver, read: Read, depth: int
) -> IgnoreList:
    paths, gaps = list(listed.paths), list(listed.gaps)
    for sym, line in listed.calls:
        sub = _called(sym, line, owner, resolver, read, depth)
        paths += [p for p in sub.paths if p not in paths]
        gaps += sub.gaps
    return IgnoreList(tuple(paths), tuple(gaps))


def _called(
    sym: str, line: int, owner: str, resolver: Resolver, read: Read, depth: int
) -> IgnoreList:
    found = resolver.external(sym, owner) if depth < MAX_CALL_DEPTH else None
    data = read(found[0].path) if found else None
    if found is None or data is None:
        return _gap(
            line, f"{sym}() (line {line}) is not a repository function that can be followed"
        )
    module, name = found
    tree = _parsed(data)
    if tree is None:
        return _gap(line, f"{module.path} does not parse")
    inner = function_in(tree, module.path, name)
    gaps = tuple(replace(g, path=g.path or module.path) for g in inner.gaps)
    inner = replace(inner, gaps=gaps)
    return _follow(inner, module.path, resolver, read, depth + 1)


@lru_cache(maxsize=8)
def _parsed(data: bytes) -> ast.Module | None:
    """DATA parsed once per process: both sides of a change, and every conftest of a tree,
    call into the same helper module (sympy's runtests.py, 100 KB, six times a run)."""
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError):
        return None


def _gap(line: int, what: str) -> IgnoreList:
    return IgnoreList(gaps=(IgnoreGap("", line, what),))
