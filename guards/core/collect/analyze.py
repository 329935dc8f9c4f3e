"""One parse of one module into facts: its names, functions, classes, marks and import-time skips.

Only code that runs at import (the module body, class bodies, through ``if``/``try``/``with``
blocks) is read as module-level; function bodies are read for references only. Nothing is
imported or executed.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from guards.core.collect import classes
from guards.core.collect.bodies import all_defs, import_time
from guards.core.collect.conftests import read_conftest
from guards.core.collect.facts import Func, MarkUse, Module
from guards.core.collect.hot import hot_functions
from guards.core.collect.marks import MarkReader
from guards.core.collect.model import NotParsable, Skip
from guards.core.collect.params import IdContext
from guards.core.collect.symbols import Dynamic, Env, is_skippy

MODULE_SKIP = {
    "pytest.skip": "module-skip",
    "pytest.xfail": "module-skip",
    "pytest.importorskip": "importorskip",
    "pytest.skip.Exception": "module-skip",
    "unittest.SkipTest": "module-skip",
}


T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """Settings of the pytest configuration that shape facts: id strategy, defs wanted."""

    long_strategy: str = "short"
    with_defs: bool = False
    lazy_bodies: bool = False  # read only bodies whose text can reach a skip (see hot.py)
    known: tuple[str, ...] = ()  # names that skip when imported from the repository


def parse(path: str, data: bytes) -> ast.Module:
    try:
        return ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise NotParsable(path, line, getattr(exc, "msg", str(exc))) from exc


def package_of(path: str) -> str:
    return posixpath.dirname(path).replace("/", ".")


class Analyzer:
    def __init__(self, path: str, tree: ast.Module, options: Options, source: bytes = b"") -> None:
        self.path, self.tree, self.options = path, tree, options
        self.env = Env(package_of(path))
        self.consts: dict[str, ast.expr] = {}
        self.funcs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.undecidable: list[tuple[int, str]] = []
        self.module_skips: list[Skip] = []
        self.marks: list[MarkUse] = []
        self.attr_marks: dict[str, list[MarkUse]] = {}
        self.attr_test: dict[str, bool] = {}
        ids = IdContext(self.consts, self._defined, self._is_param, options.long_strategy)
        self.reader = MarkReader(self.env, ids)
        self.source = source
        self.hot: set[int] | None = None

    def reads_body(self, node: ast.AST) -> bool:
        return self.hot is None or id(node) in self.hot

    def _defined(self, name: str) -> bool:
        return name in self.funcs or name in self.classes

    def _is_param(self, node: ast.expr) -> bool:
        return self.env.resolve(node) == "pytest.param"

    def guard(self, line: int, fn: Callable[..., T], *args: object) -> T | None:
        """Call FN; a dynamic access it meets is recorded as undecidable."""
        try:
            return fn(*args)
        except Dynamic as exc:
            self.undecidable.append((exc.line or line, exc.what))
            return None

    def report(self, line: int, what: str) -> None:
        self.undecidable.append((line, what))

    def run(self) -> Module:
        stmts = list(import_time(self.tree.body))
        for stmt in stmts:
            self.guard(stmt.lineno, self._bind, stmt)
        for stmt in stmts:
            self.guard(stmt.lineno, self._statement, stmt)
        if self.options.lazy_bodies:
            aliases = [n for n, s in self.env.names.items() if is_skippy(s)]
            self.hot = hot_functions(self.tree, self.source, [*aliases, *self.options.known])
        functions = tuple(self._func(node) for node in self.funcs.values())
        reader = classes.ClassReader(self)
        klasses = tuple(reader.read(node) for node in self.classes.values())
        is_conftest = posixpath.basename(self.path) == "conftest.py"
        conftest = read_conftest(self, self.tree) if is_conftest else None
        return Module(
            path=self.path,
            functions=functions,
            classes=klasses,
            marks=tuple(self.marks),
            module_skips=tuple(self.module_skips),
            exports=dict(self.env.names),
            undecidable=tuple(self.undecidable),
            conftest=conftest,
            defs=all_defs(self.tree, self.source) if self.options.with_defs else (),
            generate_tests="pytest_generate_tests" in self.funcs,
        )

    def _bind(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.env.bind_import(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.funcs[stmt.name] = stmt
            self.classes.pop(stmt.name, None)
            self.env.names[stmt.name] = f"local:{stmt.name}"
        elif isinstance(stmt, ast.ClassDef):
            self.classes[stmt.name] = stmt
            self.funcs.pop(stmt.name, None)
            self.env.names[stmt.name] = classes.class_symbol(stmt, self.env)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self._bind_target(target, stmt.value)

    def _bind_target(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.env.bind(target.id, self.env.resolve(value))
            self.consts[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            for sub_target, sub_value in zip(target.elts, value.elts, strict=False):
                self._bind_target(sub_target, sub_value)

    def _statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._assignment(stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    self.funcs.pop(target.id, None)
                    self.classes.pop(target.id, None)
        elif not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.import_time_skip(stmt)

    def _assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        value = stmt.value
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if value is None:
            return
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "pytestmark":
                self.marks.extend(self.reader.read(value))
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                self._attribute(target.value.id, target.attr, value)
            elif isinstance(target, ast.Name) and target.id in self.funcs:
                self._rebind(target.id, value)
            else:
                self._plain_assignment(stmt, value)

    def _attribute(self, owner: str, attr: str, value: ast.expr) -> None:
        """``test_x.pytestmark = [...]`` and ``TestX.__test__ = False`` after the definition."""
        if attr == "pytestmark":
            self.attr_marks.setdefault(owner, []).extend(self.reader.read(value))
        elif attr == "__test__" and isinstance(value, ast.Constant):
            self.attr_test[owner] = bool(value.value)

    def _rebind(self, name: str, value: ast.expr) -> None:
        """``test_x = pytest.mark.skip(test_x)`` keeps the test; any other value replaces it."""
        wraps = isinstance(value, ast.Call) and any(
            isinstance(a, ast.Name) and a.id == name for a in value.args
        )
        if wraps:
            assert isinstance(value, ast.Call)
            self.attr_marks.setdefault(name, []).extend(self.reader.read(value.func))
        else:
            self.funcs.pop(name, None)

    def _plain_assignment(self, stmt: ast.stmt, value: ast.expr) -> None:
        if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            return  # marks or parameter sets kept as data; read where they are used
        sym = self.env.resolve(value)
        if isinstance(value, ast.Call) and sym is not None and sym[5:] in MODULE_SKIP:
            self._module_skip(MODULE_SKIP[sym[5:]], stmt.lineno, sym[5:])
        elif not is_skippy(sym):
            self.import_time_skip(stmt)

    def import_time_skip(self, stmt: ast.stmt) -> None:
        """A skip call or raise at import skips the module; other skip uses are undecidable."""
        found = first_skippy(stmt, self.env)
        if found is None:
            return
        sym, line = found
        call = stmt.value if isinstance(stmt, ast.Expr) else getattr(stmt, "exc", None)
        callee = (
            self.env.resolve(call.func if isinstance(call, ast.Call) else call) if call else None
        )
        if callee in MODULE_SKIP:
            self._module_skip(MODULE_SKIP[callee], stmt.lineno, callee)
        else:
            self.undecidable.append((line, f"{sym} is used at import time in a way not followed"))

    def _module_skip(self, kind: str, line: int, sym: str) -> None:
        self.module_skips.append(Skip(kind, line, f"{sym}() at module level"))

    def _func(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Func:
        func = classes.read_func(self, node, method=False)
        extra = tuple(self.attr_marks.get(node.name, ()))
        test_attr = self.attr_test.get(node.name, func.test_attr)
        return classes.with_marks(func, extra, test_attr)


def first_skippy(node: ast.AST, env: Env) -> tuple[str, int] | None:
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute, ast.Call)):
            sym = env.resolve(sub)
            if is_skippy(sym) and sym is not None:
                return sym, getattr(sub, "lineno", 0)
    return None


def analyze(path: str, data: bytes, options: Options = Options()) -> Module:
    """The facts of the module PATH holding DATA; NotParsable if Python cannot parse it."""
    return Analyzer(path, parse(path, data), options, data).run()
