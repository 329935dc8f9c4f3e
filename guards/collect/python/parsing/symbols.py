"""Resolve expressions to canonical pytest/unittest symbols through imports and aliases.

``import pytest as pt``, ``from pytest import mark as m``, ``skip = pytest.mark.skip``,
``getattr(pytest.mark, "skip")``, ``sys.modules["pytest"]``: all resolve to the same symbols.
A name bound several ways (in both branches of an ``if``) keeps its skip meaning: any
condition counts.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping

from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.skip_forms import DECORATORS, RUNTIME

NORMALIZE = {
    "_pytest.outcomes.skip": "pytest.skip",
    "_pytest.outcomes.xfail": "pytest.xfail",
    "_pytest.outcomes.exit": "pytest.exit",
    "_pytest.outcomes.importorskip": "pytest.importorskip",
    "_pytest.outcomes.Skipped": "pytest.skip.Exception",
    "_pytest.outcomes.XFailed": "pytest.xfail.Exception",
    "_pytest.outcomes.Exit": "pytest.exit.Exception",
    "_pytest.mark.MARK_GEN": "pytest.mark",
    "_pytest.mark.structures.MARK_GEN": "pytest.mark",
    "unittest.case": "unittest",
    "unittest.TestCase.skipTest": "unittest.skipTest",  # called on the class: the same skip
}
COMPUTED = "<computed import>"  # a module imported by a name that is not a constant
TRACKED = ("pytest", "_pytest", "unittest", "mark:", COMPUTED)  # modules a local name can alias
DYNAMIC_BASES = ("pytest", "unittest", "mark:", "_pytest.outcomes", "_pytest.mark", COMPUTED)
MAX_CODE = 1 << 20  # characters a repetition of constant code may spell (``"\\n" * 99``)
SKIP_HOLDERS = frozenset({"_pytest", "_pytest.outcomes", "_pytest.mark", "pytest", "unittest"})
HOLDERS = frozenset({*SKIP_HOLDERS, "pytest.mark"})  # modules (and MARK_GEN) that hold a skip
GETATTR = "builtins.getattr"
IMPORTERS = ("importlib.import_module", "builtins.__import__")
PARTIALS = ("functools.partial", "functools.partialmethod")  # calling one calls its first argument
BUILTINS_MODULE = "builtins"  # holds exec, eval and compile: a computed name of it may be one
LOOKUP_METHODS = frozenset({"__getattr__", "__getattribute__"})  # ``x.__getattr__("skip")``
NAMESPACES = frozenset({"globals", "locals", "vars"})  # the names a module binds, as a dict
FUNCTION_GLOBALS = frozenset({"__globals__", "f_globals"})  # a function's, a frame's module names
SELF_MODULE = "<this module>"  # sys.modules[__name__]: its attributes are the module's names
NAMESPACE_GETS = frozenset({"get", "__getitem__", "pop", "setdefault"})
MARK_OBJECTS = {  # pytest's classes behind a mark, as a test may build one by hand
    **dict.fromkeys(("pytest.Mark", "_pytest.mark.structures.Mark"), "mark"),
    **dict.fromkeys(("pytest.MarkDecorator", "_pytest.mark.structures.MarkDecorator"), "decorator"),
    **dict.fromkeys(("pytest.MarkGenerator", "_pytest.mark.structures.MarkGenerator"), "generator"),
}
COMPILE = "builtins.compile"  # returns the code it is given, compiled: what runs is that code
EVALUATORS = ("builtins.exec", "builtins.eval", COMPILE)
LOOKUPS = frozenset({GETATTR, *IMPORTERS, *EVALUATORS})  # calls that look up or run code by name
BUILTINS = {
    "getattr": GETATTR, "__import__": "builtins.__import__", "exec": "builtins.exec",
    "eval": "builtins.eval", "compile": COMPILE,
}  # fmt: skip # -- packed lists read better than one item a line
# What ``from M import *`` binds of pytest's and unittest's skip forms (their __all__).
STAR_NAMES = {
    "pytest": ("skip", "xfail", "importorskip", "mark", "param", "fixture", "exit", "fail"),
    "_pytest.outcomes": (  # it has no __all__: every public name it binds that skips or ends
        ("skip", "xfail", "importorskip", "exit", "fail", "Skipped", "XFailed", "Exit")
    ),
    "unittest": ("skip", "skipIf", "skipUnless", "expectedFailure", "SkipTest", "TestCase"),
}
# Attributes that spell a skip on a module whose name is computed.
SKIP_ATTRS = frozenset({
    "skip", "xfail", "importorskip", "mark", "SkipTest", "skipTest", "skipIf", "skipUnless",
    "expectedFailure", "exit", "outcomes", "Skipped", "case",
})  # fmt: skip # -- packed lists read better than one item a line


class Dynamic(Exception):
    """A dynamic access to pytest or unittest that cannot be followed statically."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def is_skippy(sym: str | None) -> bool:
    return sym is not None and (sym in RUNTIME or sym in DECORATORS)


def join(base: str, attr: str) -> str:
    """The symbol of ``base.attr``."""
    if base == "pytest.mark":
        return f"mark:{attr}"
    if base.startswith("mark:"):
        return base if attr == "with_args" else f"{base}.{attr}"
    if attr == "SkipTest":
        return "unittest.SkipTest"
    full = NORMALIZE.get(f"{base}.{attr}", f"{base}.{attr}")
    if full.startswith("unittest.case."):
        return "unittest." + full[len("unittest.case.") :]
    return full


class Env:
    """The names a module binds, and how to resolve an expression against them."""

    def __init__(self, package: str = "") -> None:
        self.package = package
        self.names: dict[str, str] = {}
        self.members: dict[str, str] = {}  # "class:C.attr" -> the skip or mark it holds
        self.star = ""  # the module of the last ``from <repository module> import *``
        self.stars: list[str] = []  # every such module, in order (their fixtures are pytest's)
        self._holders: frozenset[str] | None = None

    def holder_names(self) -> frozenset[str]:
        """The names bound to a module that holds a skip (``pytest``, ``import unittest as
        ut``): asked once the module's names are bound (by the bodies, read after)."""
        if self._holders is None:
            self._holders = frozenset(n for n, sym in self.names.items() if sym in HOLDERS)
        return self._holders

    def bind(self, name: str, sym: str | None) -> None:
        if sym is None:
            return
        old = self.names.get(name)
        if old is not None and is_skippy(old) and not is_skippy(sym):
            return
        self.names[name] = sym

    def bind_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bind(alias.asname, NORMALIZE.get(alias.name, alias.name))
                else:
                    top = alias.name.split(".")[0]
                    self.bind(top, top)
            return
        module = self._absolute(node.module or "", node.level)
        for alias in node.names:
            if alias.name != "*":
                self.bind(alias.asname or alias.name, join(module, alias.name) if module else None)
            elif module:
                self._star(module)

    def _star(self, module: str) -> None:
        """``from M import *``: pytest's and unittest's public skip names are bound here; a
        name from any other module is looked up in it when the linker follows it (the last
        star import wins, as at run time)."""
        public = STAR_NAMES.get(module)
        if public is None and module.split(".")[0] not in sys.stdlib_module_names:
            self.star = module
            self.stars.append(module)
        for name in public or ():
            self.bind(name, join(module, name))

    def _absolute(self, module: str, level: int) -> str:
        if not level:
            return NORMALIZE.get(module, module)
        parts = self.package.split(".") if self.package else []
        parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
        return ".".join([*parts, module] if module else parts)

    def resolve(self, node: ast.AST, local: Mapping[str, str] | None = None) -> str | None:
        """The symbol NODE evaluates to, or None when it is nothing pytest-related."""
        if isinstance(node, ast.Name):
            return self.name(node.id, local)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.resolve(node.value, local), node)
        if isinstance(node, ast.Call):
            return self._call(node, local)
        if isinstance(node, ast.Subscript):
            if self._namespace(node.value):
                return self._named(node.slice, node.lineno, local)
            return self._modules_lookup(node) or self._held(node.value, local)
        if isinstance(node, (ast.IfExp, ast.BoolOp)):
            return self._either(node, local)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            return self._container(node, local)
        return None

    def _container(
        self, node: ast.List | ast.Tuple | ast.Set | ast.Dict, local: Mapping[str, str] | None
    ) -> str | None:
        """A literal container holding a skip or a mark stands for it (``skips =
        [pytest.mark.skip]``, then ``@skips[0]``): any item counts, as any branch of ``a if c
        else b`` does; a container of nothing pytest-related is nothing."""
        items = (
            [v for v in node.values if v is not None] if isinstance(node, ast.Dict) else node.elts
        )
        syms = [s for s in (self.resolve(item, local) for item in items) if s]
        return next((s for s in syms if is_skippy(s)), next((s for s in syms if _marks(s)), None))

    def try_resolve(self, node: ast.AST, local: Mapping[str, str] | None = None) -> str | None:
        """``resolve``, None where it meets a dynamic lookup (reported where it is used)."""
        try:
            return self.resolve(node, local)
        except Dynamic:
            return None

    def _held(self, node: ast.AST, local: Mapping[str, str] | None) -> str | None:
        """What an item of the container NODE stands for: its skip or mark (_container); for
        a container another module exports (``from marks import SKIPS``, then ``SKIPS[1]``),
        the container's own symbol, which the linker follows into that module."""
        sym = self.resolve(node, local)
        if sym is None or sym.startswith(("local:", "call:")):
            return None
        return sym if is_skippy(sym) or _marks(sym) or "." in sym else None

    def name(self, name: str, local: Mapping[str, str] | None = None) -> str | None:
        """The symbol of the name NAME."""
        if local is not None and name in local:
            return local[name]
        found = self.names.get(name) or BUILTINS.get(name)
        return found or (f"{self.star}.{name}" if self.star else None)

    def attribute(self, base: str | None, node: ast.Attribute) -> str | None:
        """The symbol of the attribute NODE whose value resolves to BASE."""
        if base is None:
            return "unittest.skipTest" if node.attr == "skipTest" else None
        if base == COMPUTED:
            _computed_attr(node)
            return None
        if base == SELF_MODULE:  # sys.modules[__name__].skip: what the module binds
            return self.name(node.attr)
        full = join(base, node.attr)
        return self.members.get(full, full)

    def bind_members(self, node: ast.ClassDef, sym: str) -> None:
        """The class attributes of NODE (bound to SYM) that hold a skip or a mark: ``Marks.later``
        where ``class Marks: later = pytest.mark.skip`` is the mark."""
        for stmt in (s for s in node.body if isinstance(s, ast.Assign)):
            held = self.try_resolve(stmt.value)
            if held is not None and (is_skippy(held) or _marks(held)):
                for target in (t for t in stmt.targets if isinstance(t, ast.Name)):
                    self.members[join(sym, target.id)] = held

    def _either(self, node: ast.IfExp | ast.BoolOp, local: Mapping[str, str] | None) -> str | None:
        """``a if c else b`` or ``a or b``: the skip meaning wins (any condition counts)."""
        options = [node.body, node.orelse] if isinstance(node, ast.IfExp) else node.values
        syms = [self.resolve(option, local) for option in options]
        return next((s for s in syms if is_skippy(s)), next((s for s in syms if s), None))

    def _call(self, node: ast.Call, local: Mapping[str, str] | None) -> str | None:
        called = node.func
        if isinstance(called, ast.Attribute) and called.attr in LOOKUP_METHODS and node.args:
            return self._looked_up(called.value, node.args[0], node.lineno, local)
        if self._namespace_get(called) and node.args:  # globals().get("skip")
            return self._named(node.args[0], node.lineno, local)
        func = self.resolve(called, local)
        if func is None:
            return None
        if func == GETATTR and len(node.args) >= 2:
            return self._looked_up(node.args[0], node.args[1], node.lineno, local)
        if func in MARK_OBJECTS:
            return self._mark_object(func, node, local)
        if func in PARTIALS and node.args:  # ``partial(pytest.skip, "why")`` calls it
            return self.resolve(node.args[0], local) or f"call:{func}"
        if func in IMPORTERS and node.args:
            own = func == "importlib.import_module" and _own_name(node.args[0])
            return SELF_MODULE if own else const_str(node.args[0]) or COMPUTED
        if func.startswith("mark:"):
            return func
        if func in DECORATORS:
            return func  # unittest.skip("why") is itself a decorator
        return f"call:{func}"

    def _looked_up(
        self, owner: ast.expr, attr: ast.expr, line: int, local: Mapping[str, str] | None
    ) -> str | None:
        """``getattr(OWNER, ATTR)``, or ``OWNER.__getattr__(ATTR)``: a constant name is the
        attribute; a computed one of what holds a skip (or the builtins) is undecidable."""
        base = self.resolve(owner, local)
        name = const_str(attr)
        if base is None:
            return None
        if name is None:
            holds = base in SKIP_HOLDERS or base == BUILTINS_MODULE  # not _pytest.faulthandler
            if holds or base.startswith(DYNAMIC_BASES):
                raise Dynamic(line, f"getattr({base}, <computed name>)")
            return None
        return join(base, name)

    def _mark_object(self, func: str, node: ast.Call, local: Mapping[str, str] | None) -> str:
        """pytest's mark objects built by hand: ``Mark("skip", (), {})`` is the mark ``skip``,
        ``MarkDecorator(mark)`` is MARK's, ``MarkGenerator()`` is ``pytest.mark``."""
        kind = MARK_OBJECTS[func]
        if kind == "generator":
            return "pytest.mark"
        first = node.args[0] if node.args else None
        if kind == "decorator":
            found = self.resolve(first, local) if first is not None else None
            return found if found is not None and _marks(found) else f"call:{func}"
        name = const_str(first) if first is not None else None
        if name is None:
            raise Dynamic(node.lineno, f"{func}(<computed name>)")
        return join("pytest.mark", name)

    def _namespace_get(self, called: ast.expr) -> bool:
        """Whether CALLED is a lookup method of the namespace (``globals().get``)."""
        return (
            isinstance(called, ast.Attribute)
            and called.attr in NAMESPACE_GETS
            and self._namespace(called.value)
        )

    def _namespace(self, node: ast.expr) -> bool:
        """Whether NODE is this module's names (or the function's) as a dict: ``globals()``,
        ``locals()``, ``vars()``, ``f.__globals__``, a frame's ``f_globals``, and
        ``vars(M)`` or ``M.__dict__`` of this module (``sys.modules[__name__]``)."""
        if isinstance(node, ast.Attribute):
            own = node.attr == "__dict__" and self.try_resolve(node.value) == SELF_MODULE
            return own or node.attr in FUNCTION_GLOBALS
        if not names_dict_shape(node) or not isinstance(node, ast.Call):
            return False
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        given = node.args[0] if node.args else None
        return name not in self.names and (given is None or self.try_resolve(given) == SELF_MODULE)

    def _named(self, key: ast.expr, line: int, local: Mapping[str, str] | None) -> str | None:
        """``globals()[KEY]``: the name KEY binds here; a computed KEY, where this module binds
        a skip or what holds one, is undecidable."""
        name = const_str(key)
        if name is not None:
            return self.name(name, local)
        held = (*self.names.values(), *(local or {}).values())
        if any(is_skippy(sym) or sym in HOLDERS or sym.startswith(TRACKED) for sym in held):
            raise Dynamic(line, "the module's names[<computed name>]")
        return None

    def _modules_lookup(self, node: ast.Subscript) -> str | None:
        """``sys.modules["pytest"]`` is pytest; ``sys.modules[__name__]`` this module."""
        if self.resolve(node.value) == "sys.modules":
            return SELF_MODULE if _own_name(node.slice) else literal_str(node.slice)
        return None


def names_dict_shape(node: ast.expr) -> bool:
    """Whether NODE has the shape of a module's names as a dict (Env._namespace decides what
    it is; bodies.py asks this first, at no cost): a call of
    ``globals``, ``locals`` or ``vars`` (with at most one argument), or an attribute
    ``__globals__``, ``f_globals`` or ``__dict__``."""
    if type(node) is ast.Attribute:
        return node.attr in FUNCTION_GLOBALS or node.attr == "__dict__"
    if type(node) is not ast.Call or type(node.func) is not ast.Name or node.keywords:
        return False
    name = node.func.id
    return name in NAMESPACES and (not node.args or (name == "vars" and len(node.args) == 1))


def _own_name(node: ast.expr) -> bool:
    """Whether NODE is ``__name__``: the module's own name."""
    return isinstance(node, ast.Name) and node.id == "__name__"


def _marks(sym: str) -> bool:
    return sym.startswith("mark:")


def _computed_attr(node: ast.Attribute) -> None:
    """``importlib.import_module(name).skip``: a skip, if NAME is pytest; undecidable."""
    if node.attr in SKIP_ATTRS:
        raise Dynamic(node.lineno, f"<module imported by a computed name>.{node.attr}")


def const_str(node: ast.AST, depth: int = 0) -> str | None:
    """The value of a string expression made of constants only (``"py" + "test"``,
    ``f"{'s'}kip"``, ``"s" "kip"``), else None."""
    if depth > 16:
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = const_str(node.left, depth + 1), const_str(node.right, depth + 1)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [const_str(v, depth + 1) for v in node.values]
        return "".join(p for p in parts if p is not None) if None not in parts else None
    if isinstance(node, ast.FormattedValue) and node.conversion == -1 and not node.format_spec:
        return const_str(node.value, depth + 1)
    return literal_str(node)


def _code(node: ast.AST, bound: Mapping[str, ast.expr], depth: int = 0) -> str | bytes | None:
    """The source NODE spells: a constant string or bytes (decoded as Python decodes a
    module's: ast.parse reads a cookie in them), built of constants only (``"a" + "b"``, an
    f-string, ``"\\n" * 99``, ``"".join(["a", "b"])``); a name in BOUND is its value there
    (bound_once.py), the names of that value are not followed. Bounded: DEPTH, and a
    repetition's size before it is built (MAX_CODE)."""
    if depth > 16:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return node.value
    if isinstance(node, ast.Name):
        value = bound.get(node.id)
        return None if value is None else _code(value, {}, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
        return _operated(node, bound, depth)
    if isinstance(node, ast.Call):
        return _joined(node, bound, depth)
    return const_str(node, depth)


def _operated(node: ast.BinOp, bound: Mapping[str, ast.expr], depth: int) -> str | bytes | None:
    """``code + code`` of one type, or ``code * count`` either way round."""
    if isinstance(node.op, ast.Add):
        return _concatenated([_code(side, bound, depth + 1) for side in (node.left, node.right)])
    for text, times in ((node.left, node.right), (node.right, node.left)):
        count = _count(times, bound)
        if count is not None and (code := _code(text, bound, depth + 1)) is not None:
            return code * count if 0 <= count <= MAX_CODE >= len(code) * count else None
    return None


def _concatenated(parts: list[str | bytes | None]) -> str | bytes | None:
    """PARTS one after another: all strings or all bytes, MAX_CODE characters at most."""
    texts = [part for part in parts if isinstance(part, str)]
    data = [part for part in parts if isinstance(part, bytes)]
    size = sum(len(text) for text in texts) + sum(len(chunk) for chunk in data)
    if len(texts) + len(data) < len(parts) or size > MAX_CODE:
        return None
    if len(texts) == len(parts):
        return "".join(texts)
    return b"".join(data) if len(data) == len(parts) else None


def _count(node: ast.expr, bound: Mapping[str, ast.expr]) -> int | None:
    """A constant int, spelled or a name BOUND to one."""
    if isinstance(node, ast.Name):
        node = bound.get(node.id, node)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _joined(node: ast.Call, bound: Mapping[str, ast.expr], depth: int) -> str | bytes | None:
    """``"<constant>".join(<constants>)``: a list or tuple spelled in place, or a name BOUND to
    one (a list where nothing can have changed it: bound_once.py)."""
    func = node.func
    if not (
        isinstance(func, ast.Attribute)
        and func.attr == "join"
        and isinstance(func.value, ast.Constant)
        and isinstance(func.value.value, (str, bytes))
        and len(node.args) == 1
        and not node.keywords
    ):
        return None
    items = node.args[0]
    if isinstance(items, ast.Name):
        items = bound.get(items.id, items)
    if not isinstance(items, (ast.List, ast.Tuple)):
        return None
    separator = func.value.value
    parts = [_code(item, {}, depth + 1) for item in items.elts]
    return _concatenated([piece for part in parts for piece in (separator, part)][1:])


def literal_str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def evaluated(
    node: ast.AST, env: Env, bound: Mapping[str, ast.expr] | None = None
) -> list[ast.stmt] | None:
    """The statements an ``exec``/``eval``/``compile`` call NODE runs, parsed from its constant
    code (a string or bytes, spelled in place or the value of a name BOUND once: bound_once.py)
    and placed at its line; None when NODE is no such call (or its code does not parse: it
    fails at run time, it does not skip). Dynamic when the code is computed."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    if env.resolve(node.func) not in EVALUATORS:
        return None
    code = node.args[0]
    if isinstance(code, ast.Name) and bound and code.id in bound:
        code = bound[code.id]
    inner = env.resolve(code.func) if isinstance(code, ast.Call) else None
    if inner == COMPILE:
        return None  # eval(compile("...")), or of a name bound to it: that call is read itself
    if inner in EVALUATORS:  # exec(eval("'pytest.skip()'")) runs the value eval returns
        raise Dynamic(node.lineno, f"{ast.unparse(node.func)}() runs what {inner}() returns")
    text = _code(code, bound or {})
    if text is None:
        raise Dynamic(node.lineno, f"{ast.unparse(node.func)}() runs code that is not a constant")
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    for sub in walk_nodes(tree):
        if isinstance(sub, (ast.expr, ast.stmt)):
            sub.lineno, sub.end_lineno = node.lineno, node.lineno
    return tree.body
