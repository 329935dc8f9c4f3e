"""A conftest's computed ignore list with the functions it calls in other repository modules
followed (``collect_ignore = _get_doctest_blacklist()``, sympy's root conftest).

A call that does not resolve to a function of the repository is a gap for the whole subtree
of the conftest: its value cannot be known, so no test under it can be decided. So is a list
another module binds (ignore_lists.VALUE: any module importing it may change it), whose module
is named all the same (MODULES: a change to it moves the list, sources/computed_ignores.py).

What a function returns depends only on its module's bytes and path and the function's name,
so it is kept in the fact cache by those (sympy's runtests.py is 90 KB to parse for one
function, on every run): a JSON record checked field by field when read (a cache is input:
anything else is a miss).
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import replace
from functools import lru_cache
from typing import Protocol

from guards.collect.cache import FactCache
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import IgnoreGap, IgnoreList
from guards.collect.python.parsing.ignore_lists import MAX_CALL_DEPTH, VALUE, function_in
from guards.core import shallow_json
from guards.core.oids import blob_id

GAP = (str, int, str, str)  # a gap's fields in a record: prefix, line, what, path
CALL = (str, int)  # a call's: the function's import path, line


class Source(Protocol):
    """The revision the modules are read from, and its fact cache."""

    @property
    def cache(self) -> FactCache: ...

    def read(self, path: str) -> bytes | None: ...


def followed(
    listed: IgnoreList,
    owner: str,
    resolver: Resolver,
    source: Source,
    modules: set[str] | None = None,
) -> IgnoreList:
    """LISTED (from the module OWNER) with every call replaced by what it returns; MODULES, when
    given, gets the path of each module whose function it read, or whose list it names."""
    return _follow(listed, owner, resolver, source, 0, set() if modules is None else modules)


def _follow(
    listed: IgnoreList,
    owner: str,
    resolver: Resolver,
    source: Source,
    depth: int,
    modules: set[str],
) -> IgnoreList:
    paths, gaps = list(listed.paths), list(listed.gaps)
    for sym, line in listed.calls:
        if sym.startswith(VALUE):
            sub = _bound(sym.removeprefix(VALUE), line, owner, resolver, modules)
        else:
            sub = _called(sym, line, owner, resolver, source, depth, modules)
        paths += [p for p in sub.paths if p not in paths]
        gaps += sub.gaps
    return IgnoreList(tuple(paths), tuple(gaps))


def _called(
    sym: str,
    line: int,
    owner: str,
    resolver: Resolver,
    source: Source,
    depth: int,
    modules: set[str],
) -> IgnoreList:
    found = resolver.external(sym, owner) if depth < MAX_CALL_DEPTH else None
    data = source.read(found[0].path) if found else None
    if found is None or data is None:
        return _gap(
            line, f"{sym}() (line {line}) is not a repository function that can be followed"
        )
    module, name = found
    modules.add(module.path)
    inner = _returned(source.cache, module.path, name, data)
    if inner is None:
        return _gap(line, f"{module.path} does not parse")
    gaps = tuple(replace(g, path=g.path or module.path) for g in inner.gaps)
    inner = replace(inner, gaps=gaps)
    return _follow(inner, module.path, resolver, source, depth + 1, modules)


def _bound(sym: str, line: int, owner: str, resolver: Resolver, modules: set[str]) -> IgnoreList:
    """The gap of a list another module binds, that module's path in MODULES when it is the
    repository's."""
    found = resolver.external(sym, owner)
    if found is None:
        return _gap(line, f"{sym} (line {line}) is not a list of the repository")
    modules.add(found[0].path)
    return _gap(
        line, f"{sym} (line {line}) is a list {found[0].path} binds: any importer may change it"
    )


def _returned(cache: FactCache, path: str, name: str, data: bytes) -> IgnoreList | None:
    """What function NAME of the module PATH (holding DATA) returns, from the fact cache or
    one parse (then cached); None when DATA does not parse."""
    key = hashlib.sha256(f"ignores\0{path}\0{blob_id(data)}\0{name}".encode()).hexdigest()

    def compute() -> IgnoreList | None:
        tree = _parsed(data)
        return None if tree is None else function_in(tree, path, name)

    return cache.record(key, decode, compute, encode)


def encode(listed: IgnoreList) -> bytes:
    gaps = [[g.prefix, g.line, g.what, g.path] for g in listed.gaps]
    return json.dumps([list(listed.paths), gaps, [list(c) for c in listed.calls]]).encode()


def decode(raw: bytes) -> IgnoreList | None:
    """The record RAW holds, None for anything this module did not write (a miss)."""
    try:
        doc = shallow_json.loads(raw, max_depth=3)
        paths, gaps, calls = shallow_json.fields(doc, (list, list, list))
        return IgnoreList(
            shallow_json.fields(paths, (str,) * len(paths)),
            tuple(IgnoreGap(*shallow_json.fields(gap, GAP)) for gap in gaps),
            tuple(shallow_json.fields(call, CALL) for call in calls),
        )
    except (ValueError, TypeError):
        return None


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
