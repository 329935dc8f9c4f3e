"""A cheap test on bytes: which files can hold a skip at all? Files that cannot are not parsed.

A file can hold a skip if its text mentions a skip construct, ``__test__``, a dynamic lookup,
a name known to skip (a conftest fixture, an imported helper), or a parametrize next to an
empty literal (an empty parameter set skips), a class decorator or base that writes a
constructor (``dataclass``, ``NamedTuple``), or a top-level ``if`` beside an indented
definition (a test defined only under a condition); or if a conftest above it has a skipping hook
or autouse fixture, or addopts selects by keyword, marker or node id. The text tests are
``git grep``s over the files asked about, named one by one (every ``*.py`` past core/git.py's
MAX_PATHSPECS), each reading only the files the earlier ones left.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable

from guards.collect.python.config.addopts import Selection
from guards.collect.python.linking.fixtures import Fixtures
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.linking.select import package_inits
from guards.collect.python.parsing.facts import Module
from guards.collect.python.sources.revision import Revision
from guards.core.git import literal_pathspecs

TERMS = (
    "skip", "xfail", "SkipTest", "expectedFailure", "__test__", "getattr", "import_module",
    "__import__", "def __init__", "def __new__", "pytestmark", "dataclass", "NamedTuple",
    "TypedDict", "setattr", "@attr", "@define", "@frozen", "exec(", "eval(", "compile(",
)  # fmt: skip # -- packed lists read better than one item a line
TERMS_RE = re.compile("|".join(re.escape(t) for t in TERMS).encode())
EMPTY = r"\[[[:space:]]*\]|[,=(][[:space:]]*\([[:space:]]*\)"
# A top-level ``if`` and an indented definition: a test may be defined only under a condition.
# git searches the first (cheap: anchored); the few files that have one are read for the second.
TOP_LEVEL_IF = r"^(if|elif|else)[[:space:](:]"
INDENTED_DEF = re.compile(rb"^[ \t\v\f\r]+(?:async[ \t\v\f\r]+)?(?:def|class)[ \t\v\f\r]", re.M)


class Prefilter:
    def __init__(self, rev: Revision, sel: Selection, names: Iterable[str] = ()) -> None:
        self.rev, self.sel = rev, sel
        self.resolver = Resolver(rev, rev.reach)
        self.names = set(names)
        self._chains: dict[str, tuple[bool, frozenset[str]]] = {}

    def select(self, paths: Iterable[str]) -> set[str]:
        """The PATHS that may hold a skip."""
        paths = set(paths)
        if self.sel.selects:
            return paths
        chosen = {p for p in paths if any(_related(p, d) for d in self.sel.deselect)}
        words = set(self.names)
        for path in paths:
            everything, names = self._chain(path)
            words |= names
            if everything:
                chosen.add(path)
        return chosen | self._grep(sorted(words), paths - chosen)

    def _grep(self, words: list[str], paths: set[str]) -> set[str]:
        """The PATHS whose text may hold a skip. Each search reads only the files that no earlier
        one chose: most test files mention a skip word, so the later searches read few."""
        git, rev = self.rev.git, self.rev.rev
        searches: list[Callable[[list[str]], set[str]]] = [
            lambda specs: git.grep_files(rev, TERMS, pathspec=specs),
            lambda specs: git.grep_files(
                rev, ["parametrize", EMPTY], fixed=False, all_match=True, pathspec=specs
            ),
            lambda specs: git.grep_files(rev, words, words=True, pathspec=specs),
            self._conditional_definitions,
        ]
        found: set[str] = set()
        for search in searches:
            if left := paths - found:
                found |= search(_specs(left)) & left
        return found

    def _conditional_definitions(self, specs: list[str]) -> set[str]:
        """Files with a top-level ``if`` and an indented definition."""
        tops = self.rev.git.grep_files(self.rev.rev, [TOP_LEVEL_IF], fixed=False, pathspec=specs)
        self.rev.prefetch(tops)
        return {p for p in tops if INDENTED_DEF.search(self.rev.read(p) or b"")}

    def _chain(self, path: str) -> tuple[bool, frozenset[str]]:
        folder = posixpath.dirname(path)
        if folder not in self._chains:
            everything, names = self._scan(self.rev.conftests(path))
            inits = package_inits(self.rev.analyzed, path)
            self._chains[folder] = everything or any(i.module_skips for i in inits), names
        return self._chains[folder]

    def _scan(self, conftests: list[Module]) -> tuple[bool, frozenset[str]]:
        if any(c.conftest and c.conftest.hooks for c in conftests):
            return True, frozenset()
        fixtures = Fixtures(conftests[-1], conftests[:-1], self.resolver) if conftests else None
        names: set[str] = set()
        for conftest in conftests:
            for func in conftest.functions:
                fixture = func.fixture
                if fixture is None or fixtures is None:
                    continue
                found = fixtures.find(fixture.name)
                if found is not None and fixtures.hit(found) is not None:
                    if fixture.autouse or fixture.name in self.rev.config.usefixtures:
                        return True, frozenset()
                    names.add(fixture.name)
        return False, frozenset(names)


def _specs(paths: set[str]) -> list[str]:
    """PATHS named one by one, or every ``*.py`` when they are too many to name."""
    return literal_pathspecs(paths) or ["*.py"]


def _related(path: str, prefix: str) -> bool:
    return path.startswith(prefix) or prefix.startswith(path)
