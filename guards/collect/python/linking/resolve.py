"""Follow references across functions and modules to the skip construct they reach.

A helper that calls ``pytest.skip()`` skips every test that uses it; a decorator factory
imported from ``tests/helpers.py`` that returns ``pytest.mark.skipif(...)`` is a skipif mark.
A method reached through its class (``Env.require_gpu()``, ``Outer.Inner.m()``, on a fresh
instance ``Env().require_gpu()``, or a module-level instance ``env = Env()``) is the method
found along the class's MRO, whatever its decorator; ``self.m()`` and ``cls.m()`` inside it
follow the same MRO. The trap: a class's symbol is ``class:<qualname>`` in its own module and
the dotted import elsewhere; both must come to the same method, and the reach (sources/reach.py)
must count the class as reaching, or its pruning hides the skip.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from guards.collect.model import Undecidable
from guards.collect.python.parsing.bodies import DYNAMIC
from guards.collect.python.parsing.facts import Func, Klass, Module, Ref
from guards.collect.python.parsing.symbols import TRACKED, is_skippy, join
from guards.collect.python.skip_forms import DECORATORS, RUNTIME, display
from guards.core.records import record

TESTCASE_SUFFIX = "TestCase"
LOCAL = ("local:", "call:", "class:")  # resolved in the module itself: never pruned
INSTANCE = ("class:", "call:class:")  # a class, or an instance of it: its attributes are kept
MAX_DEPTH = 12


class World(Protocol):
    """The repository at one revision, as far as the linker needs it."""

    def module(self, dotted: str, from_path: str) -> Module | None: ...

    def fixture_module(self, dotted: str, from_path: str, name: str = "") -> Module | None:
        """``module``, or None for one whose text cannot define or import a fixture (NAME:
        a fixture bound to that name, parsing/name_bindings.py)."""
        ...


class Pruning(Protocol):
    """Which symbols may reach a skip at all (sources/reach.py decides it from text)."""

    def allows(self, sym: str) -> bool: ...


@record
class Hit:
    """A skip construct reached from a test: the symbol, where it is, and the path taken."""

    sym: str
    line: int
    path: str
    via: str = ""

    def kind(self, decorator: bool = False) -> str:
        if decorator and self.sym in DECORATORS:
            return DECORATORS[self.sym]
        return RUNTIME.get(self.sym, "runtime-skip")

    def phrase(self) -> str:
        what = display(self.sym)
        return f"{self.via} uses {what}" if self.via else f"{what} in body"


Owner = tuple[Module, Klass]


class Resolver:
    """Memoized closures of functions, methods and imported names at one revision."""

    def __init__(self, world: World, pruning: Pruning | None = None) -> None:
        self.world, self.pruning = world, pruning
        self._funcs: dict[tuple[str, str], Hit | None] = {}
        self._externals: dict[tuple[str, str], tuple[Module, str] | None] = {}
        self._methods: dict[tuple[tuple[int, ...], str], Hit | None] = {}
        self._chains: dict[tuple[int, ...], tuple[Klass, ...]] = {}  # what _methods' keys name
        self._gives: dict[tuple[str, str], bool] = {}  # gives_no_function's answers
        self.imported_fixtures: dict[str, list[tuple[Module, Func]]] = {}  # fixtures.py's

    def external(self, sym: str, from_path: str, depth: int = 0) -> tuple[Module, str] | None:
        """The module and export name an imported dotted symbol refers to, if in the repo."""
        key = (sym, from_path)
        if key not in self._externals:
            self._externals[key] = None
            self._externals[key] = self._find(sym, from_path, depth)
        return self._externals[key]

    def _find(self, sym: str, from_path: str, depth: int) -> tuple[Module, str] | None:
        parts = sym.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.world.module(".".join(parts[:cut]), from_path)
            if module is None:
                continue
            name = ".".join(parts[cut:])  # the export, with any attributes taken of it
            value = module.exports.get(parts[cut], "")
            if value and "." in value and ":" not in value:
                if depth >= MAX_DEPTH:
                    raise Undecidable(module.path, 0, f"{sym} is re-exported through more than "
                                      f"{MAX_DEPTH} imports")  # fmt: skip # -- never a silent cut
                further = ".".join([value, *parts[cut + 1 :]])
                return self.external(further, module.path, depth + 1) or (module, name)
            return module, name
        return None

    def meaning(self, sym: str, module: Module) -> tuple[Module, str]:
        """Where SYM (as seen from MODULE) is defined, and its value there: an attribute taken
        of a class (or of an instance of one) is kept (``class:Env.require_gpu``)."""
        if sym.startswith(("local:", "class:")):
            return module, sym
        found = self.external(sym, module.path)
        if found is None:
            return module, sym
        owner, name = found
        if name in owner.exports:  # a class attribute holding a mark (``Marks.later``)
            return owner, owner.exports[name]
        first, *rest = name.split(".")
        # A name the module does not bind comes from its module __getattr__, if it has one.
        value = owner.exports.get(first) or owner.exports.get("__getattr__", "")
        for attr in rest:  # ``mark.xfail`` where the module exports ``mark = pytest.mark``
            value = _attribute(value, attr)
        return owner, value

    def function(self, module: Module, name: str, depth: int = 0) -> Hit | None:
        """The first skip construct the module-level function NAME reaches."""
        key = (module.path, name)
        if key in self._funcs:
            return self._funcs[key]
        self._funcs[key] = None
        func = next((f for f in module.functions if f.name == name), None)
        hit = self.refs(module, func.refs, None, depth + 1) if func and depth < MAX_DEPTH else None
        if hit is not None and not hit.via:
            hit = Hit(hit.sym, hit.line, hit.path, f"{name}()")
        self._funcs[key] = hit
        return hit

    def refs(
        self, module: Module, refs: Iterable[Ref], mro: list[Owner] | None, depth: int = 0
    ) -> Hit | None:
        for ref in refs:
            hit = self.ref(module, ref, mro, depth)
            if hit is not None:
                return hit
        return None

    def ref(self, module: Module, ref: Ref, mro: list[Owner] | None, depth: int) -> Hit | None:
        if ref.sym == DYNAMIC and depth > 0:
            return None  # run-time code in a helper (sympy's import_module, pytest's getmsg)
        if ref.sym:
            return Hit(ref.sym, ref.line, module.path)
        if ref.target.startswith("self:") and mro:
            return self.method(mro, ref.target[5:], depth)
        if ref.target.startswith(("fixture:", "self:")):
            return None
        return self.symbol(module, ref.target, depth)

    def gives_no_function(self, module: Module, sym: str) -> bool:
        """Whether SYM (as MODULE uses it) names a function of the repository whose call gives
        no function (parsing/classes.py): a test it decorates holds None, a generator or a
        coroutine, which pytest does not collect. Read whatever the pruning says: nothing but a
        decorator a test names is asked, and no skip word marks such a function."""
        key = (module.path, sym)
        if key not in self._gives:
            owner, value = self.meaning(sym, module)
            name = value[6:] if value.startswith("local:") else None
            self._gives[key] = any(f.gives_no_function for f in owner.functions if f.name == name)
        return self._gives[key]

    def may(self, sym: str) -> bool:
        """Whether SYM may reach a skip; False only for an imported name the pruning rules out."""
        return self.pruning is None or sym.startswith(LOCAL) or self.pruning.allows(sym)

    def symbol(self, module: Module, sym: str, depth: int = 0) -> Hit | None:
        """What using SYM reaches: itself when it is a skip, else the function it names."""
        if not self.may(sym):
            return None
        owner, value = self.meaning(sym, module)
        if is_skippy(value):
            return Hit(value, 0, owner.path, sym.rsplit(".", 1)[-1])
        if value.startswith("call:"):
            value = value[5:]
            if not self.may(value):
                return None
            owner, value = self.meaning(value, owner) if not is_skippy(value) else (owner, value)
        if value.startswith("local:") and depth < MAX_DEPTH:
            return self.function(owner, value[6:], depth + 1)
        if value.startswith("class:") and depth < MAX_DEPTH:
            return self.member(owner, value[6:], depth + 1)
        return None

    def member(self, module: Module, qualname: str, depth: int) -> Hit | None:
        """What the attribute of a class QUALNAME of MODULE reaches (``Env.require_gpu``,
        ``Outer.Inner.m``): the method along the class's MRO; nothing for the class itself."""
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            found = find_class(module, ".".join(parts[:cut]))
            if found is not None:
                return self.method(self.mro(*found), parts[cut], depth)
        return None

    def instance(self, module: Module, sym: str) -> Hit | None:
        """The first skip a method of the class SYM names (or of the class SYM is an instance
        of: ``call:``) reaches, its nested classes' included; None when SYM names no class of
        the repository. What the reach asks of a class (a name that may reach a skip)."""
        sym = sym.removeprefix("call:")
        if not self.may(sym):
            return None
        owner, value = self.meaning(sym, module)
        found = find_class(owner, value[6:]) if value.startswith("class:") else None
        return self.members(*found) if found is not None else None

    def members(self, module: Module, klass: Klass, depth: int = 0) -> Hit | None:
        """The first skip a method along KLASS's MRO, or one of its nested classes, reaches.
        The MRO holds only the bases the pruning allows: a base whose name no reaching name is
        part of reaches nothing yet (it is a reaching name of its own module once it does, and
        the files that name it are read again: reach.py's rounds), and sympy's classes would
        otherwise have the reach analyze every module their bases live in (0.05 s a cold run)."""
        mro = self.mro(module, klass, pruned=True)
        names = dict.fromkeys(f.name for _, k in mro for f in k.methods)
        hit = next(filter(None, (self.method(mro, name, depth) for name in names)), None)
        if hit is not None or depth >= MAX_DEPTH:
            return hit
        nested = (self.members(module, inner, depth + 1) for inner in klass.nested)
        return next(filter(None, nested), None)

    def method(self, mro: list[Owner], name: str, depth: int) -> Hit | None:
        """The first skip the method NAME reaches along MRO; memoized per class chain, as
        ``function`` is per module (without it, methods calling each other cost exponential
        time: sympy's ``Basic`` subclasses made four million calls). The chain is keyed by its
        classes' ids, and its classes are kept while the resolver lives: a listing's worker
        links module after module, and a class freed with its module gave its id to another
        module's class, which then took the first one's answer (pytest's listing, now and
        then: ``TestParser.setup_class()`` "used" test_unittest.py's importorskip)."""
        ids = tuple(id(klass) for _, klass in mro)
        key = (ids, name)
        if key not in self._methods:
            self._chains.setdefault(ids, tuple(klass for _, klass in mro))
            self._methods[key] = None  # a method that calls itself reaches nothing new
            self._methods[key] = self._method(mro, name, depth)
        return self._methods[key]

    def _method(self, mro: list[Owner], name: str, depth: int) -> Hit | None:
        for module, klass in mro:
            func = next((m for m in klass.methods if m.name == name), None)
            if func is not None:
                hit = self.refs(module, func.refs, mro, depth + 1) if depth < MAX_DEPTH else None
                return Hit(hit.sym, hit.line, hit.path, f"{name}()") if hit else None
        return None

    def mro(
        self, module: Module, klass: Klass, depth: int = 0, pruned: bool = False
    ) -> list[Owner]:
        """The class and its bases found in the repository, nearest first (depth-first); when
        PRUNED, only the bases the pruning allows (``members``: a linked test class's bases are
        never pruned)."""
        chain: list[Owner] = [(module, klass)]
        for base in klass.bases:
            found = None if pruned and not self.may(base) else self.base_class(module, base)
            if found is not None and depth < MAX_DEPTH:
                chain += [o for o in self.mro(*found, depth + 1, pruned) if o not in chain]
        return chain

    def base_class(self, module: Module, base: str) -> Owner | None:
        owner, value = self.meaning(base, module)
        if not value.startswith("class:"):
            return None
        return find_class(owner, value[6:])

    def is_testcase(self, mro: list[Owner]) -> bool:
        for module, klass in mro:
            for base in klass.bases:
                _, value = self.meaning(base, module)
                name = value or base
                if name.rsplit(".", 1)[-1].endswith(TESTCASE_SUFFIX) and not name.startswith(
                    "class:"
                ):
                    return True
        return False


def _attribute(value: str, attr: str) -> str:
    """The value of ``<VALUE>.attr``: pytest's objects joined, a class's attribute kept, and an
    instance's (a call of a class here, or of an imported name: followed to a class's method,
    or to the function called, as before); any other value itself (a function's attribute is
    the function)."""
    if value.startswith(TRACKED):
        return join(value, attr)
    called = value.startswith("call:") and ":" not in value[5:]
    return f"{value}.{attr}" if called or value.startswith(INSTANCE) else value


def find_class(module: Module, qualname: str) -> Owner | None:
    parts = qualname.split(".")
    pool = module.classes
    found: Klass | None = None
    for part in parts:
        found = next((k for k in pool if k.name == part), None)
        if found is None:
            return None
        pool = found.nested
    return (module, found) if found is not None else None
