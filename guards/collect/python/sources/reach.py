"""Which names can reach a skip at one revision: decided from text first, so that a helper
module that cannot reach one is never read.

Contract: ``reaching(rev)`` is a ``Reach``, the names exported anywhere in the repository that may
reach a skip construct or alias a pytest/unittest object, or None when the search outgrew its
bounds or cannot pay (_pays: then nothing is pruned, never wrong). ``Reach.allows(sym)`` is
False for a symbol none of whose dotted parts is such a name and that is not spelled as a skip
itself: the resolver answers "reaches nothing" for it without reading the module it names. On
sympy, a test body that calls ``Symbol('x')`` no longer makes the linker analyze ``sympy.core``.

Why it is sound: a skip construct is imported from pytest, _pytest or unittest (ROOT_WORDS: the
module that holds one names its source), and a module that uses a name another module exports
names both (``from pkg.helpers import needs_gpu``, ``helpers.needs_gpu()``, ``from .helpers
import needs_gpu as gpu``), and the folder holding that module too, unless it imports from there
without naming it (its own folders, ``pythonpath``, ``src``: _Owners). So the least fixed point
of "modules whose text holds a root word, or a reaching name and the name of a module that
exports it; those of their exports that reach a skip or alias a pytest object" holds every
reaching name. Each round analyzes the modules found, resolves their exports with the pairs
known so far (through the same pruned resolver), and searches the new names as words (one
search of the tree: words.py), keeping the files that also name an exporter. On sympy: 13
library modules name pytest; ``skip`` is followed only into files that also say ``pytest`` (the
module that exports it), not into the 70 that say "skip" in prose.

The traps. A module ``__getattr__`` answers names it never spells: when it reaches a skip, the
module's own name joins the set (``pkg.m.anything`` then has a reaching part). A test module's
exports are read only when an import line somewhere names it (its stem as a word, or its folder in
a continued ``from pkg import (`` line): sympy's 300 test files that mention ``XFAIL`` export
nothing another file imports, and analyzing them would cost more than the pruning saves. A
change's reach (not a whole tree's listing: Revision.whole) reads no test module at all where no
file but a test module imports one (_follows_tests, judged by parsing the import lines that say
a test module's name): no other module's name can then reach a skip through one, and a name that
may be a test module's is never pruned, so the resolver reads the module where a test's name
leads (sympy's seven test modules other tests import a helper from, 0.43 MB, are not analyzed).
A change that makes a file import a test module computes its head's reach anew. Star
imports are not followed by the resolver, so they add nothing here either. Bounds: MAX_ROUNDS
rounds and MAX_FILES modules, checked before each round's work.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import field, replace
from functools import cached_property
from typing import Any

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.config.paths import test_module_matcher
from guards.collect.python.linking.fixtures import BUILTIN_ARGS
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.cases import may_skip_a_case
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.symbols import TRACKED, is_skippy
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.sources import attribute_owners, words
from guards.collect.python.sources.revision import Revision
from guards.core import python_text, shallow_json
from guards.core.folders import below
from guards.core.git import MAX_PATHSPECS
from guards.core.records import record
from guards.linear_re import any_word, compile_linear

ROOT_WORDS = ("pytest", "_pytest", "unittest")  # every skip construct is imported from one
ROOTS = frozenset(ROOT_WORDS)
SKIP_SPELLING = re.compile(r"skip|Skip|xfail|XFail|expectedFailure")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
WORD = re.compile(r"\w+")  # a word of a line, as a module name is one
CONTINUED = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\s*[(\\]")
GLOB = re.compile(r"[*?\[\]]")
WORDLIKE = re.compile(r"\w{3,}")  # a literal this long narrows the import lines read
PLAIN_GLOB = re.compile(r"[\w.*-]+")  # a base-name glob git's pathspec reads as fnmatch does
PLAIN_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)*")
MAX_ROUNDS = 12
MAX_FILES = 3_000
MIN_FIRST = 256 << 10  # a first round this large is weighed against what it may prune (_pays)
INIT = "__init__.py"
CONFTEST = "conftest.py"


Pair = tuple[str, str, str]  # a reaching name, the path of a module exporting it, and its kind
SKIPS, ALIAS = "skips", "alias"  # reaches a skip construct; names a pytest/unittest object
MODULE = "module"  # names a module that exports a reaching name (``g``: ``gates as g``)
UNPRUNED = b'{"unpruned": true}'  # the record of no reach: nothing is pruned at that commit


@record
class Reach:
    """What may reach a skip: a symbol with none of NAMES among its parts cannot. PAIRS say who
    exports each name; READ are the modules read to learn it. TESTS, where set, are the
    python_files globs of the test modules left unread (no file but a test module imports
    them: _follows_tests): a symbol one of whose parts such a module may be named is never
    pruned, so the resolver reads the module where a name leads into it."""

    pairs: frozenset[Pair]
    read: frozenset[str] = frozenset()
    imports: Imports | None = None  # the whole tree's import lines, once read
    tests: tuple[str, ...] = ()
    _answers: dict[str, bool] = field(default_factory=dict, init=False, compare=False, repr=False)

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(name for name, _, _ in self.pairs)

    @cached_property
    def _test_names(self) -> re.Pattern[str] | None:
        return (
            re.compile("|".join(fnmatch.translate(g) for g in self.tests)) if self.tests else None
        )

    def allows(self, sym: str) -> bool:
        """Asked once per symbol (a test module asks about ``S`` and ``Symbol`` thousands of
        times)."""
        found = self._answers.get(sym)
        if found is None:
            found = self._answers[sym] = self._allows(sym)
        return found

    def _allows(self, sym: str) -> bool:
        if sym.startswith(TRACKED) or is_skippy(sym) or SKIP_SPELLING.search(sym):
            return True
        parts = sym.split(".")  # a part named like a root module is never pruned (_users)
        if not (self.names.isdisjoint(parts) and ROOTS.isdisjoint(parts)):
            return True
        tests = self._test_names
        return tests is not None and any(tests.match(f"{part}.py") for part in parts)


def cached(rev: Revision, compute: Callable[[], Reach | None] | None = None) -> Reach | None:
    """``reaching(rev)`` (or COMPUTE's answer: the head side learnt from its base), kept in the
    fact cache by commit: the base of most pull requests is a commit of the default branch that
    an earlier run has seen, often as the head of a push. A head side's record holds its base's
    pairs too: a superset, which prunes less and never wrongly. The record is JSON, checked field
    by field when read (a cache is input: anything else is a miss); no reach (past the bounds,
    or pruning would not pay) is kept too, as UNPRUNED, so that a warm run does not search the
    tree again to learn it (pytest's warm listing: 0.28 -> 0.21 s)."""
    key = _key(rev)
    raw = rev.cache.get_raw(key) if key else None
    if raw == UNPRUNED:
        return None
    found = decode(raw) if raw else None
    if found is None:
        found = (compute or (lambda: reaching(rev)))()
        if key:
            rev.cache.put_raw(key, UNPRUNED if found is None else encode(found))
    return found


def prepare(rev: Revision) -> Callable[[], None] | None:
    """Start reading the tree a cold ``reaching(rev)`` searches (Revision.start_holding), or,
    where it will not be held, begin its searches of import lines and root words (words.py's
    ``begin_*``), unless the fact cache holds REV's reach: a caller about to ask for it starts
    them before other work (the analysis of a change's files), which goes on meanwhile. Where
    the tree will be held, the searches it starts with are returned to run meanwhile (_warm)."""
    key = _key(rev)
    if rev.sibling is None and not (key and rev.cache.get_raw(key)):
        rev.start_holding()
        words.begin_import_lines(rev, _near(rev.config.python_files))
        if rev.unheld and _plain(rev):
            words.begin_saying(rev, ROOT_WORDS, _others(rev))
        return None if rev.unheld else lambda: _warm(rev)
    return None


def _warm(rev: Revision) -> None:
    """The searches of the held tree a cold ``reaching(rev)`` starts with, run once and kept
    (Revision.searched, the texts of its disguised files): the tree, its files that say a root
    word and its import lines. A parent waiting on a pool (parallel.py's ``meanwhile``) runs
    them on its own core's share: sympy's reach, 0.13 s of one core after the pool, is most of
    it done by then."""
    rev.hold()
    held = rev.held
    if held is None or _outweighed(rev, held):
        return
    words.saying(rev, ROOT_WORDS)
    words.import_lines(rev, _near(rev.config.python_files))


def _key(rev: Revision) -> str | None:
    """The fact cache's name of REV's reach: a whole tree's listing reads every test module an
    import line names, a change's gate may leave them unread (_follows_tests); their records
    are kept apart."""
    if not rev.commit:
        return None
    kind = "whole" if rev.whole else "change"
    return hashlib.sha256(f"reach\0{rev.commit}\0{kind}".encode()).hexdigest()


def encode(reach: Reach) -> bytes:
    imports = reach.imports
    doc = {
        "pairs": sorted(reach.pairs),
        "read": sorted(reach.read),
        "imports": [sorted(imports.words), sorted(imports.folders)] if imports else None,
        "tests": list(reach.tests),
    }
    return json.dumps(doc).encode()


def decode(raw: bytes) -> Reach | None:
    try:
        doc = shallow_json.loads(raw, max_depth=4)
        pairs = frozenset(_strings(p, 3) for p in doc["pairs"])
        read = frozenset(_strings(doc["read"]))
        imports = doc["imports"]
        found = _decoded_imports(imports) if imports else None
        tests = _strings(doc["tests"])
    except (ValueError, TypeError, KeyError):
        return None  # not a record this code wrote: a miss
    return Reach(pairs, read, found, tests)


def _decoded_imports(doc: object) -> Imports:
    words, folders = (frozenset(_strings(part)) for part in _strings(doc, 2, list))
    return Imports(words, folders)


def _strings(items: object, size: int | None = None, kind: type = str) -> tuple[Any, ...]:
    """ITEMS as a tuple of KIND (of SIZE items when given), else a TypeError."""
    count = len(items) if size is None and isinstance(items, list) else size or 0
    return shallow_json.fields(items, (kind,) * count)


def reaching(
    rev: Revision, before: Reach | None = None, changed: Iterable[str] = ()
) -> Reach | None:
    """The least fixed point described above, or None past MAX_ROUNDS or MAX_FILES, or where
    it cannot pay (_pays). With BEFORE (the other side of a change), only the CHANGED files are
    searched anew: the result holds BEFORE's pairs too, a superset of this side's own, which
    prunes less and never wrongly."""
    if before is None:
        rev.hold()  # the searches below read the whole tree: once, not once each
        if rev.held is not None and _outweighed(rev, rev.held):
            return None  # it cannot pay, whatever the files whose text is not their bytes say
        said = words.saying(rev, ROOT_WORDS) if rev.held is not None else None
        if said is not None and not _pays(rev, said, _Importable(rev, NOTHING)):
            return None  # it cannot pay even before import lines add test modules to read
        roots, named = _roots(rev, said)
        start = Reach(frozenset(), imports=named, tests=_follows_tests(rev, named))
        if not _pays(rev, roots, _Importable(rev, named, bool(start.tests))):
            return None
        return _fixed_point(rev, roots, start)
    python = [p for p in changed if p.endswith(".py")]
    rev.prefetch(python)
    lines = _lines_importing(rev, python)
    now = _imports(lines)
    if before.tests and _into_tests(rev, lines):
        return reaching(rev)  # a file that is no test module imports one now: read them
    mention = _words_re(ROOT_WORDS)
    found = {p for p in python if _mentions(rev.text(p), mention)}
    found |= _users(rev, before.pairs, python) | _binders(rev, before.pairs, python)
    if not before.tests and _names_new_tests(rev, now, before.imports):
        found |= _newly_named(rev, now, before)
    imports = before.imports | now if before.imports is not None else None
    return _fixed_point(rev, found, replace(before, imports=imports))


def _names_new_tests(rev: Revision, now: Imports, before: Imports | None) -> bool:
    """Whether import lines NOW may name a test module that BEFORE's did not: a new folder, or
    a new word that is a test module's name (``test_base``, when python_files is ``test_*.py``)."""
    if before is None or now.folders - before.folders:
        return True
    if any("/" in p for p in rev.config.python_files):
        return bool(now.words - before.words)  # a pattern on paths: a word alone cannot tell
    is_test = test_module_matcher(rev.config)
    return any(is_test(f"{w}.py") for w in now.words - before.words)


def _newly_named(rev: Revision, named: Imports, before: Reach) -> set[str]:
    """Test modules the other side did not read that a changed file's import line names now
    (an unchanged ``tests/test_base.py`` whose helper a changed test starts to import)."""
    said = sorted({pair[0] for pair in before.pairs})
    specs = _named_specs(rev, named)
    where = "*.py" if specs is None else specs  # [] when it names no test module: no search
    roots = words.saying(rev, ROOT_WORDS, where)
    unread = (roots | words.saying(rev, said)) - before.read
    is_test = test_module_matcher(rev.config)
    tests = {p for p in unread if is_test(p) and named.names(p)}
    return (tests & roots) | _users(rev, before.pairs, tests)


def _roots(rev: Revision, said: set[str] | None = None) -> tuple[set[str], Imports]:
    """The files that mention a root word and whose exports can reach another file, and the
    whole tree's import lines. Most test files say ``pytest`` (all 50,000 of a large tree's),
    and a test module counts only when an import line names it: so the search skips test
    modules, and then searches only the ones import lines name. Where the tree is held in memory
    (words.py), or the patterns cannot be written as pathspecs (_named_specs), one search over
    everything (SAID, when it is done already), filtered later (_Importable)."""
    imports = _import_lines(rev)
    specs = _named_specs(rev, imports) if rev.held is None else None
    if specs is None:  # held in memory, searching every file costs less than the globs
        return said if said is not None else words.saying(rev, ROOT_WORDS), imports
    found = words.saying(rev, ROOT_WORDS, _others(rev))
    return found | words.saying(rev, ROOT_WORDS, specs), imports


def _others(rev: Revision) -> list[str]:
    """Pathspecs of the Python files that are not test modules (python_files: plain globs)."""
    return ["*.py", *(f":(exclude,glob)**/{p}" for p in rev.config.python_files)]


def _import_lines(rev: Revision) -> Imports:
    """The import lines that may name a test module (_near), and those of the files whose text
    is not their bytes. The same search finds the candidates of sources/disguised.py, offered to
    it (words.import_lines). A line that says ``import`` is an import line whatever else it holds
    (more words than _near keeps, never fewer)."""
    found, differ = words.import_lines(rev, _near(rev.config.python_files))
    rev.offer_disguised(differ)
    lines = found + _lines_importing(rev, sorted(rev.disguised))
    if rev.held is None:  # no test module is left unread (_follows_tests): never asked
        return _imports(lines)
    return replace(_imports(lines), into_tests=_into_tests(rev, lines))


def _lines_importing(rev: Revision, paths: Iterable[str]) -> list[tuple[str, str]]:
    """(path, line) for each line of PATHS whose text (as Python reads it) says ``import``."""
    paths = list(paths)
    rev.prefetch(paths)
    return [(p, ln) for p in paths for ln in _text(rev.text(p)).splitlines() if "import" in ln]


def _named_specs(rev: Revision, imports: Imports) -> list[str] | None:
    """Pathspecs of every test module IMPORTS may name (Imports.names): its stem is one of their
    words, or its folder ends with one of their folders. None when a python_files pattern is
    not a plain base-name glob, a name is not plain, or there are more than MAX_PATHSPECS."""
    if not _plain(rev):
        return None
    is_test = test_module_matcher(rev.config)
    stems = [w for w in imports.words if is_test(f"{w}.py")]
    folders = [f for f in imports.folders if PLAIN_PATH.fullmatch(f)]
    if len(folders) < len(imports.folders) or len(stems) + 2 * len(folders) > MAX_PATHSPECS:
        return None
    specs = [f":(glob)**/{s}.py" for s in stems]
    specs += [s for f in folders for s in (f":(glob){f}/*.py", f":(glob)**/{f}/*.py")]
    return specs


def _follows_tests(rev: Revision, imports: Imports) -> tuple[str, ...]:
    """The python_files globs of the test modules REV's reach leaves unread (Reach.tests: the
    resolver reads one where a name leads into it, never pruned), where no file but a test
    module imports one (IMPORTS.into_tests): then no other module's name can reach a skip
    through a test module, and what a test module exports matters to tests alone. () where
    the reach reads every test module an import line names, as before: a whole tree's listing
    (its prefilter reads only the bodies that say a name known to skip, and a test module's
    helper that other tests import is one), a tree not held, python_files a module's dotted
    name cannot be matched against (_plain). On sympy, seven test modules (0.43 MB of its first
    round's 0.67) that only other tests import a helper from are no longer analyzed: a cold
    change 1.06 -> 0.87 s."""
    if rev.whole or rev.held is None or imports.into_tests or not _plain(rev):
        return ()
    return rev.config.python_files


def _plain(rev: Revision) -> bool:
    """Whether every python_files pattern is a plain base-name glob, and no package's
    ``__init__.py`` is a test module: then a pathspec says which files are test modules."""
    plain = all(PLAIN_GLOB.fullmatch(p) for p in rev.config.python_files)
    return plain and not test_module_matcher(rev.config)(INIT)


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def _pays(rev: Revision, roots: set[str], importable: _Importable) -> bool:
    """Whether pruning can save more than finding what to prune costs: the library code the
    reach could keep the resolver from reading (the held tree's Python that is neither a test
    module, a conftest, nor among ROOTS) is more than the first round must analyze (the ROOTS
    that are IMPORTABLE). pytest's own tree is the other case: every module of ``_pytest``
    says ``pytest``, 1.7 MB to analyze up front to prune 41 KB (its listing 1.07 -> 0.58 s
    without, its pull requests 0.94 -> 0.37 s, every answer the same; sympy's 0.65 MB prunes
    17 MB). A tree not held is a large one: it pays there; a first round under MIN_FIRST bytes
    costs too little to weigh (a few modules: the pruning is kept). Asked first with no import
    line read (NOTHING: only the roots that are no test module are importable), a False is the
    answer already: import lines only add test modules to the first round (pytest's listing
    spares their search, 0.07 s)."""
    held = rev.held
    if held is None:
        return True
    first = sum(len(held.get(p, b"")) for p in roots if importable(p))
    if first < MIN_FIRST:
        return True
    prunable = sum(
        len(data)
        for path, data in held.items()
        if path not in roots
        and not importable.is_test(path)
        and posixpath.basename(path) != CONFTEST
    )
    return prunable > first


def _outweighed(rev: Revision, held: dict[str, bytes]) -> bool:
    """Whether ``_pays`` says False from the plain files alone (python_text.plain: their bytes
    are their text): those that are no test module and say a root word weigh MIN_FIRST or more,
    and at least as much as every other file the reach could prune, whatever the rest say. So
    pytest's tree learns it without decoding its 65 files of non-ASCII text (words.saying's
    _disguised: a third of its listing's reach)."""
    is_test = test_module_matcher(rev.config)
    said = words.in_bytes(rev, ROOT_WORDS)
    first = rest = 0
    for path, data in held.items():
        if is_test(path):
            continue
        if path in said and python_text.plain(data):
            first += len(data)
        elif posixpath.basename(path) != CONFTEST:
            rest += len(data)
    return first >= MIN_FIRST and rest <= first


def _fixed_point(rev: Revision, found: set[str], known: Reach) -> Reach | None:
    """Rounds from FOUND: a module is (re)read in the round after a pair it may use is new."""
    importable = _Importable(rev, known.imports, bool(known.tests))
    pairs, read = set(known.pairs), set(known.read)
    for _ in range(MAX_ROUNDS):
        batch = sorted(p for p in found if importable(p))
        read.update(batch)
        if len(read) > MAX_FILES:
            return None
        fresh = _exported(rev, batch, Reach(frozenset(pairs), tests=known.tests)) - pairs
        if not fresh:
            return Reach(frozenset(pairs), frozenset(read), importable.imports, known.tests)
        pairs |= fresh
        found = _users(rev, fresh, keep=importable)  # a test module no import names: unread
    return None


def _users(
    rev: Revision,
    pairs: Iterable[Pair],
    among: Iterable[str] | None = None,
    keep: Callable[[str], bool] = lambda _path: True,
) -> set[str]:
    """The Python files (AMONG, else the whole revision; those KEEP keeps) that mention a name
    of PAIRS and either the name of a module exporting one or the name as an attribute. A file
    uses a name bare only after importing it by name from such a module; it uses it as an
    attribute of whatever holds the module, which may be an alias the file got from elsewhere
    (``from tests.support import g``, where support says ``from tests.helpers import gates as
    g``, then ``g.needs_net()``): no module name is in sight, the attribute is. KEEP is asked
    before a file is read (sympy's 300 test files that import ``raises`` from
    ``sympy.testing.pytest`` are never read)."""
    pairs = [p for p in pairs if p[0] not in ROOTS]  # its users mention a root: read already
    if not pairs:
        return set()
    names, owners = _words_re(p[0] for p in pairs), _Owners(rev, {p[1] for p in pairs})
    attributes = _attributes_re(p[0] for p in pairs)
    found = words.saying(rev, {p[0] for p in pairs}) if among is None else set(among)
    candidates = {p for p in found if keep(p)}
    rev.prefetch(candidates)
    return {p for p in candidates if _uses(p, rev.text(p), names, owners, attributes)}


def _uses(path: str, data: bytes | None, names: Any, owners: _Owners, attributes: Any) -> bool:
    """Whether DATA (the file PATH) mentions one of NAMES and either imports an owner or uses a
    name as an attribute (the cheaper tests first)."""
    if data is None or not names.search(data):
        return False
    return owners.named_in(path, data) or _attribute_use(data, attributes)


class _Owners:
    """Whether a file may import one of the modules at PATHS, from its text: it spells the
    module's name (its stem, a package's folder) and, unless the folder holding the module is one
    the file can import from without naming it, that folder's name too. The resolver finds a
    module from a file only below the file's own folders, a ``pythonpath`` folder or ``src``
    (Revision.module_path), and the dotted name below any other folder spells each of its parts:
    ``from lib.checks import util``, ``import lib.checks.util``, ``from ..checks.util import``.
    On sympy, every file that says ``util`` no longer counts as importing
    ``sympy/utilities/_compilation/util.py``: only one that also says ``_compilation``, or sits
    under its folder."""

    def __init__(self, rev: Revision, paths: Iterable[str]) -> None:
        self.bases = {"", *(_folder_of(b) for b in rev.import_roots)}
        self.held: dict[str, set[str]] = {}  # a module's name -> the folders holding one
        for path in paths:
            self.held.setdefault(own_name(path), set()).add(_holder(path))
        self.words = _words_re(self.held)

    def named_in(self, path: str, data: bytes) -> bool:
        here = posixpath.dirname(path)
        for name in _found(self.words, data):
            for folder in self.held[name]:
                if folder in self.bases or below(here, folder) or _spelled(data, folder):
                    return True
        return False


def _found(words: Any, data: bytes) -> set[str]:
    """The words the regex WORDS (_words_re) finds in DATA, by ``search`` from each end on."""
    found, at = set(), 0
    while (match := words.search(data, at)) is not None:
        found.add(match.group(1).decode())
        at = match.end(1)
    return found


def _holder(path: str) -> str:
    """The folder holding the module PATH (a package's: the folder above it)."""
    folder = posixpath.dirname(path)
    return posixpath.dirname(folder) if posixpath.basename(path) == INIT else folder


def _folder_of(base: str) -> str:
    folder = posixpath.normpath(base)
    return "" if folder == "." else folder


def _spelled(data: bytes, folder: str) -> bool:
    return _word_re(posixpath.basename(folder)).search(data) is not None


@functools.cache
def _word_re(word: str) -> Any:
    return _words_re([word])


def _attribute_use(data: bytes, attributes: Any) -> bool:
    """Whether ATTRIBUTES (_attributes_re) matches DATA where the name before the dot may hold
    another module's object (attribute_owners.py: not ``self``, not a name only ever assigned
    a call's result): after a match that does not count the search goes on past its dot."""
    at, judged = 0, dict[bytes, bool]()
    while (found := attributes.search(data, at)) is not None:
        if attribute_owners.may_hold_module(data, found.start(1), judged):
            return True
        at = found.end(1) + 1
    return False


def _attributes_re(words: Iterable[str]) -> Any:
    """Any of WORDS taken as an attribute: after a dot, across what Python allows between the
    dot and the name (spaces, backslashes, line breaks and, in brackets, comments: ``g.needs_net``,
    ``g .\\\n needs_net``, ``(g.  # why\n needs_net)``), the word before the dot in group 1
    (``self`` and ``cls`` are a method's, _attribute_use rules them out). A name first on its line
    with no dot before it (``skip = 0``, ``needs_net()``) is no attribute. RE2 runs it, so a long
    hostile line costs linear time."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words)))
    between = r"(?:[ \t\r\n\f\\]|#[^\r\n]*[\r\n])*"  # a comment runs to its line's end
    after = "(?:[^A-Za-z0-9_]|$)"  # as linear_re.any_word: a name in another script ends too
    return compile_linear(rf"(\w*)\.{between}(?:{alternatives}){after}".encode(), bytewise=True)


def _words_re(words: Iterable[str]) -> Any:
    return any_word(tuple(sorted(set(words))))


def _mentions(data: bytes | None, words: Any) -> bool:
    return data is not None and words.search(data) is not None


def _exported(rev: Revision, paths: Iterable[str], known: Reach) -> frozenset[Pair]:
    resolver, owners = Resolver(rev, known), _owners(known.pairs)
    pairs: set[Pair] = set()
    paths = list(paths)
    rev.analyze_many(paths)  # on every core when they are large
    for path in paths:
        module = _module(rev, path)
        if module is not None:
            kinds = {n: _kind(resolver, module, v) for n, v in module.exports.items()}
            pairs |= {(n.split(".")[0], path, k) for n, k in kinds.items() if k}  # Marks.later
            pairs |= {(n, path, MODULE) for n in _modules_bound(module, owners)}
            if kinds.get("__getattr__"):
                pairs.add((own_name(path), path, SKIPS))  # ``pkg.own.anything`` reaches it
    return frozenset(pairs)


def _binders(rev: Revision, pairs: Collection[Pair], changed: list[str]) -> set[str]:
    """The CHANGED files that name a module exporting a name of PAIRS: one may now bind it to
    another name (``g = gates``), and the unchanged files that say ``g.needs_net()`` must be
    read again (a MODULE pair's users)."""
    owners = _owners(pairs) - ROOTS  # a file that names a root is read already
    if not owners:
        return set()
    named = _words_re(owners)
    return {p for p in changed if _mentions(rev.text(p), named)}


def _modules_bound(module: Module, owners: set[str]) -> set[str]:
    """Exports of MODULE bound to a module that exports a reaching name (one of OWNERS: _owners
    of the pairs known, computed once a round), e.g. ``g`` for ``from tests.helpers import gates
    as g``."""
    return {
        name
        for name, value in module.exports.items()
        if ":" not in value and value.rsplit(".", 1)[-1] in owners
    }


def _owners(pairs: Collection[Pair]) -> set[str]:
    """The names a module exporting a name of PAIRS goes by: its own, or one bound to it."""
    return {own_name(p[1]) for p in pairs} | {p[0] for p in pairs if p[2] == MODULE}


def _module(rev: Revision, path: str) -> Module | None:
    try:
        return rev.analyzed(path)
    except NotParsable:
        return None  # reported where a test file that imports it is read


def _kind(resolver: Resolver, module: Module, value: str) -> str | None:
    """SKIPS when using VALUE reaches a skip, or VALUE is a class (or an instance of one) a
    method of which does (``Env.require_gpu()`` names only ``Env`` of its module), ALIAS when it
    names a pytest/unittest object (a mark alias may become a skip without a word of its users
    changing), else None."""
    try:
        if is_skippy(value) or _fixture_may_skip(module, value):
            return SKIPS
        if resolver.symbol(module, value) is not None:
            return SKIPS
        if resolver.instance(module, value) is not None:
            return SKIPS
        meant = resolver.meaning(value, module)[1] if resolver.may(value) else ""
    except Undecidable:
        return SKIPS  # the collector says so where a test uses it; here: may reach
    return ALIAS if value.startswith(TRACKED) or meant.startswith(TRACKED) else None


def _fixture_may_skip(module: Module, value: str) -> bool:
    """Whether VALUE is a fixture of MODULE that may skip a test requesting it other than
    through its body: by requesting a fixture (found by name where the test is, not by an
    import a word search would see: ``def dep(gpu)`` where a conftest's ``gpu`` skips), or by a
    parametrization that may skip a case (``params=[]``, a case's marks)."""
    name = value.removeprefix("local:") if value.startswith("local:") else ""
    func = next((f for f in module.functions if f.name == name), None)
    fixture = func.fixture if func is not None else None
    if func is None or fixture is None:
        return False
    if fixture.params is not None and may_skip_a_case([fixture.params]):
        return True
    return any(arg not in BUILTIN_ARGS for arg in func.args)


def modules_named(reach: Reach, files: Iterable[str]) -> tuple[str, ...]:
    """The dotted paths of the modules of FILES named like a name REACH knows
    (``sympy.testing.pytest``, while the ``import pytest`` it holds makes ``pytest`` a name
    known), but a module that skips whatever is asked of it (its ``__getattr__``: its own name
    is a pair's): skip_reach.reaching_names reads such a part of a dotted name as the module."""
    names = reach.names
    whole = {path for name, path, kind in reach.pairs if kind == SKIPS and name == own_name(path)}
    return tuple(
        sorted(
            _dotted(path)
            for path in files
            if path.endswith(".py") and own_name(path) in names and path not in whole
        )
    )


def _dotted(path: str) -> str:
    """The dotted name of the module PATH, from the repository's root (a package: its folder)."""
    folder, base = posixpath.split(path.removesuffix(".py"))
    return (folder if base == "__init__" else posixpath.join(folder, base)).replace("/", ".")


def own_name(path: str) -> str:
    """The last part of the dotted name PATH is imported as (a package: its folder)."""
    folder, base = posixpath.split(path)
    return posixpath.basename(folder) if base == INIT else base.removesuffix(".py")


@record
class Imports:
    """What import lines name: their words, and the folders of continued ``from pkg import (``
    lines (whose names are on the next lines)."""

    words: frozenset[str]
    folders: frozenset[str]
    # Whether a file that is no test module may import a test module (True where unknown):
    # what the reach decides its kind by (_follows_tests), not what the lines name.
    into_tests: bool = field(default=True, compare=False)

    def names(self, path: str) -> bool:
        """Whether an import line may name the module PATH (by its stem or its folder)."""
        if own_name(path) in self.words:
            return True
        parts = posixpath.dirname(path).split("/")  # F names FOLDER when it is a tail of it
        return any("/".join(parts[i:]) in self.folders for i in range(len(parts)))

    def __le__(self, other: Imports) -> bool:
        return self.words <= other.words and self.folders <= other.folders

    def __or__(self, other: Imports) -> Imports:
        return Imports(self.words | other.words, self.folders | other.folders)


NOTHING = Imports(frozenset(), frozenset())  # no import line read: no test module named


def _into_tests(rev: Revision, lines: list[tuple[str, str]]) -> bool:
    """Whether a line of LINES in a file that is no test module may import a test module:
    one that says a test module's name as a word is parsed alone and its import statements
    read (the module's last part, and each name imported from a package); a line that does not
    parse alone (continued, or no statement) counts by its words and folders (Imports.names).
    Words are not enough: sympy's release script lists ``'bin/test_import.py',`` and says
    ``import test as test_sympy``, and a test module of each name exists."""
    is_test = test_module_matcher(rev.config)
    others = [(path, line) for path, line in lines if not is_test(path)]
    if rev.held is None and not any(_may_name_test(line, is_test) for _, line in others):
        return False  # a head side's changed lines, first by the patterns alone (no listing)
    tests = [p for p in _python_paths(rev) if is_test(p)]
    named, vague = _imported_names(others, {own_name(p) for p in tests})
    return any(own_name(p) in named or vague.names(p) for p in tests)


def _may_name_test(line: str, is_test: Callable[[str], bool]) -> bool:
    return _open(line) or any(is_test(f"{word}.py") for word in WORD.findall(line))


def _python_paths(rev: Revision) -> Iterable[str]:
    """REV's Python files: the held tree's, else its listing (a head side not held: reading
    its whole tree for this would cost a primed run more than the reach it reads saves)."""
    held = rev.held
    return held if held is not None else [p for p in rev.listing() if p.endswith(".py")]


def _imported_names(lines: list[tuple[str, str]], stems: set[str]) -> tuple[set[str], Imports]:
    """The names of modules LINES import, from those that say one of STEMS as a word (each
    parsed alone), and what the lines that do not parse alone (a continued ``from pkg import
    (``) may name."""
    said = [(p, ln) for p, ln in lines if not stems.isdisjoint(WORD.findall(ln)) or _open(ln)]
    parsed = [(path, line, _imported(line)) for path, line in said]
    named = {stem for _, _, found in parsed if found is not None for stem in found}
    return named, _imports([(path, line) for path, line, found in parsed if found is None])


def _open(line: str) -> bool:
    """Whether LINE continues on the next (a bracket or a backslash at its end)."""
    return line.rstrip().endswith(("(", "\\"))


def _imported(line: str) -> frozenset[str] | None:
    """The last part of each module an import statement on LINE names, and each name it imports
    from one (a package's module, perhaps); None where LINE is no statement alone."""
    try:
        tree = ast.parse(line.strip())
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    found: set[str] = set()
    for node in walk_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.rsplit(".", 1)[-1] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {alias.name for alias in node.names}
            found |= {node.module.rsplit(".", 1)[-1]} if node.module else set()
    return frozenset(found)


def _imports(lines: list[tuple[str, str]]) -> Imports:
    folders = set()
    for path, line in lines:
        continued = CONTINUED.match(line) if _open(line) else None
        if continued:
            folders.add(_package(path, *continued.groups()))
    words = IDENTIFIER.findall("\n".join(line for _, line in lines))
    return Imports(frozenset(words), frozenset(folders))


class _Importable:
    """Whether a module's exports can reach another file: always, but for a test module, which
    must be named by an import line somewhere (the whole tree's are read on the first ask), and
    is never read where the reach follows test modules (FOLLOWS: Reach.tests)."""

    def __init__(self, rev: Revision, imports: Imports | None, follows: bool = False) -> None:
        self.rev, self.imports, self.follows = rev, imports, follows
        self.is_test = test_module_matcher(rev.config)

    def __call__(self, path: str) -> bool:
        if not self.is_test(path):
            return True
        if self.follows:
            return False
        if self.imports is None:
            self.imports = _import_lines(self.rev)
        return self.imports.names(path)


def _near(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """What an import line that can name a test module also holds: a literal every such module
    name spells (``test_`` for ``test_*.py``; words.import_lines adds a continued line, whose
    names follow); () when a pattern has no such literal (then every import line is read)."""
    literals = [max(GLOB.split(p.removesuffix(".py")), key=len) for p in patterns]
    if not patterns or not all(WORDLIKE.fullmatch(lit) for lit in literals):
        return ()
    return tuple(literals)


def _package(path: str, dots: str, dotted: str) -> str:
    """The folder a ``from DOTS DOTTED import (`` line in PATH names: relative from PATH's
    folder, else the dotted path as a folder (its last part is what matters for a test module)."""
    if not dots:
        return dotted.replace(".", "/")
    folder = posixpath.dirname(path)
    for _ in range(len(dots) - 1):
        folder = posixpath.dirname(folder)
    return posixpath.join(folder, dotted.replace(".", "/")) if dotted else folder
