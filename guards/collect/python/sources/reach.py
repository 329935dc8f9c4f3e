"""Which names can reach a skip at one revision: decided from text first, so that a helper
module that cannot reach one is never read.

Contract: ``reaching(rev)`` is a ``Reach``, the names exported anywhere in the repository that may
reach a skip construct or alias a pytest/unittest object, or None when the search outgrew its
bounds (then nothing is pruned: slower, never wrong). ``Reach.allows(sym)`` is False for a symbol
none of whose dotted parts is such a name and that is not spelled as a skip itself: the resolver
answers "reaches nothing" for it without reading the module it names. On sympy, a test body that
calls ``Symbol('x')`` no longer makes the linker analyze ``sympy.core``.

Why it is sound: a skip construct is spelled in the module that holds it (``pytest.skip``,
``from unittest import skip``, ``pytest.mark.xfail``: ROOT_TERMS and ROOT_WORDS), and a function
that reaches one through another names that one by its word (``helper()``, ``mod.helper()``,
``from mod import helper as h``). So the least fixed point of "modules whose text holds a root
term or a reaching name; those of their exports that reach a skip" holds every reaching name.
Each round analyzes the modules found, resolves their exports with the names known so far
(through the same pruned resolver), and searches the new names as words (one ``git grep -w``).

The traps. A module ``__getattr__`` answers names it never spells: when it reaches a skip, the
module's own name joins the set (``pkg.m.anything`` then has a reaching part). A test module's
exports are read only when an import line somewhere names it (its stem as a word, or its folder in
a continued ``from pkg import (`` line): sympy's 300 test files that mention ``XFAIL`` export
nothing another file imports, and analyzing them would cost more than the pruning saves. Star
imports are not followed by the resolver, so they add nothing here either. Bounds: MAX_ROUNDS
rounds and MAX_FILES modules, checked before each round's work.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.config.paths import is_test_module
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.symbols import TRACKED, is_skippy
from guards.collect.python.sources.revision import Revision

ROOT_TERMS = ("skip", "Skip", "xfail", "XFail", "expectedFailure", "__getattr__")
ROOT_WORDS = ("pytest", "_pytest", "unittest", "mark")
SKIP_SPELLING = re.compile(r"skip|Skip|xfail|XFail|expectedFailure")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CONTINUED = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\s*[(\\]")
MAX_ROUNDS = 12
MAX_FILES = 3_000
INIT = "__init__.py"


@dataclass(frozen=True)
class Reach:
    """The names that may reach a skip; a symbol with none of them among its parts cannot."""

    names: frozenset[str]

    def allows(self, sym: str) -> bool:
        if sym.startswith(TRACKED) or is_skippy(sym) or SKIP_SPELLING.search(sym):
            return True
        return not self.names.isdisjoint(sym.split("."))


def reaching(rev: Revision) -> Reach | None:
    """The least fixed point described above, or None past MAX_ROUNDS or MAX_FILES."""
    git, sha = rev.git, rev.rev
    found = git.grep_files(sha, ROOT_TERMS) | git.grep_files(sha, ROOT_WORDS, words=True)
    importable = _Importable(rev)
    read: set[str] = set()
    names: frozenset[str] = frozenset()
    for _ in range(MAX_ROUNDS):
        read |= {p for p in found if importable(p)}
        if len(read) > MAX_FILES:
            return None
        now = _exported(rev, sorted(read), Reach(names))
        if now <= names:
            return Reach(names)
        fresh, names = now - names, names | now
        found = git.grep_files(sha, sorted(fresh), words=True) - read
    return None


def _exported(rev: Revision, paths: Iterable[str], known: Reach) -> frozenset[str]:
    resolver = Resolver(rev, known)
    names: set[str] = set()
    for path in paths:
        module = _module(rev, path)
        if module is not None:
            names |= {n for n, v in module.exports.items() if _reaches(resolver, module, v)}
            if "__getattr__" in names and "__getattr__" in module.exports:
                names.add(_own_name(path))
    return frozenset(names)


def _module(rev: Revision, path: str) -> Module | None:
    try:
        return rev.analyzed(path)
    except NotParsable:
        return None  # reported where a test file that imports it is read


def _reaches(resolver: Resolver, module: Module, value: str) -> bool:
    if value.startswith("class:"):
        return False  # a class is followed through its bases, which are never pruned
    if value.startswith(TRACKED) or is_skippy(value):
        return True
    try:
        return resolver.symbol(module, value) is not None
    except Undecidable:
        return True  # the collector says so where a test uses it; here: may reach


def _own_name(path: str) -> str:
    """The last part of the dotted name PATH is imported as (a package: its folder)."""
    folder, base = posixpath.split(path)
    return posixpath.basename(folder) if base == INIT else base.removesuffix(".py")


class _Importable:
    """Whether a module's exports can reach another file: always, but for a test module, which
    must be named by an import line somewhere (read once, on the first test module asked)."""

    def __init__(self, rev: Revision) -> None:
        self.rev = rev
        self._words: set[str] | None = None
        self._folders: set[str] = set()

    def __call__(self, path: str) -> bool:
        if not is_test_module(path, self.rev.config):
            return True
        if self._words is None:
            self._words = self._scan()
        folder = posixpath.dirname(path)
        named = any(folder == f or folder.endswith("/" + f) for f in self._folders)
        return named or _own_name(path) in self._words

    def _scan(self) -> set[str]:
        words: set[str] = set()
        for path, line in self.rev.git.grep_lines(self.rev.rev, "import"):
            words.update(IDENTIFIER.findall(line))
            continued = CONTINUED.match(line)
            if continued:
                self._folders.add(_package(path, *continued.groups()))
        return words


def _package(path: str, dots: str, dotted: str) -> str:
    """The folder a ``from DOTS DOTTED import (`` line in PATH names: relative from PATH's
    folder, else the dotted path as a folder (its last part is what matters for a test module)."""
    if not dots:
        return dotted.replace(".", "/")
    folder = posixpath.dirname(path)
    for _ in range(len(dots) - 1):
        folder = posixpath.dirname(folder)
    return posixpath.join(folder, dotted.replace(".", "/")) if dotted else folder
