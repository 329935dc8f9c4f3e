"""A cheap bytes test: can this file hold a skip at all? Files that cannot are not parsed.

A file can hold a skip if its bytes mention a skip construct, a parametrize (an empty one
skips), ``__test__``, a dynamic lookup, or a name known to skip (a conftest fixture or an
imported helper); or if a conftest above it has a skipping hook or autouse fixture, or addopts
selects by keyword, marker or node id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from guards.core.collect.addopts import Selection
from guards.core.collect.facts import Module
from guards.core.collect.fixtures import Fixtures
from guards.core.collect.resolve import Resolver
from guards.core.collect.revision import Revision

TERMS = (
    "skip", "xfail", "SkipTest", "expectedFailure", "__test__", "parametrize", "getattr",
    "import_module", "__import__", "def __init__", "def __new__", "pytestmark",
)  # fmt: skip


class Prefilter:
    def __init__(self, rev: Revision, sel: Selection, names: Iterable[str] = ()) -> None:
        self.rev, self.sel = rev, sel
        self.resolver = Resolver(rev)
        self.names = set(names)
        self._chains: dict[str, tuple[bool, frozenset[str]]] = {}

    def may_skip(self, path: str) -> bool:
        if self.sel.selects or any(_related(path, p) for p in self.sel.deselect):
            return True
        everything, names = self._chain(path)
        if everything:
            return True
        data = self.rev.read(path) or b""
        return _pattern(frozenset(self.names | names)).search(data) is not None

    def _chain(self, path: str) -> tuple[bool, frozenset[str]]:
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if folder not in self._chains:
            self._chains[folder] = self._scan(self.rev.conftests(path))
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
                    if fixture.autouse:
                        return True, frozenset()
                    names.add(fixture.name)
        return False, frozenset(names)


def _related(path: str, prefix: str) -> bool:
    return path.startswith(prefix) or prefix.startswith(path)


_CACHE: dict[frozenset[str], re.Pattern[bytes]] = {}


def _pattern(names: frozenset[str]) -> re.Pattern[bytes]:
    if names not in _CACHE:
        words = [*TERMS, *sorted(names)]
        _CACHE[names] = re.compile("|".join(re.escape(w) for w in words).encode())
    return _CACHE[names]
