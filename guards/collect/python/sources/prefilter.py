"""A cheap test on bytes: which files can hold a skip at all? Files that cannot are not parsed.

A file can hold a skip if its text mentions a skip construct, ``__test__``, a dynamic lookup, code
run from a string (``exec``, ``eval`` or ``compile`` named other than as an attribute, so ``run =
eval`` counts and ``expr.eval()`` or ``re.compile()`` does not; or ``builtins``, through which an
attribute reaches them), a name known to skip (a fixture of a conftest or a plugin that skips, or
whose parametrization, or a fixture's it requests, may skip a case: by the name a test requests it
by; a name reach.py says may reach a skip), or a parametrize or a fixture's params next to an empty
literal (an empty parameter set skips), a class decorator or base that writes a constructor
(``dataclass``, ``NamedTuple``), a class with a base (it may inherit marks, a constructor,
``__test__`` or a skipping method from another module), or a top-level ``if`` beside an indented
definition (a test defined only under a condition). A conftest above it adds the files its hooks
may skip (each hook's condition asked of the file's path) and, for an autouse fixture that skips on
a module attribute, the files that say the attribute (or may bind it unseen); addopts ``-m`` adds
the files that say one of its marks when it keeps an unmarked test, and ``-k``, or an ``-m`` that
drops unmarked tests, sends every file. The text tests are ``git grep``s over the files asked
about, named one by one (every ``*.py`` past core/git.py's MAX_PATHSPECS), each reading only the
files the earlier ones left.

The answer is a function of the commit, the paths asked and the names known (the conftests,
the configuration and the files searched are the commit's), so it is kept in the fact cache
under those three (whose folder the code's fingerprint names): listing a tree again runs no
search. A record is input: anything but a list of the paths asked is a miss.

The trap: every rule must choose at least the files the collector would find a skip in; the
tests hold the listing with the prefilter to the listing without it.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from guards.collect.model import Undecidable
from guards.collect.python.config import match_expr as matchexpr
from guards.collect.python.config.addopts import Selection
from guards.collect.python.linking.fixtures import Fixtures, Found
from guards.collect.python.linking.hook_eval import may_apply_in
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.linking.select import package_inits
from guards.collect.python.parsing.facts import ADDS_MARK, HookRule, Module
from guards.collect.python.parsing.fixture_guards import ModuleNames, attribute_words
from guards.collect.python.parsing.hook_conditions import Cond
from guards.collect.python.parsing.symbols import EVALUATORS
from guards.collect.python.sources import held_grep
from guards.collect.python.sources.revision import Revision
from guards.core import shallow_json
from guards.core.git import Git, literal_pathspecs
from guards.core.records import record

TERMS = (
    "skip", "xfail", "SkipTest", "expectedFailure", "__test__", "getattr", "import_module",
    "__import__", "def __init__", "def __new__", "pytestmark", "dataclass", "NamedTuple",
    "TypedDict", "setattr", "@attr", "@define", "@frozen", "builtins", "exit",
)  # fmt: skip # -- packed lists read better than one item a line
# The builtins that run code (symbols.EVALUATORS) by a name that is no attribute: the nearest
# character before it that is not a space is not a dot (nor part of a longer word). A name
# continued from the line above (``x.\`` then ``eval``) starts its line: it counts (more files
# read, never fewer). ``eval(`` as text chose every ``expr.eval(`` of sympy and missed an alias
# (``run = eval`` then ``run(code)``: code chosen at run time).
RUNNERS = tuple(e.removeprefix("builtins.") for e in EVALUATORS)
RUNS_CODE = rf"(^|[^.[:alnum:]_[:space:]])[[:space:]]*({'|'.join(RUNNERS)})([^[:alnum:]_]|$)"
EMPTY = r"\[[[:space:]]*\]|[,=(][[:space:]]*\([[:space:]]*\)"
# A top-level ``if`` and an indented definition: a test may be defined only under a condition.
# git searches the first (cheap: anchored); the few files that have one are read for the second.
TOP_LEVEL_IF = r"^(if|elif|else)[[:space:](:]"
# A test gets a skip or a mark by its text (``pytest.mark.slow``, an alias: among the names), or
# from a base class, which may be another module's (its marks, ``__init__``, ``__test__``, a
# setup method that skips): every file with a class that has a base is read. (Naming the
# helpers' classes instead made every sympy file that says ``Basic`` count.)
CLASS_WITH_BASE = (  # "class Name(" and more than ")" on its line, or a line continued after it
    r"^[[:space:]]*class[[:space:]]+[^[:space:](:]+[[:space:]]*[(]([^)]|$)",
    r"^[[:space:]]*class[[:space:]]+[^[:space:](:]+[[:space:]]*\\$",
)
# A star import binds names unseen: a fixture that skips on a module attribute may then apply
# (fixture_guards.ModuleNames.dynamic); a line that ends after "import" may continue into one.
STAR_IMPORT = r"import[[:space:]]*(\\[[:space:]]*)?([*]|$)"
# pytest, _pytest and unittest (reach.py) come among the names when a module re-exports one
# (sympy's conftest: ``import pytest``); every skip through them spells a form (skip_forms.py),
# which TERMS holds, so the name itself picks no file (it would pick every file that says it).
ROOTS = frozenset({"pytest", "_pytest", "unittest"})
INDENTED_DEF = re.compile(rb"^[ \t\v\f\r]+(?:async[ \t\v\f\r]+)?(?:def|class)[ \t\v\f\r]", re.M)


class Prefilter:
    def __init__(
        self,
        rev: Revision,
        sel: Selection,
        names: Iterable[str] = (),
        conftests: Callable[[str], list[Module]] | None = None,
    ) -> None:
        """CONFTESTS: a path's conftests as the linker reads them, the plugins they and addopts
        load before them (the collector's; the revision's conftests alone by default)."""
        self.rev, self.sel = rev, sel
        self.resolver = Resolver(rev, rev.reach)
        self.names = set(names)
        self.conftests = conftests or rev.conftests
        self._chains: dict[str, _Chain] = {}

    def select(self, paths: Iterable[str]) -> set[str]:
        """The PATHS that may hold a skip, from the fact cache when a run chose them before."""
        paths = set(paths)
        return self.rev.cache.record(
            self._key(paths),
            lambda raw: decode(raw, paths),
            lambda: self._select(paths),
            lambda chosen: json.dumps(sorted(chosen)).encode(),
        )

    def _key(self, paths: set[str]) -> str | None:
        """The cache key of a choice among PATHS, None when this revision is no commit (or is
        one side of a change: its reach holds the other side's names)."""
        if self.rev.commit is None or self.rev.sibling is not None:
            return None
        asked = json.dumps([self.rev.commit, sorted(paths), sorted(self.names)])
        return hashlib.sha256(b"prefilter\0" + asked.encode()).hexdigest()

    def _select(self, paths: set[str]) -> set[str]:
        marks = _deselecting_marks(self.sel.markexpr)
        if self.sel.keyword or self.sel.nothing_runs or marks is None:
            return paths
        chosen = {p for p in paths if any(_related(p, d) for d in self.sel.deselect)}
        chosen |= self.rev.disguised & paths  # no search of bytes can judge them
        words = (set(self.names) | marks) - ROOTS  # a skip through pytest is spelled: TERMS
        for path in paths:
            chain = self._chain(path)
            words |= chain.words
            if chain.everything or any(may_apply_in(c, path, d) for c, d in chain.hooks):
                chosen.add(path)
        return chosen | self._grep(sorted(words), paths - chosen)

    def _grep(self, words: list[str], paths: set[str]) -> set[str]:
        """The PATHS whose text may hold a skip. Each search reads only the files that no earlier
        one chose: most test files mention a skip word, so the later searches read few. A tree
        held in memory is searched there (held_grep.py), else by ``git grep``."""
        held = self.rev.held
        searches = self._held(held, words) if held is not None else self._gits(words)
        found: set[str] = set()
        for search in searches:
            if left := paths - found:
                found |= search(left) & left
        return found

    def _gits(self, words: list[str]) -> list[held_grep.Search]:
        git, rev = self.rev.git, self.rev.rev
        searches: list[Callable[[list[str]], set[str]]] = [
            lambda specs: git.grep_files(rev, TERMS, pathspec=specs),
            lambda specs: _regex(git, rev, [RUNS_CODE], specs, RUNNERS),
            self._empty_parameters,
            lambda specs: git.grep_files(rev, words, words=True, pathspec=specs),
            self._conditional_definitions,
            lambda specs: _regex(git, rev, CLASS_WITH_BASE, specs, ("class",)),
        ]
        if self._star:
            searches.append(lambda specs: _regex(git, rev, [STAR_IMPORT], specs, ("import",)))
        return [_named_one_by_one(search) for search in searches]

    def _held(self, held: Mapping[str, bytes], words: list[str]) -> list[held_grep.Search]:
        """The searches of ``_gits`` over HELD, the tree's text."""
        named = held_grep.fixed(held, ["parametrize", "params"])
        empty = held_grep.extended(held, [EMPTY])
        tops = held_grep.extended(held, [TOP_LEVEL_IF])
        searches = [
            held_grep.fixed(held, TERMS),
            held_grep.extended(held, [RUNS_CODE]),
            lambda left: empty(named(left)),
            held_grep.words(held, words),
            lambda left: {p for p in tops(left) if _indented_def(held.get(p))},
            held_grep.extended(held, CLASS_WITH_BASE),
        ]
        return [*searches, held_grep.extended(held, [STAR_IMPORT])] if self._star else searches

    @property
    def _star(self) -> bool:
        """Whether a conftest's autouse fixture skips on a module attribute a star import may
        bind (_Chain.star)."""
        return any(chain.star for chain in self._chains.values())

    def _empty_parameters(self, specs: list[str]) -> set[str]:
        """Files that say ``parametrize`` (or a fixture's ``params``) and hold an empty literal:
        the regex is tried only on the files the fixed words pick (one ``--all-match`` search
        tried it on every line)."""
        git, rev = self.rev.git, self.rev.rev
        named = git.grep_files(rev, ["parametrize", "params"], pathspec=specs)
        return named and git.grep_files(rev, [EMPTY], fixed=False, pathspec=_specs(named)) & named

    def _conditional_definitions(self, specs: list[str]) -> set[str]:
        """Files with a top-level ``if`` and an indented definition."""
        tops = self.rev.git.grep_files(self.rev.rev, [TOP_LEVEL_IF], fixed=False, pathspec=specs)
        self.rev.prefetch(tops)
        return {p for p in tops if INDENTED_DEF.search(self.rev.read(p) or b"")}

    def _chain(self, path: str) -> _Chain:
        folder = posixpath.dirname(path)
        if folder not in self._chains:
            try:
                chain = self._scan(self.conftests(path), folder)
            except Undecidable:  # a plugin that is no module: the collector reports it
                chain = EVERYTHING
            inits = package_inits(self.rev.analyzed, path)
            if any(i.module_skips for i in inits):
                chain = EVERYTHING
            self._chains[folder] = chain
        return self._chains[folder]

    def _scan(self, conftests: list[Module], folder: str) -> _Chain:
        """What the conftests above FOLDER make of its files: every file (an autouse fixture
        that skips whatever the module holds), the files a hook may skip (its conditions, asked
        of each path: hook_eval.may_apply_in), and the words a file must say to be skipped by
        a fixture (its name when requested, which may not be its function's: ``name=``; the
        module attributes an autouse one reads). The fixtures are every one a test module of
        the folder sees: the conftests' and plugins' own, and those they import."""
        try:
            data = [(c, self._data(c)) for c in conftests if _hooks(c)]
        except Undecidable:
            return EVERYTHING  # the collector reports it where the hook is applied
        hooks = tuple((r.cond, d) for c, d in data for r in _hooks(c))
        anything = ModuleNames({}, frozenset(), dynamic=True)  # its text is asked instead
        tests = Module(posixpath.join(folder, "test_.py"))  # a test module of the folder
        fixtures = Fixtures(tests, conftests, self.resolver, anything)
        words: set[str] = set()
        star = False  # a star import may bind the attribute an autouse fixture asks about
        for name, autouse in _by_name(fixtures.seen()).items():
            found = fixtures.find(name)
            if found is None or found.func.fixture is None:
                continue
            cases = fixtures.cases_may_skip(found)  # a parametrized case a test gets may skip
            if not cases and fixtures.hit(found) is None:
                continue
            if autouse or name in self.rev.config.usefixtures:
                if cases:
                    return EVERYTHING  # every test of the folder has its cases
                needed = attribute_words(found.func.fixture.skip_when)
                if needed is None:
                    return EVERYTHING
                words |= needed
                star = True
            else:
                words.add(name)
        return _Chain(False, frozenset(words), hooks, star)

    def _data(self, conftest: Module) -> dict[str, frozenset[str]]:
        refs = conftest.conftest.data if conftest.conftest else ()
        return {ref.name: self.rev.data(conftest, ref) for ref in refs}


def _by_name(seen: Iterable[Found]) -> dict[str, bool]:
    """The fixture names among SEEN, each with whether a definition of it is autouse (pytest
    requests an autouse name for every test, whichever definition it then finds)."""
    names: dict[str, bool] = {}
    for found in seen:
        fixture = found.func.fixture
        if fixture is not None:
            names[fixture.name] = names.get(fixture.name, False) or fixture.autouse
    return names


def decode(raw: bytes, paths: set[str]) -> set[str] | None:
    """The choice a record holds, None unless it is a JSON list of PATHS' members."""
    try:
        found = shallow_json.loads(raw, max_depth=2)
    except ValueError:
        return None
    if not isinstance(found, list) or not all(isinstance(p, str) and p in paths for p in found):
        return None
    return set(found)


def _deselecting_marks(markexpr: str) -> frozenset[str] | None:
    """The marks whose presence may deselect a test under addopts ``-m MARKEXPR``: none without
    one; the expression's names when it keeps a test with no mark at all (a test without one of
    them is kept, so only a file that can give a test one is read); None when it deselects an
    unmarked test, or does not parse (the collector reports it): then every file."""
    if not markexpr:
        return frozenset()
    try:
        tree = matchexpr.parse(markexpr)
    except ValueError:
        return None
    if not matchexpr.evaluate(tree, matchexpr.mark_matcher(frozenset())):
        return None
    return frozenset(_idents(tree))


def _idents(node: matchexpr.Node) -> Iterator[str]:
    if node[0] == "ident":
        yield str(node[1])
    for child in node[1:]:
        if isinstance(child, tuple):
            yield from _idents(child)


def _hooks(conftest: Module) -> tuple[HookRule, ...]:
    """CONFTEST's hook rules that skip (a marker a hook adds, ADDS_MARK, is none: a rule that
    skips on it is among them)."""
    rules = conftest.conftest.hooks if conftest.conftest else ()
    return tuple(r for r in rules if r.kind != ADDS_MARK)


@record
class _Chain:
    everything: bool
    words: frozenset[str]
    hooks: tuple[tuple[Cond, dict[str, frozenset[str]]], ...] = ()
    star: bool = False  # whether a star import may let a fixture skip a file


EVERYTHING = _Chain(True, frozenset())


def _regex(
    git: Git, rev: str, patterns: Sequence[str], specs: list[str], within: Sequence[str]
) -> set[str]:
    """The SPECS files with a line that matches one of the regexes PATTERNS and holds a word of
    WITHIN (searched first: Git.grep_files)."""
    return git.grep_files(rev, patterns, fixed=False, pathspec=specs, within=within)


def _named_one_by_one(search: Callable[[list[str]], set[str]]) -> held_grep.Search:
    """SEARCH (of a ``git grep`` pathspec) asked of a set of paths."""
    return lambda left: search(_specs(left))


def _indented_def(data: bytes | None) -> bool:
    """Whether DATA defines something indented (a file not held may)."""
    return data is None or INDENTED_DEF.search(data) is not None


def _specs(paths: set[str]) -> list[str]:
    """PATHS named one by one, or every ``*.py`` when they are too many to name."""
    return literal_pathspecs(paths) or ["*.py"]


def _related(path: str, prefix: str) -> bool:
    return path.startswith(prefix) or prefix.startswith(path)
