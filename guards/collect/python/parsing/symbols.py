"""Resolve expressions to canonical pytest/unittest symbols through imports and aliases.

``import pytest as pt``, ``from pytest import mark as m``, ``skip = pytest.mark.skip``,
``getattr(pytest.mark, "skip")``, ``sys.modules["pytest"]``: all resolve to the same symbols.
A name bound several ways (in both branches of an ``if``) keeps its skip meaning: any
condition counts.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from guards.collect.python.skip_forms import DECORATORS, RUNTIME

NORMALIZE = {
    "_pytest.outcomes.skip": "pytest.skip",
    "_pytest.outcomes.xfail": "pytest.xfail",
    "_pytest.outcomes.importorskip": "pytest.importorskip",
    "_pytest.outcomes.Skipped": "pytest.skip.Exception",
    "_pytest.outcomes.XFailed": "pytest.xfail.Exception",
    "_pytest.mark.MARK_GEN": "pytest.mark",
    "_pytest.mark.structures.MARK_GEN": "pytest.mark",
    "unittest.case": "unittest",
}
DYNAMIC_BASES = ("pytest", "unittest", "mark:", "_pytest.outcomes", "_pytest.mark")
SKIP_HOLDERS = frozenset({"_pytest", "_pytest.outcomes", "_pytest.mark", "pytest", "unittest"})
GETATTR = "builtins.getattr"
IMPORTERS = ("importlib.import_module", "builtins.__import__")
BUILTINS = {"getattr": GETATTR, "__import__": "builtins.__import__"}


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

    def _absolute(self, module: str, level: int) -> str:
        if not level:
            return NORMALIZE.get(module, module)
        parts = self.package.split(".") if self.package else []
        parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
        return ".".join([*parts, module] if module else parts)

    def resolve(self, node: ast.AST, local: Mapping[str, str] | None = None) -> str | None:
        """The symbol NODE evaluates to, or None when it is nothing pytest-related."""
        if isinstance(node, ast.Name):
            if local is not None and node.id in local:
                return local[node.id]
            return self.names.get(node.id) or BUILTINS.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value, local)
            if base is None:
                return "unittest.skipTest" if node.attr == "skipTest" else None
            return join(base, node.attr)
        if isinstance(node, ast.Call):
            return self._call(node, local)
        if isinstance(node, ast.Subscript):
            return self._modules_lookup(node)
        if isinstance(node, (ast.IfExp, ast.BoolOp)):
            return self._either(node, local)
        return None

    def _either(self, node: ast.IfExp | ast.BoolOp, local: Mapping[str, str] | None) -> str | None:
        """``a if c else b`` or ``a or b``: the skip meaning wins (any condition counts)."""
        options = [node.body, node.orelse] if isinstance(node, ast.IfExp) else node.values
        syms = [self.resolve(option, local) for option in options]
        return next((s for s in syms if is_skippy(s)), next((s for s in syms if s), None))

    def _call(self, node: ast.Call, local: Mapping[str, str] | None) -> str | None:
        func = self.resolve(node.func, local)
        if func is None:
            return None
        if func == GETATTR and len(node.args) >= 2:
            return self._getattr(node, local)
        if func in IMPORTERS and node.args:
            return literal_str(node.args[0])
        if func.startswith("mark:"):
            return func
        if func in DECORATORS:
            return func  # unittest.skip("why") is itself a decorator
        return f"call:{func}"

    def _getattr(self, node: ast.Call, local: Mapping[str, str] | None) -> str | None:
        base = self.resolve(node.args[0], local)
        name = literal_str(node.args[1])
        if base is None:
            return None
        if name is None:
            if base in SKIP_HOLDERS or base.startswith(DYNAMIC_BASES):  # not _pytest.faulthandler
                raise Dynamic(node.lineno, f"getattr({base}, <computed name>)")
            return None
        return join(base, name)

    def _modules_lookup(self, node: ast.Subscript) -> str | None:
        if self.resolve(node.value) == "sys.modules":
            return literal_str(node.slice)
        return None


def literal_str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
