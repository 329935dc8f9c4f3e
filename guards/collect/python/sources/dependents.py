"""The tests a changed helper reaches: a module that is not read as a test file can still change
the skip state of every test that imports it (a mark alias that becomes ``pytest.mark.skip``, a
helper function that starts to call ``pytest.skip()``, a base class that gains an ``__init__``).

Contract: ``reached(changed, base, head)`` names the Python files the change must also read on
both sides, or None when the search outgrew its bounds (then the whole tree is in scope: slower,
never wrong). Work is in proportion to what changed, in rounds:

1. Each changed module's exports are described on both sides by what using them reaches (the
   skip symbol, through aliases, re-exports and helper calls, by the linker's own Resolver), and
   a class, its own or imported, by what a subclass inherits (constructor, ``__test__``, marks,
   skipping methods), an alias of a module by the module's file.
   Only names whose description differs are *changed names*, with, to a fixed point, the
   module's exports that use one (``needs()`` calling its module's ``Env.require_gpu()`` has the
   same facts on both sides); a module whose every description is the same cannot move a test's
   skip state (sympy's library modules, almost always).
2. One word search per side (words.py) for the changed names finds who uses them. A test file or
   conftest among the hits joins the scope; a helper among them is described in the next round,
   for the names that use the changed ones (``soon = later`` re-exported, a wrapper function).

The trap: a word search over-approximates (a file that says ``later`` without importing it is
read for nothing), which is the safe side; a name looked up at run time (``getattr(m, name)``) is
the collector's to call undecidable where it reads it. Bounds: MAX_ROUNDS rounds and MAX_FILES
files, checked before each round's work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.config.paths import is_test_module, name_matches
from guards.collect.python.linking.resolve import Resolver, find_class
from guards.collect.python.parsing.facts import HOOK_PREFIX, Func, Klass, Module, is_hook
from guards.collect.python.sources import disguised, lookahead, reach, words
from guards.collect.python.sources.reach import own_name
from guards.collect.python.sources.revision import Revision, analyze_sides
from guards.core.records import record

MAX_ROUNDS = 8
MAX_FILES = 2_000
CONFTEST = "conftest.py"
PYTESTMARK = "pytestmark"
LINES = re.compile(r"line=\d+|test_attr_line=\d+")  # where a fact sits is not what it means
STAR_IMPORT = re.compile(rb"import\s*\*")


@record
class Reached:
    paths: frozenset[str]
    why: tuple[str, ...]


class _Side:
    """One revision's modules and their resolver."""

    def __init__(self, rev: Revision) -> None:
        self.rev, self.resolver = rev, Resolver(rev, rev.reach)

    def module(self, path: str) -> Module | None:
        try:
            return self.rev.analyzed(path)
        except NotParsable:
            return None  # reported where a test file that imports it is read

    def describe(self, module: Module | None, name: str, imports: bool = True) -> str | None:
        """What a test that uses NAME from MODULE gets that bears on skipping, or None; a class
        or a decorator MODULE imports is followed only with IMPORTS."""
        value = module.exports.get(name) if module else None
        if module is None or value is None:
            return None
        try:
            found = self._class(module, value, imports)
            if found is not None:
                return self._inherited(self.resolver.mro(*found))
            hit = self.resolver.symbol(module, value)
        except Undecidable as exc:
            return re.sub(r"\d+", "#", f"undecidable: {exc.path}: {exc.what}")  # lines aside
        if hit is not None:
            return f"reaches {hit.sym}"
        told = self._module_alias(module, value) or self._test_function(module, name, value)
        if self._gives_no_function(module, value, imports):  # a test it decorates is not one
            return f"{told or ''} gives no function"
        return told

    def _gives_no_function(self, module: Module, value: str, imports: bool) -> bool:
        """Whether VALUE names a function whose call gives no function; one MODULE imports is
        followed only with IMPORTS, as a class is (_differs: sympy's changed modules import
        ``PurePoly`` and ``AlgebraicNumber``, and following each analyzed its module)."""
        if not (imports or value.startswith("local:")):
            return False
        return self.resolver.gives_no_function(module, value)

    def _test_function(self, module: Module, name: str, value: str) -> str | None:
        """A function a test module that imports it collects as a test (its name matches
        ``python_functions``): its marks and ``__test__`` (``@pytest.mark.skip`` added to a
        shared ``test_common``)."""
        if not value.startswith("local:") or not name_matches(
            name, self.rev.config.python_functions
        ):
            return None
        func = next((f for f in module.functions if f.name == value[6:]), None)
        return LINES.sub("", f"a test {func.marks!r} {func.test_attr!r}") if func else None

    def _class(self, module: Module, value: str, imports: bool) -> tuple[Module, Klass] | None:
        """The repository class VALUE names: defined in MODULE, or imported, with IMPORTS
        (``from lib.bases import WithInit as Base``: switching what it names changes what a
        subclass inherits); or the class VALUE is an instance of (``env = Env()``: what
        ``env.require_gpu()`` reaches changes with Env's methods)."""
        value = value.removeprefix("call:")
        if value.startswith("class:"):
            return find_class(module, value[6:])
        if not imports or ":" in value:
            return None
        owner, meant = self.resolver.meaning(value, module)
        return find_class(owner, meant[6:]) if meant.startswith("class:") else None

    def _module_alias(self, module: Module, value: str) -> str | None:
        """The file an export names when it is a module (``g`` for ``from tests.helpers import
        gates as g``): switching it to another module changes what ``g.needs_net()`` reaches."""
        path = self.rev.module_path(value, module.path) if ":" not in value else None
        return None if path is None else f"the module {path}"

    def _inherited(self, mro: list[tuple[Module, Klass]]) -> str:
        """What a subclass inherits along MRO: constructors, ``__test__``, marks, and what each
        method reaches (a test method that calls ``self.helper()``); then the same of each
        class nested in the first (``Env.Gpu.require()``: its own nested classes only, as the
        resolver finds them, so a nested class deriving from its outer one ends)."""
        parts = [self._facts(module, klass, mro) for module, klass in mro]
        module, first = mro[0]
        nested = [
            f"{k.name}: {self._inherited(self.resolver.mro(module, k))}" for k in first.nested
        ]
        return " | ".join(parts + nested)

    def _facts(self, module: Module, klass: Klass, mro: list[tuple[Module, Klass]]) -> str:
        reach = [
            (f.name, f.marks, self.resolver.refs(module, f.refs, mro, 1)) for f in klass.methods
        ]
        facts = (
            klass.has_init,
            klass.test_attr,
            klass.marks,
            [r for r in reach if r[1] or r[2] or r[0].startswith("test")],
        )
        return LINES.sub("", repr(facts))


def reached(changed: Sequence[str], base: Revision, head: Revision) -> Reached | None:
    if not changed:  # no module changed: nobody's use of one did (no tree to read, no reach)
        return Reached(frozenset(), ())
    # The changed modules first, both sides in one pool: the head side's reach (a _Side's
    # resolver asks for it) reads some of them, and would otherwise analyze them on its own.
    warm = reach.prepare(base)  # the base's tree is read meanwhile, for the reach _Side asks for
    analyze_sides([(base, changed), (head, changed)], warm)  # and searched while the pool runs
    lookahead.start((base, head), changed)  # their classes' bases, on the core left idle
    sides = (_Side(base), _Side(head))
    frontier = {path: frozenset[str]() for path in changed}  # path -> the names it may use
    seen: set[str] = set(frontier)  # the changed modules, then every user found
    why: list[str] = []
    for _ in range(MAX_ROUNDS):
        names = _changed_names(sides, frontier)
        if not names:
            return Reached(frozenset(seen - set(changed)), tuple(why))
        hits = (_users(sides, names) | _star_users(sides, names)) - seen
        if len(seen) + len(hits) > MAX_FILES:
            return None
        seen |= hits
        why += [f"{', '.join(sorted(n))} changed in {p}" for p, n in names.items()]
        frontier = {path: frozenset().union(*names.values()) for path in hits if _helper(path)}
    return None


def _changed_names(
    sides: tuple[_Side, _Side], frontier: dict[str, frozenset[str]]
) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    analyze_sides([(side.rev, frontier) for side in sides])  # on every core, both at once
    for path, uses in frontier.items():
        base, head = (side.module(path) for side in sides)
        # A test module is read whole anyway: only its classes can change another file's tests.
        test = is_test_module(path, sides[1].rev.config)
        only = _classes(base) | _classes(head) if test else None
        b, h = _definitions(base, only), _definitions(head, only)
        candidates = _candidates(b, h) if not uses else _using(b, h, uses)
        differ = _differing(sides, (base, head), (b, h), candidates)
        if not test and _marks(base) != _marks(head):
            differ.add(PYTESTMARK)  # a test module may import it (``from m import pytestmark``)
        if not test and _helper(path):  # a conftest's hooks are its own folder's (_widen)
            differ |= _hooks(base) | _hooks(head)
        if differ:
            out[path] = differ
    return out


def _differing(
    sides: tuple[_Side, _Side],
    modules: tuple[Module | None, Module | None],
    texts: tuple[dict[str, str], dict[str, str]],
    candidates: set[str],
) -> set[str]:
    """The CANDIDATES that mean something else on each side, and the module's exports that use
    one of those, to a fixed point: ``needs()`` calling its module's ``Env.require_gpu()``, or
    ``env = Env()``, has the same facts on both sides while what it reaches changed. Each
    export is described once."""
    differ: set[str] = set()
    asked: set[str] = set()
    while candidates:
        asked |= candidates
        new = {n for n in candidates if _differs(sides, *modules, n)}
        differ |= new
        candidates = _using(*texts, frozenset(new)) - asked if new else set()
    return differ


def _differs(
    sides: tuple[_Side, _Side], base: Module | None, head: Module | None, name: str
) -> bool:
    """Whether NAME of a changed module means something else to a test on each side. A class
    the module imports is followed only where both sides bind NAME: bound on one side alone, it
    changes only the files that import it from here, which could not do so on the other side
    (they changed too, or failed to import). sympy's new modules import existing classes, and
    the files that name those are most of the tree."""
    both = all(m is not None and name in m.exports for m in (base, head))
    return sides[0].describe(base, name, both) != sides[1].describe(head, name, both)


def _marks(module: Module | None) -> str:
    """MODULE's ``pytestmark``, lines aside (none where it does not exist)."""
    return LINES.sub("", repr(module.marks if module else ()))


def _hooks(module: Module | None) -> set[str]:
    """The hooks MODULE defines (``pytest_collection_modifyitems``): a conftest that imports
    one runs its body, which no description of its facts holds; a changed module's hooks are
    changed names, always."""
    funcs = module.functions if module else ()
    return {f.name for f in funcs if is_hook(f.name)}


def _classes(module: Module | None) -> set[str]:
    """The exports of MODULE that are classes."""
    exports = module.exports if module else {}
    return {name for name, value in exports.items() if value.startswith("class:")}


def _candidates(b: dict[str, str], h: dict[str, str]) -> set[str]:
    """Exports whose binding or definition differs between the sides (lines aside)."""
    return {n for n in b.keys() | h.keys() if b.get(n) != h.get(n)}


def _using(b: dict[str, str], h: dict[str, str], uses: frozenset[str]) -> set[str]:
    """Exports of an unchanged-or-changed helper that use one of USES (an alias, a call)."""
    return {
        n
        for n, text in (b | h).items()
        if any(re.search(rf"\b{re.escape(u)}\b", text) for u in uses)
    }


def _definitions(module: Module | None, only: set[str] | None = None) -> dict[str, str]:
    """Export name -> its binding and, for a function or class of the module, its facts; the
    exports named ONLY when given (a fact's text is the costly part: a module's every test)."""
    if module is None:
        return {}
    local: dict[str, Func | Klass] = {f.name: f for f in module.functions}
    local |= {k.name: k for k in module.classes}
    return {
        name: LINES.sub("", f"{value} {local.get(value.partition(':')[2], '')!r}")
        for name, value in module.exports.items()
        if only is None or name in only
    }


def _users(sides: tuple[_Side, _Side], names: dict[str, set[str]]) -> set[str]:
    said = set().union(*names.values())
    hits: set[str] = set()
    for side in sides:
        hits |= words.saying(side.rev, said)
    return hits


def _star_users(sides: tuple[_Side, _Side], names: dict[str, set[str]]) -> set[str]:
    """The files that import a changed module with a star (``from tests.fixtures import *``),
    when it defines a fixture or a hook on either side: pytest registers the fixtures (and a
    conftest's hooks) of a module's namespace, and an autouse fixture or a hook applies to
    tests that never name it. One ``git grep`` a side for the files that name one of those
    modules and import with a star; those whose star import is one of them."""
    paths = {p for p in names if any(_plugin_like(side.module(p)) for side in sides)}
    if not paths:
        return set()
    stems = "|".join(sorted({re.escape(own_name(p)) for p in paths}))
    patterns = [rf"(^|[^[:alnum:]_])({stems})([^[:alnum:]_]|$)", r"import[[:space:]]*\*"]
    found: set[str] = set()
    for side in sides:
        hits = side.rev.git.grep_files(side.rev.rev, patterns, fixed=False, all_match=True)
        named = disguised.matching(side.rev, [own_name(p) for p in paths])
        hits |= {p for p in named if STAR_IMPORT.search(side.rev.text(p) or b"")}
        found |= {h for h in hits if _imports_one(side, h, paths)}
    return found


def _plugin_like(module: Module | None) -> bool:
    """Whether MODULE defines a fixture or a hook (what a star import into a conftest adds)."""
    funcs = module.functions if module else ()
    return any(f.fixture is not None or f.name.startswith(HOOK_PREFIX) for f in funcs)


def _imports_one(side: _Side, user: str, paths: set[str]) -> bool:
    """Whether USER star-imports a module at one of PATHS (at SIDE's revision)."""
    module = side.module(user)
    stars = module.stars if module else ()
    return any(side.rev.module_path(dotted, user) in paths for dotted in stars)


def _helper(path: str) -> bool:
    return not path.endswith(CONFTEST)
