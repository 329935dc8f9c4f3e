"""Names that skip when a test imports them from a repository module (whole-tree listing).

A test file that only says ``@needs_gpu`` (imported from ``tests/marks.py``) mentions no skip
word; the prefilter must know ``needs_gpu`` skips. Every non-test module whose bytes mention a
skip word (``HELPER_TERMS``) is read once, and the names it exports that reach a skip are
collected.

Two kinds of name, kept apart because they matter in different places:

- ``names``: values and functions that reach a skip; a test body that mentions one is read.
- ``classes``: exported classes. A class skips nothing when a body uses it (the resolver never
  follows a ``class:`` value to a skip), but a test class deriving from it inherits its marks,
  methods and ``__test__``; so a file that names one is parsed, yet no body is made hot by it.

The trap (measured on sympy): counting classes as skipping names made 13,158 of 13,950 function
bodies "hot"; the wide terms (``getattr``, ``def __init__``) read 453 library modules where 68
mention a skip word. A module whose text has no skip word exports no skipping value: a skip
symbol is always spelled with one, and re-exports (``from x import y``) are not followed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from guards.collect.model import NotParsable
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.symbols import is_skippy
from guards.collect.python.sources.revision import Revision

HELPER_TERMS = re.compile(rb"skip|Skip|xfail|XFail|expectedFailure")


class Exports(NamedTuple):
    names: frozenset[str]  # reach a skip when used
    classes: frozenset[str]  # may pass a skip on to a subclass


def skipping_exports(rev: Revision, paths: Iterable[str]) -> Exports:
    paths = list(paths)
    rev.prefetch(paths)
    paths = [p for p in paths if HELPER_TERMS.search(rev.read(p) or b"")]
    rev.analyze_many(paths)  # on every core: sympy has 213 such modules
    resolver = Resolver(rev, rev.reach)
    names: set[str] = set()
    classes: set[str] = set()
    for path in paths:
        try:
            module = rev.analyzed(path)
        except NotParsable:
            continue  # a helper that does not parse: the tests importing it fail to collect
        if module is not None:
            for name, value in module.exports.items():
                if value.startswith("class:"):
                    classes.add(name)
                elif _skips(resolver, module, value):
                    names.add(name)
    return Exports(frozenset(names), frozenset(classes - names))


def _skips(resolver: Resolver, module: Module, value: str) -> bool:
    if is_skippy(value):
        return True
    return value.startswith("local:") and resolver.function(module, value[6:]) is not None
