"""Collect the tests of some files at one revision: decide, read in bulk, parse, link, select."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import cached_property
from typing import Any

from guards.collect import cache as fact_cache
from guards.collect.model import FileResult, NotParsable, Undecidable
from guards.collect.python.config import paths as discovery
from guards.collect.python.config.roots import collection_roots
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import IgnoreGap, IgnoreList, Module
from guards.collect.python.parsing.options import AnalysisOptions
from guards.collect.python.parsing.parallel import (
    Failure,
    analyze_all,
    analyze_one,
    can_fork,
    map_forked,
    pays,
    rebuild,
)
from guards.collect.python.sources import plugin_chain
from guards.collect.python.sources.prefilter import Prefilter
from guards.collect.python.sources.reach import modules_named
from guards.collect.python.sources.revision import Revision
from guards.core.oids import blob_id
from guards.core.records import record
from guards.errors import GuardsError

LINK_THRESHOLD = 2_000  # functions to link before a pool pays its start-up (~5 ms a hundred)


@record
class Request:
    """Which files to collect and how.

    dormant: where to read files pytest would not collect too (where base tests may have gone);
    prefilter: skip files whose bytes cannot hold a skip, and return only tests with a skip
        (only the skip set is wanted);
    defs: record every function definition (to tell a removed test from a hidden one).
    """

    paths: tuple[str, ...]
    dormant: frozenset[str] = frozenset()
    prefilter: bool = False
    defs: bool = False
    names: tuple[str, ...] = ()  # names known to skip when imported (for the prefilter)
    modules: tuple[str, ...] = ()  # the tree's modules named like one (reach.modules_named)
    strict: bool = True  # a file that does not parse is an error (else: it holds no tests)
    whole: bool = False  # a whole tree's listing: only tests with a skip, no facts kept, and
    # the prefilter and its names the revision's reach, asked once the files are decided


@record
class Stored:
    """Files to collect: their bytes, blob ids and fact cache keys under OPTIONS, and the
    facts the cache holds for them (read once, whichever way they are analyzed)."""

    options: AnalysisOptions
    pairs: list[tuple[str, bytes]]
    blobs: dict[str, str]
    keys: dict[str, str]
    known: dict[str, Module]


@record
class Linked:
    """A worker's answer for a file it analyzed and linked (Collector._analyzed_linked): the
    facts' bytes where the fact cache stores them, and the result or what linking raised."""

    raw: bytes | None
    result: FileResult | GuardsError


class Collector:
    def __init__(self, rev: Revision) -> None:
        self.rev = rev
        self._data: dict[str, dict[str, frozenset[str]]] = {}
        self._ignores: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {}
        self._gaps: dict[str, list[tuple[str, IgnoreGap]]] = {}  # dir -> (joined prefix, gap)
        self._follows: dict[tuple[IgnoreList, str], IgnoreList] = {}

    @cached_property
    def resolver(self) -> Resolver:
        """The linker's, pruned by the revision's reach: asked on first use (a listing decides
        which files pytest collects first, while git reads the tree the reach searches)."""
        return Resolver(self.rev, self.rev.reach)

    def collect(self, request: Request) -> dict[str, FileResult]:
        for path in request.paths:
            discovery.check_depth(path)
        rev = self.rev
        cfg, sel = rev.config, rev.selection
        roots = collection_roots(rev, cfg, sel)
        rev.prefetch(c for p in request.paths for c in _conftest_paths(p))
        venvs = self._virtualenvs(request.paths)
        decisions = {
            p: discovery.decide(p, cfg, sel, roots, self.ignores, venvs) for p in request.paths
        }
        wanted = [p for p, d in decisions.items() if d.status != "excluded" or p in request.dormant]
        wanted = [p for p in wanted if p.endswith(".py")]
        if request.whole:
            request = self._pruned(request)
        if request.prefilter:
            chosen = Prefilter(rev, sel, request.names, self._conftests).select(wanted)
            wanted = [p for p in wanted if decisions[p].status != "collect" or p in chosen]
        rev.prefetch(wanted)
        results = {
            p: FileResult(p, excluded=d.why if d.status == "excluded" else "")
            for p, d in decisions.items()
        }
        results.update(self._collected(wanted, decisions, request))
        return results

    def _pruned(self, request: Request) -> Request:
        """A whole tree's REQUEST with the names that reach a skip through any chain of helpers
        (sources/reach.py) picking the files to parse; past its bounds, or where it cannot pay,
        the chain is unknown and every file is parsed."""
        _load_linker()  # while git reads the tree the reach waits for: each worker did after
        reach = self.rev.reach
        if reach is None:
            return replace(request, prefilter=False, names=())
        names, modules = tuple(sorted(reach.names)), modules_named(reach, self.rev.files or ())
        return replace(request, prefilter=True, names=names, modules=modules)

    def _collected(
        self, paths: list[str], decisions: Mapping[str, discovery.Decision], request: Request
    ) -> dict[str, FileResult]:
        """Each of PATHS analyzed and linked, in order (none for a file that does not parse
        where that is allowed)."""
        stored = self._stored(paths, self._options(request))
        fresh = [len(data) for path, data in stored.pairs if path not in stored.known]
        if request.whole and pays(fresh):
            found = self._linked_where_analyzed(stored, decisions, request)
        else:
            modules = self._analyze(stored, decisions, request)
            found = dict(zip(modules, self._link_all(modules, decisions, request), strict=True))
        self.rev.forget(paths)
        self.rev.cache.trim()
        return found

    def _stored(self, paths: list[str], options: AnalysisOptions) -> Stored:
        """PATHS' bytes, and the facts the fact cache holds for them under OPTIONS, or that
        this process holds with every body read (_read_whole)."""
        pairs = [(p, d) for p in paths if (d := self.rev.read(p)) is not None]
        blobs = {p: blob_id(d) for p, d in pairs}
        keys = {p: fact_cache.key_for(p, blobs[p], options) for p in blobs}
        known = {p: m for p, key in keys.items() if (m := self.rev.cache.get(key)) is not None}
        for path in keys.keys() - known.keys() if options.lazy_bodies else ():
            if (module := self._read_whole(path, options)) is not None:
                known[path] = self.rev.cache.adopt(keys[path], module)
        return Stored(options, pairs, blobs, keys, known)

    def _read_whole(self, path: str, options: AnalysisOptions) -> Module | None:
        """PATH's facts as reach analyzed them (sympy's listing: seven test modules other tests
        import helpers from, 0.43 MB), every body read: what reading only the bodies that can
        reach a skip finds (OPTIONS.lazy_bodies), and more, which the linker finds again. Their
        definitions and spans, which such OPTIONS do not ask for, are left out."""
        held, how = self.rev.known(path), self.rev.analyzed_with(path)
        whole = replace(options, lazy_bodies=False, known=(), modules=())
        if held is None or how is None or replace(how, with_defs=False, spans=False) != whole:
            return None
        return replace(held, defs=(), bodies=())

    def _linked_where_analyzed(
        self, stored: Stored, decisions: Mapping[str, discovery.Decision], request: Request
    ) -> dict[str, FileResult]:
        """A whole tree's files (Request.whole, where the files the cache does not hold are
        worth a pool: parsing/parallel.py's bound), each linked by the worker that analyzed
        it: its facts never cross back, its tests with a skip do (and the facts' bytes where
        the fact cache stores them). One pool where there were two, and no facts pickled, sent
        and read again (pytest's listing: 2.3 MB of tests, 0.7 MB of facts). Errors are raised
        in the order a request raises them: an undecidable file first, then one that does not
        parse, then what linking raised."""
        work = [(p, stored.known.get(p) or d) for p, d in stored.pairs]
        answers = map_forked(
            lambda item: self._analyzed_linked(item, stored.options, decisions[item[0]], request),
            work,
            [len(d) for _, d in stored.pairs],
        )
        paths = [p for p, _ in stored.pairs]
        return self._answered(paths, answers, decisions, request, stored.keys)

    def _analyzed_linked(
        self,
        item: tuple[str, bytes | Module],
        options: AnalysisOptions,
        decision: discovery.Decision,
        request: Request,
    ) -> Failure | Linked:
        """In a worker: ITEM's facts (from its bytes, or as the cache held them), linked; or
        why the file has none. The facts' bytes go back where the fact cache stores them."""
        path, held = item
        module = held if isinstance(held, Module) else analyze_one(path, held, options)
        if isinstance(module, tuple):
            return module
        raw = None if isinstance(held, Module) else self.rev.cache.encoded(module)
        return Linked(raw, _caught(self._linked, module, decision, request))

    def _answered(
        self,
        paths: list[str],
        answers: list[Any],
        decisions: Mapping[str, discovery.Decision],
        request: Request,
        keys: Mapping[str, str],
    ) -> dict[str, FileResult]:
        """The results of ``_linked_where_analyzed``'s ANSWERS, the facts' bytes stored."""
        pairs = list(zip(paths, answers, strict=True))
        failed = [(p, rebuild(a)) for p, a in pairs if not isinstance(a, Linked)]  # raises
        for path, exc in failed:  # ... the first undecidable file, then the first unparsable
            strict = request.strict and decisions[path].status != "excluded"
            if strict and isinstance(exc, NotParsable):
                raise exc
        out: dict[str, FileResult] = {}
        for path, answer in ((p, a) for p, a in pairs if isinstance(a, Linked)):
            if isinstance(answer.result, GuardsError):
                raise answer.result
            if answer.raw is not None:
                self.rev.cache.put_raw(keys[path], answer.raw)
            out[path] = answer.result
        return out

    def _link_all(
        self,
        modules: Mapping[str, Module],
        decisions: Mapping[str, discovery.Decision],
        request: Request,
    ) -> list[FileResult]:
        """Each module linked, in order: on every core when they hold many functions (sympy's
        288 listed test modules: 10,000 tests). Each result crosses back from its worker
        with only the tests a listing keeps; the first error in the modules' order is raised,
        as linking them one after the other would."""
        sizes = [_functions(m) for m in modules.values()]
        if sum(sizes) < LINK_THRESHOLD or not can_fork():
            return [self._linked(m, decisions[m.path], request) for m in modules.values()]
        linked = map_forked(
            lambda m: _caught(self._linked, m, decisions[m.path], request),
            list(modules.values()),
            sizes,
        )
        for result in linked:
            if isinstance(result, GuardsError):
                raise result
        return linked

    def _linked(self, module: Module, decision: discovery.Decision, request: Request) -> FileResult:
        wanted = request.prefilter or request.whole  # only the tests with a skip
        result = self._link(module, decision, wanted)
        if not wanted:
            return result
        return replace(result, tests=tuple(t for t in result.tests if t.skips))

    def _virtualenvs(self, paths: Iterable[str]) -> frozenset[str]:
        """Folders above PATHS that hold a virtualenv marker: one tree listing, or none."""
        markers = discovery.venv_markers(paths)
        files = self.rev.files
        if files is not None:
            return discovery.venv_folders(m for m in markers if m in files)
        found = self.rev.git.list_files(self.rev.rev, sorted(markers)) if markers else {}
        return discovery.venv_folders(found)

    def _options(self, request: Request) -> AnalysisOptions:
        return AnalysisOptions(
            long_strategy=self.rev.config.long_strategy,
            with_defs=request.defs,
            lazy_bodies=request.prefilter,
            known=request.names,
            modules=request.modules,
            spans=not request.whole,  # a listing reads one revision: no other reuses its facts
        )

    def _analyze(
        self, stored: Stored, decisions: Mapping[str, discovery.Decision], request: Request
    ) -> dict[str, Module]:
        known, options = stored.known, stored.options
        fresh = dict(analyze_all([(p, d) for p, d in stored.pairs if p not in known], options))
        out: dict[str, Module] = {}
        for path, _ in stored.pairs:
            answer = known.get(path) or fresh[path]
            if isinstance(answer, NotParsable):
                if decisions[path].status != "excluded" and request.strict:
                    raise answer
                continue
            out[path] = known.get(path) or self.rev.cache.adopt(stored.keys[path], answer)
            self.rev.remember(out[path], stored.blobs[path], options)
        return out

    def _link(
        self, module: Module, decision: discovery.Decision, skipped_only: bool = False
    ) -> FileResult:
        """MODULE's tests; SKIPPED_ONLY: only those with a skip are wanted (the others may be
        left out: Linker)."""
        # The linker loads with the first module read: a change with no test in it never pays.
        from guards.collect.python.linking.generated import check_generated
        from guards.collect.python.linking.link import Linker
        from guards.collect.python.linking.select import (
            apply_hooks,
            apply_selection,
            mark_ignored,
            may_add_skips,
            package_inits,
            package_skips,
        )

        conftests = self._conftests(module.path)
        inits = package_inits(self.rev.analyzed, module.path)
        if decision.status != "excluded":
            _raise_undecidable([*conftests, *inits, module])
            self._raise_gap(module.path)
            check_generated(module, self.rev.config)
        selection = self.rev.selection
        only = skipped_only and decision.status == "collect"
        only = only and not may_add_skips(conftests, inits, selection, decision.nodeids)
        items = Linker(module, self.rev.config, self.resolver, conftests, only).items()
        items = package_skips(items, inits)
        items = apply_hooks(items, conftests, self._data_of, selection.given)
        items = apply_selection(items, selection, self.rev.config.source, decision.nodeids)
        if decision.status == "ignored":
            items = mark_ignored(items, decision.why, "")
        if decision.status == "excluded":
            return FileResult(
                module.path, dormant=tuple(items), excluded=decision.why, defs=module.defs
            )
        return FileResult(module.path, tests=tuple(items), defs=module.defs)

    def _conftests(self, path: str) -> list[Module]:
        """The conftests above PATH after the plugins they and addopts load (``-p``,
        ``pytest_plugins``) and the modules they star-import: what the linker reads as them."""
        conftests = self.rev.conftests(path)
        return [*self._plugins(conftests), *self._with_stars(conftests)]

    def _plugins(self, conftests: list[Module]) -> list[Module]:
        """The plugin modules (``-p``, ``pytest_plugins``, and those they list in turn) read
        like conftests (sources/plugin_chain.py)."""
        named = [(p, "pytest.ini/pyproject addopts", 1) for p in self.rev.selection.plugins]
        for conftest in conftests:
            info = conftest.conftest
            named += [(n, conftest.path, line) for n, line in (info.plugins if info else ())]
        return plugin_chain.loaded(self.rev, named)

    def _with_stars(self, conftests: list[Module]) -> list[Module]:
        """Each conftest after the repository modules it star-imports, read like conftests:
        pytest registers a conftest's namespace, so their hooks and fixtures are the conftest's
        (its own definitions win). A star import from outside the repository adds nothing."""
        out = []
        for conftest in conftests:
            for dotted in conftest.stars:
                found = self.rev.module(dotted, conftest.path)
                out += [self.rev.as_plugin(found.path)] if found is not None else []
            out.append(conftest)
        return out

    def _data_of(self, conftest: Module) -> dict[str, frozenset[str]]:
        if conftest.path not in self._data:
            refs = conftest.conftest.data if conftest.conftest else ()
            self._data[conftest.path] = {r.name: self.rev.data(conftest, r) for r in refs}
        return self._data[conftest.path]

    def ignores(self, directory: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
        """collect_ignore and collect_ignore_glob of the nearest conftest defining each."""
        if directory not in self._ignores:
            self._ignores[directory] = self._nearest_ignores(directory)
        return self._ignores[directory]

    def _nearest_ignores(self, directory: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
        conftests = self.rev.conftests(posixpath.join(directory, "x") if directory else "x")
        paths: tuple[str, ...] = ()
        globs: tuple[str, ...] = ()
        source = ""
        gaps: list[tuple[str, IgnoreGap]] = []
        for conftest in reversed(conftests):
            info = conftest.conftest
            if info is None:
                continue
            base = posixpath.dirname(conftest.path)
            if not paths and info.collect_ignore is not None:
                listed = self._followed(info.collect_ignore, conftest.path)
                paths, source = _joined(base, listed.paths), conftest.path
                gaps += [(_prefix(base, g.prefix), g) for g in listed.gaps]
            if not globs and info.collect_ignore_glob is not None:
                listed = self._followed(info.collect_ignore_glob, conftest.path)
                globs, source = _joined(base, listed.paths), source or conftest.path
                gaps += [(_prefix(base, g.prefix.split("*")[0]), g) for g in listed.gaps]
        self._gaps[directory] = [(p, replace(g, path=g.path or source)) for p, g in gaps]
        return paths, globs, source

    def _followed(self, listed: IgnoreList, owner: str) -> IgnoreList:
        """LISTED followed into the functions it calls, once per conftest: every folder below
        it asks (sympy's root list calls a 100 KB module's function; 20 folders a change)."""
        key = (listed, owner)
        if key not in self._follows:
            from guards.collect.python.linking.ignores import followed  # loaded on use

            self._follows[key] = followed(listed, owner, self.resolver, self.rev)
        return self._follows[key]

    def _raise_gap(self, path: str) -> None:
        """An ignore-list entry that is not known and could name PATH: undecidable."""
        directory = posixpath.dirname(path)
        self.ignores(directory)
        for prefix, gap in self._gaps.get(directory, []):
            if path.startswith(prefix):
                raise Undecidable(gap.path, gap.line, f"{gap.what} (it could ignore {path})")


def _load_linker() -> None:
    """Import what ``_link`` imports: a whole tree's listing links every file it analyzes, in
    the pool's workers, and each of them imported it anew after the fork (3 ms of pytest's)."""
    from guards.collect.python.linking import generated, link, select  # noqa: F401 -- loaded here


def _joined(base: str, entries: Iterable[str]) -> tuple[str, ...]:
    return tuple(posixpath.normpath(posixpath.join(base, e)).strip("/") for e in entries)


def _prefix(base: str, prefix: str) -> str:
    """A path prefix from the conftest folder BASE (a partial name stays partial)."""
    return posixpath.join(base, prefix) if base else prefix


def _conftest_paths(path: str) -> list[str]:
    return [
        posixpath.join(d, "conftest.py") if d else "conftest.py" for d in discovery.ancestors(path)
    ]


def _functions(module: Module) -> int:
    return len(module.functions) + sum(len(c.methods) for c in module.classes)


def _caught(
    link: Callable[[Module, discovery.Decision, Request], FileResult],
    *args: Any,
) -> FileResult | GuardsError:
    """LINK's result for ARGS, or the error it raised (it crosses back from a worker as a
    value)."""
    try:
        return link(*args)
    except GuardsError as exc:
        return exc


def _raise_undecidable(modules: list[Module]) -> None:
    for module in modules:
        for line, what in module.undecidable:
            raise Undecidable(module.path, line, what)
