"""Names that skip when a test imports them from a repository module (whole-tree listing).

A test file that only says ``@needs_gpu`` (imported from ``tests/marks.py``) mentions no skip
word; the prefilter must know ``needs_gpu`` skips. Every non-test module whose bytes mention a
skip construct is read once, and the names it exports that reach a skip are collected.
"""

from __future__ import annotations

from collections.abc import Iterable

from guards.collect.model import NotParsable
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.symbols import is_skippy
from guards.collect.python.sources.prefilter import TERMS_RE
from guards.collect.python.sources.revision import Revision


def skipping_exports(rev: Revision, paths: Iterable[str]) -> frozenset[str]:
    paths = list(paths)
    rev.prefetch(paths)
    resolver = Resolver(rev)
    names: set[str] = set()
    for path in paths:
        data = rev.read(path)
        if not data or not TERMS_RE.search(data):
            continue
        try:
            module = rev.analyzed(path)
        except NotParsable:
            continue  # a helper that does not parse: the tests importing it fail to collect
        if module is not None:
            names |= {n for n, v in module.exports.items() if _skips(resolver, module, v)}
    return frozenset(names)


def _skips(resolver: Resolver, module: Module, value: str) -> bool:
    if is_skippy(value) or value.startswith("class:"):
        return True
    return value.startswith("local:") and resolver.function(module, value[6:]) is not None
