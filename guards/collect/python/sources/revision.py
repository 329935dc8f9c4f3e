"""The repository at one revision, as the collector sees it: files, config, conftests, modules.

Every read goes through one batch reader and is cached; nothing outside the requested files,
their conftest chain, the root configuration and the modules they import is read, except where
a search of the whole tree is asked for: then the tree's Python is held (``hold``, up to
MAX_HELD bytes and MAX_HELD_FILES files), read once by one or two ``cat-file`` processes instead of
once a ``git grep`` (sources/words.py). A change's head side knows its base side
(``share_reach``): a file both sides hold is analyzed at head from the base's facts, parsing
only what the change touched (parsing/incremental.py), and a held tree is the base's plus the
blobs the change wrote.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Container, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from guards.collect import cache as fact_cache
from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.config import addopts
from guards.collect.python.config import pytest_config as pyconfig
from guards.collect.python.config.paths import ancestors, is_test_module
from guards.collect.python.parsing.facts import DataRef, Module
from guards.collect.python.parsing.options import DEFAULT_OPTIONS, PLUGIN_OPTIONS, AnalysisOptions
from guards.collect.python.parsing.parallel import (
    Again,
    Answer,
    analyze_again_all,
    analyze_chains,
    analyze_items,
)
from guards.core import pysyntax, python_text, shallow_json
from guards.core.git import Git
from guards.core.links import follow
from guards.core.oids import blob_id
from guards.errors import GuardsError

if TYPE_CHECKING:
    from guards.collect.python.sources.lookahead import Lookahead
    from guards.collect.python.sources.reach import Reach

CONFTEST = "conftest.py"
FULL_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
STAR_IMPORT = re.compile(rb"(?m)^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]*\*")  # on one line
# A revision reads its whole tree's Python for its searches (hold) up to these bounds: past them
# the memory is too much, or the work per file costs more than a git grep per search.
MAX_HELD, MAX_HELD_FILES = 48 << 20, 10_000
# The bytes of a held tree one ``cat-file`` reads: a second process would take the core the
# run's own reads and parsing need, and one reads that much before the reach asks for it
# (pytest's 3.8 MB: its configuration read 8.7 -> 2.7 ms, the listing's pool forked 8.6 ms
# sooner in forty alternated rounds); sympy's 28 MB is read by two.
READ_ALONE = 8 << 20


class Revision:
    """One revision of one repository; FILES is its full listing when it is known."""

    def __init__(
        self, git: Git, rev: str, files: dict[str, str] | None = None, whole: bool = False
    ) -> None:
        self.git, self.rev, self.files = git, rev, files
        self.whole = whole  # listed whole (skips list): its reach reads every imported test module
        self._bytes: dict[str, bytes | None] = {}
        self._modules: dict[str, Module | None] = {}
        self._options: dict[str, AnalysisOptions] = {}  # how each module was analyzed
        self._plugins: dict[str, Module] = {}  # modules read like conftests (as_plugin)
        self._lookups: dict[tuple[str, str], Module | None] = {}
        self._fixture_lookups: dict[tuple[str, str], Module | None] = {}
        self._fixture_texts: dict[str, bool] = {}  # a module's text may define a fixture
        self._bindings: dict[str, frozenset[str] | None] = {}  # parsing/name_bindings.py
        self._chains: dict[str, list[Module]] = {}
        self._links: dict[str, str | None] = {}  # a symlinked test file -> where it ends
        self.sibling: tuple[Revision, tuple[str, ...]] | None = None
        self._texts: dict[str, bytes] = {}  # the text of a file Python reads otherwise
        self._candidates: set[str] | None = None  # for ``disguised``: offer_disguised
        self._tree: dict[str, bytes] | None = None  # every Python file's bytes: hold()
        self._oids: dict[str, str] = {}  # the blob of each held file
        self._pending: Callable[[], dict[str, bytes]] | None = None  # start_holding's
        self._unheld = False  # hold() found the tree past its bounds, or could not read it
        self.ahead: Lookahead | None = None  # a child analyzing ahead for it (lookahead.py)
        self.begun: dict[tuple[str, ...], Callable[[], Any]] = {}  # searches words.py began
        self.searched: dict[tuple[str, ...], Any] = {}  # words.py's searches, done once

    @cached_property
    def cache(self) -> fact_cache.FactCache:
        return fact_cache.for_git(self.git)

    def prefetch(self, paths: Iterable[str]) -> None:
        todo = [p for p in dict.fromkeys(paths) if p not in self._bytes]
        if self._tree is not None:  # read already
            self._bytes.update((p, self._tree[p]) for p in todo if p in self._tree)
            todo = [p for p in todo if p not in self._tree]
        if self.files is not None:
            known = [p for p in todo if p in self.files]
            self._bytes.update(dict.fromkeys(set(todo) - set(known)))
            todo = known
        specs = [self.files[p] if self.files is not None else f"{self.rev}:{p}" for p in todo]
        self._bytes.update(zip(todo, self.git.read_many(specs), strict=False))

    def hold(self) -> None:
        """Read every Python file of the tree, when together they are at most MAX_HELD bytes:
        the searches of the whole tree then run in memory (sources/words.py), where each ``git
        grep`` inflated every blob again. A head side reads only the files whose blob its base
        does not hold. ``start_holding`` may have started the reading earlier."""
        if self._tree is None and not self._unheld:
            self.start_holding()
            pending, self._pending = self._pending, None
            try:
                self._tree = pending() if pending is not None else None
            except GuardsError:  # a blob git could not give: its searches go to git grep
                self._tree = None
            self._unheld = self._tree is None  # past the bounds, or failed: not asked again

    def start_holding(self) -> None:
        """Start reading what ``hold`` holds, in other processes (core/git.py): a caller that
        knows the searches will come starts it before other work."""
        if self._tree is not None or self._pending is not None or self._unheld:
            return
        sized = self.git.sized_files(self.rev, ".py", MAX_HELD_FILES)
        if sized is None or sum(size for _, size in sized.values()) > MAX_HELD:
            self._unheld = True  # past the bounds: not listed again (hold() would ask)
            return
        other = self._other._held_blobs() if self._other else {}
        sizes = dict(sized.values())  # oid -> size, in the listing's order
        todo = [oid for oid in sizes if oid not in other]
        parts = 1 if sum(sizes[oid] for oid in todo) <= READ_ALONE else 2
        try:
            reading = self.git.start_reading(todo, parts)
        except GuardsError:  # no temporary file can be written: git grep searches instead
            self._unheld = True
            return
        self._oids = {p: oid for p, (oid, _) in sized.items()}

        def held() -> dict[str, bytes]:
            blobs = {**other, **dict(zip(todo, reading(), strict=True))}
            return {p: blobs[oid] for p, oid in self._oids.items()}

        self._pending = held

    @property
    def unheld(self) -> bool:
        """Whether ``hold`` will not hold the tree (past its bounds, or it could not be read),
        as far as ``start_holding`` learnt."""
        return self._unheld

    @property
    def held(self) -> dict[str, bytes] | None:
        """path -> bytes of every Python file, once ``hold`` read them; else None. A head side
        whose base holds its tree holds its own (only the changed files are read)."""
        if self._tree is None and self._other is not None and self._other._tree is not None:
            self.hold()
        return self._tree

    def _held_blobs(self) -> dict[str, bytes]:
        """blob oid -> bytes of every held file."""
        held = self._tree or {}
        return {oid: held[p] for p, oid in self._oids.items()}

    def read(self, path: str) -> bytes | None:
        if path in self._links:
            target = self._links[path]
            return None if target is None else self.read(target)
        if path not in self._bytes:
            self.prefetch([path])
        return self._bytes[path]

    def text(self, path: str) -> bytes | None:
        """What a search for words must read of PATH: its bytes, or the text Python reads from
        them where that differs (core/python_text.py)."""
        data = self.read(path)
        if data is None or python_text.plain(data):
            return data
        if path not in self._texts:  # decoded and normalized once, not once a search
            self._texts[path] = python_text.view(data)
        return self._texts[path]

    @cached_property
    def disguised(self) -> frozenset[str]:
        """The Python files whose text is not their bytes, which no search of bytes can judge
        (sources/disguised.py)."""
        from guards.collect.python.sources import disguised  # it reads this class

        return disguised.paths(self, self._candidates)

    def offer_disguised(self, candidates: set[str]) -> None:
        """CANDIDATES are the files a caller's search of the whole tree found matching
        python_text.MAY_DIFFER (sources/reach.py's search of import lines): ``disguised`` need not
        search."""
        if self._candidates is None:
            self._candidates = candidates

    def follow_link(self, path: str) -> None:
        """PATH is a symlink here: read it as pytest would, through its target (a dangling or
        escaping link holds no tests); a submodule on the way cannot be read: Undecidable."""
        followed = follow(self.git, self.rev, path)
        if followed.submodule:
            raise Undecidable(path, 0, f"{followed.why}: its tests are not in this repository")
        self._links[path] = followed.path

    def forget(self, paths: Iterable[str]) -> None:
        for path in paths:
            self._bytes.pop(path, None)

    def release(self, paths: Iterable[str]) -> int:
        """Forget the bytes and facts of PATHS (a caller streaming through a tree); how many
        of them had facts."""
        paths = list(paths)
        self.forget(paths)
        return sum(self._modules.pop(path, None) is not None for path in paths)

    @cached_property
    def commit(self) -> str | None:
        """The full id of the commit this revision is, None when it names none (a record kept
        by commit in the fact cache is then neither read nor written)."""
        return self.rev if FULL_SHA.fullmatch(self.rev) else self.git.try_resolve(self.rev)

    @cached_property
    def reach(self) -> Reach | None:
        """The names that may reach a skip here (sources/reach.py), computed on first use. A
        side whose other side prunes nothing (past the bounds, or it would not pay) prunes
        nothing either: its tree differs by the change alone, and pruning on one side and not
        the other changes no answer."""
        from guards.collect.python.sources import reach  # it reads this class

        if self.sibling is None:
            return reach.cached(self)
        other, changed = self.sibling
        if other.reach is None:
            return None
        return reach.cached(self, lambda: reach.reaching(self, other.reach, changed))

    def share_reach(self, other: Revision, changed: Iterable[str]) -> None:
        """Learn what may reach a skip from OTHER (the other side of a change) plus CHANGED."""
        self.sibling = (other, tuple(changed))

    @cached_property
    def raw_config(self) -> pyconfig.PytestConfig:
        self.prefetch(pyconfig.CONFIG_FILES)
        return pyconfig.load(self.read)

    @cached_property
    def selection(self) -> addopts.Selection:
        return addopts.parse(self.raw_config.addopts, self.raw_config.source or "addopts")

    @cached_property
    def config(self) -> pyconfig.PytestConfig:
        return self.raw_config.with_overrides(self.selection.overrides)

    def listing(self, paths: Iterable[str] = ()) -> dict[str, str]:
        """path -> oid below PATHS (the whole tree by default), from the known listing if any."""
        wanted = [p.strip("/") for p in paths]
        if self.files is not None:
            if not wanted or "" in wanted:
                return dict(self.files)
            return {p: o for p, o in self.files.items() if any(_below(p, w) for w in wanted)}
        return self.git.list_files(self.rev, [w for w in wanted if w])

    def exists(self, path: str) -> bool:
        """Whether PATH is a file or a folder at this revision."""
        if self.files is not None:
            return path in self.files or any(_below(p, path) for p in self.files)
        return self.git.tree_has(self.rev, path)

    def conftests(self, path: str) -> list[Module]:
        """The conftest modules that apply to PATH, from the root down: each folder's chain is
        its parent's plus its own conftest, so a deep tree is read once, not once per level."""
        folder = posixpath.dirname(path)
        if folder not in self._chains:
            missing = [d for d in ancestors(path) if d not in self._chains]
            self.prefetch(_conftest(d) for d in missing)
            for d in missing:  # shallowest first: the parent's chain is always known
                above = self._chains[posixpath.dirname(d)] if d else []
                here = self.analyzed(_conftest(d))
                self._chains[d] = [*above, here] if here else above
        return self._chains[folder]

    def analyzed(self, path: str, options: AnalysisOptions = DEFAULT_OPTIONS) -> Module | None:
        """The facts of PATH, None when it does not exist; NotParsable when it cannot parse."""
        if path not in self._modules:
            data = self.read(path)
            chosen = self.options(path) if options is DEFAULT_OPTIONS else options
            self._modules[path] = None
            if data is not None:
                self._one(_Todo(path, data, chosen, blob_id(data)))
        return self._modules[path]

    def _one(self, todo: _Todo) -> None:
        """TODO's facts from the fact cache, else from the other side's (incremental.py), else
        one analysis (then cached)."""
        if not self._found(todo) and _analyzed_again([(self, todo)]):
            from guards.collect.python.parsing.analyze import analyze  # the parser loads on use

            self._keep(todo, analyze(todo.path, todo.data, todo.options))

    @property
    def _other(self) -> Revision | None:
        """The other side of the change, when this is its head."""
        return self.sibling[0] if self.sibling else None

    def _again_item(self, todo: _Todo) -> Again | None:
        """What analyzing TODO again needs: the other side's facts of its path, analyzed
        under the same options, and their bytes; None when they are not known."""
        other = self._other
        if other is None or other._options.get(todo.path) != todo.options:
            return None
        before, old = other._modules.get(todo.path), other._bytes.get(todo.path)
        if before is None or old is None:
            return None
        return todo.path, todo.data, todo.options, before, old

    def _awaits(self, path: str, pending: Container[tuple[int, str]]) -> bool:
        """Whether the other side's facts of PATH are known, or PENDING (an analysis under
        way: (id of the revision, path)), so that this side's may come from them."""
        other = self._other
        if other is None:
            return False
        return other._modules.get(path) is not None or (id(other), path) in pending

    def options(self, path: str) -> AnalysisOptions:
        """How PATH is analyzed when no caller says: a test module as the gate's collector asks
        (its id strategy, with definitions), so that one analysis serves the change scope, the
        pruning and the collector (the fact cache holds it under those options)."""
        if is_test_module(path, self.config):
            return AnalysisOptions(long_strategy=self.config.long_strategy, with_defs=True)
        return DEFAULT_OPTIONS

    def analyze_many(self, paths: Iterable[str]) -> None:
        """Analyze the PATHS not analyzed yet at once: on every core when they are many
        (parsing/parallel.py). One that fails is left for analyzed() to report."""
        analyze_sides([(self, paths)])

    def _unanalyzed(self, paths: Iterable[str]) -> list[_Todo]:
        """The PATHS neither analyzed nor in the fact cache."""
        todo = [p for p in dict.fromkeys(paths) if p not in self._modules]
        self.prefetch(todo)
        items = [
            _Todo(p, d, self.options(p), blob_id(d))
            for p in todo
            if (d := self.read(p)) is not None
        ]
        return [item for item in items if not self._found(item)]

    def _found(self, todo: _Todo) -> bool:
        """Whether TODO's facts were in the fact cache (now held): the other side's, of the
        same bytes, may have been stored since TODO was listed; or a child analyzed them ahead."""
        found = self.cache.get(todo.key)
        if found is None and self.ahead is not None:
            found = self.ahead.take(todo.key)
        if found is not None:
            self._held(todo, found)
        return found is not None

    def _keep(self, todo: _Todo, answer: Answer) -> None:
        self._held(todo, self.cache.adopt(todo.key, answer))

    def _held(self, todo: _Todo, module: Module) -> None:
        """MODULE holds the facts of TODO's bytes: they parse (the suppressions guard need not
        parse them again to learn so: core/pysyntax.py)."""
        self._modules[todo.path] = module
        self._options[todo.path] = todo.options
        pysyntax.note(todo.blob)

    def as_plugin(self, path: str) -> Module:
        """The facts of PATH read like a conftest (a plugin pytest loads by name,
        sources/plugin_chain.py), once: apart from ``analyzed``'s, which read it as a module."""
        if path not in self._plugins:
            from guards.collect.python.parsing.analyze import analyze  # the parser loads on use

            self._plugins[path] = analyze(path, self.read(path) or b"", PLUGIN_OPTIONS)
        return self._plugins[path]

    def analyzed_with(self, path: str) -> AnalysisOptions | None:
        """The options PATH's facts were analyzed under, when they were (``known``)."""
        return self._options.get(path)

    def known(self, path: str) -> Module | None:
        """The facts of PATH when they were analyzed already (None otherwise, or when it does
        not parse)."""
        return self._modules.get(path)

    def unknown_key(self, path: str) -> str | None:
        """The fact cache key of PATH's facts (as ``analyzed`` asks for them) when neither this
        revision nor the cache holds them: analyzing it would run the parser."""
        data = None if path in self._modules else self.read(path)
        if data is None:
            return None
        key = fact_cache.key_for(path, blob_id(data), self.options(path))
        return None if self.cache.get(key) is not None else key

    def stop_ahead(self) -> None:
        """Stop the child analyzing ahead for this revision (lookahead.py), if any."""
        if self.ahead is not None:
            self.ahead.stop()
            self.ahead = None

    def forked(self) -> None:
        """In a forked child: forget what other processes read for the parent (a tree being
        held, searches begun: their temporary files and processes are the parent's) and any
        child of its own, and write nothing to the fact cache (FactCache.read_only: the parent
        stores what it takes)."""
        self._pending, self._unheld, self.ahead = None, self._tree is None, None
        self.begun = {}
        self.cache.read_only()

    def remember(self, module: Module, blob: str, options: AnalysisOptions) -> None:
        """MODULE, the facts of the bytes whose blob id is BLOB, analyzed under OPTIONS by
        another caller."""
        self._modules[module.path] = module
        self._options[module.path] = options
        pysyntax.note(blob)

    def module(self, dotted: str, from_path: str) -> Module | None:
        """The repository module DOTTED as imported from FROM_PATH, or None (not in the repo, or
        it does not parse: reported where a test file that imports it is read)."""
        key = (dotted, posixpath.dirname(from_path))
        if key not in self._lookups:
            path = self.module_path(dotted, from_path)
            try:
                self._lookups[key] = None if path is None else self.analyzed(path)
            except NotParsable:
                self._lookups[key] = None
        return self._lookups[key]

    def fixture_module(self, dotted: str, from_path: str, name: str = "") -> Module | None:
        """``module`` when DOTTED's text can define or import a fixture (it says "fixture" or
        imports with a star: linking/fixtures.py follows a module's imports into it), else None
        without analyzing it (sympy's tests import the library, which defines none). Asked for
        the fixture bound to NAME there, None too where the module, not analyzed yet, binds
        NAME only as a class (parsing/name_bindings.py: a conftest's ``import Pytester``)."""
        key = (dotted, posixpath.dirname(from_path))
        if key not in self._fixture_lookups:
            path = self.module_path(dotted, from_path)
            if path is None or not self._may_hold_fixtures(path):
                self._fixture_lookups[key] = None
            elif name and path not in self._modules and self._class_only(path, name):
                return None  # another name of it may be a fixture: nothing is kept
            else:
                self._fixture_lookups[key] = self.module(dotted, from_path)
        return self._fixture_lookups[key]

    def _class_only(self, path: str, name: str) -> bool:
        """Whether PATH binds NAME only as a class, read from one parse of it (its names kept,
        not its tree); False where it does not parse (its analysis says why)."""
        if path not in self._bindings:
            from guards.collect.python.parsing.analyze import parse  # the parser loads on use
            from guards.collect.python.parsing.name_bindings import bound_otherwise

            try:
                self._bindings[path] = bound_otherwise(parse(path, self.read(path) or b""))
            except NotParsable:
                self._bindings[path] = None
        bound = self._bindings[path]
        return bound is not None and name not in bound

    def _may_hold_fixtures(self, path: str) -> bool:
        if path not in self._fixture_texts:
            data = self.text(path) or b""
            found = b"fixture" in data or STAR_IMPORT.search(data) is not None
            self._fixture_texts[path] = found
        return self._fixture_texts[path]

    @property
    def import_roots(self) -> tuple[str, ...]:
        """Folders a module is found below from any file, besides the file's own folders
        (module_path; sources/reach.py prunes by the same list)."""
        return (*self.raw_config.pythonpath, "src")

    def module_path(self, dotted: str, from_path: str) -> str | None:
        """The file of the repository module DOTTED as imported from FROM_PATH (not read)."""
        rel = dotted.replace(".", "/")
        bases = [*reversed(ancestors(from_path)), *self.import_roots]
        candidates = [
            posixpath.normpath(posixpath.join(b, rel + suffix))
            for b in dict.fromkeys(bases)
            for suffix in (".py", "/__init__.py")
        ]
        self.prefetch(candidates)
        return next((c for c in candidates if self.read(c) is not None), None)

    def data(self, owner: Module, ref: DataRef) -> frozenset[str]:
        """The strings of a data file a conftest reads (a JSON list or object, or lines)."""
        what = f"{ref.name} is read from a data file"
        if not ref.path:
            raise Undecidable(owner.path, ref.line, f"{what} whose path is not a literal")
        raw = self.read(ref.path)
        if raw is None:
            raise Undecidable(owner.path, ref.line, f"{what} ({ref.path}) that does not exist")
        return parse_data(raw, ref, owner.path)


def analyze_sides(
    wanted: Iterable[tuple[Revision, Iterable[str]]], meanwhile: Callable[[], None] | None = None
) -> None:
    """``analyze_many`` of several revisions (a change's two sides) in one pool: the files of
    both go to every core together, not one side after the other. A head file whose base is
    analyzed in this pool, under the same options, goes with it to the same worker and is
    analyzed again from its facts there (most of a changed file is not: parsing/incremental.py);
    one whose other side is known already is analyzed again so after the pool, and one of the
    same bytes is taken from the fact cache, where its other side's facts are by then.
    MEANWHILE runs while the pool does (parallel.analyze_chains); not at all where none pays."""
    todo = [(rev, item) for rev, paths in wanted for item in rev._unanalyzed(paths)]
    pending = {(id(rev), item.path): item for rev, item in todo}
    follow: dict[tuple[int, str], list[tuple[Revision, _Todo]]] = {}
    leads, later = [], []
    for rev, item in todo:
        lead = pending.get((id(rev._other), item.path)) if rev._other else None
        if lead is not None and lead.options == item.options and lead.blob != item.blob:
            follow.setdefault((id(rev._other), item.path), []).append((rev, item))
        elif rev._awaits(item.path, pending):
            later.append((rev, item))
        else:
            leads.append((rev, item))
    chains = [(rev, item, follow.get((id(rev), item.path), [])) for rev, item in leads]
    _chain_pool(chains, meanwhile)
    _pooled(_analyzed_again([(rev, item) for rev, item in later if not rev._found(item)]))


def _chain_pool(
    chains: list[tuple[Revision, _Todo, list[tuple[Revision, _Todo]]]],
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """Each chain's file, then its other sides from its facts (parallel.analyze_chains)."""
    done = analyze_chains(
        [(_item(t), tuple(_item(f) for _, f in rest)) for _, t, rest in chains], meanwhile
    )
    for (rev, item, rest), answers in zip(chains, done, strict=True):
        for (side, todo), module in zip([(rev, item), *rest], answers, strict=True):
            if module is not None:
                side._keep(todo, module)


def _item(todo: _Todo) -> tuple[str, bytes, AnalysisOptions]:
    return todo.path, todo.data, todo.options


def _analyzed_again(todo: list[tuple[Revision, _Todo]]) -> list[tuple[Revision, _Todo]]:
    """Analyze TODO's files again from their other side's facts, on every core when many;
    the ones that cannot be served so."""
    ready = [(rev, item, found) for rev, item in todo if (found := rev._again_item(item))]
    done = analyze_again_all([found for _, _, found in ready])
    for (rev, item, _), module in zip(ready, done, strict=True):
        if module is not None:
            rev._keep(item, module)
    return [(rev, item) for rev, item in todo if rev._modules.get(item.path) is None]


def _pooled(todo: list[tuple[Revision, _Todo]]) -> None:
    done = analyze_items([(t.path, t.data, t.options) for _, t in todo])
    for (rev, item), (_, module) in zip(todo, done, strict=True):
        if module is not None:
            rev._keep(item, module)


class _Todo(NamedTuple):
    """A file to analyze: its bytes, the options, and its blob id (the fact cache's key and
    what pysyntax notes), computed once."""

    path: str
    data: bytes
    options: AnalysisOptions
    blob: str

    @property
    def key(self) -> str:
        return fact_cache.key_for(self.path, self.blob, self.options)


def parse_data(raw: bytes, ref: DataRef, owner: str) -> frozenset[str]:
    text = raw.decode("utf-8", errors="replace")
    if not ref.path.endswith(".json"):
        lines = (line.strip() for line in text.splitlines())
        return frozenset(line for line in lines if line and not line.startswith("#"))
    try:
        doc = shallow_json.loads(text)
    except ValueError as exc:
        raise Undecidable(owner, ref.line, f"{ref.path} is not valid JSON ({exc})") from exc
    values = list(doc) if isinstance(doc, (list, dict)) else [doc]
    if not all(isinstance(v, str) for v in values):
        raise Undecidable(owner, ref.line, f"{ref.path} is not a list of node ids")
    return frozenset(values)


def _below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def _conftest(folder: str) -> str:
    return posixpath.join(folder, CONFTEST) if folder else CONFTEST
