"""Classes and functions of a module as facts: marks, methods, fixtures, ``__test__``."""

from __future__ import annotations

import ast
import dataclasses
from typing import TYPE_CHECKING

from guards.collect.python.parsing.bodies import arg_names, body_refs, import_time
from guards.collect.python.parsing.facts import Fixture, Func, Klass, MarkUse
from guards.collect.python.parsing.fixture_guards import skip_condition
from guards.collect.python.parsing.params import parse_parametrize
from guards.collect.python.parsing.symbols import Dynamic, Env, literal_str
from guards.collect.python.skip_forms import SKIP_EXCEPTIONS

if TYPE_CHECKING:
    from guards.collect.python.parsing.analyze import Analyzer

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
FIXTURES = ("pytest.fixture", "call:pytest.fixture", "pytest.yield_fixture")
ABSTRACT = ("abc.abstractmethod", "abc.abstractproperty")


def class_symbol(node: ast.ClassDef, env: Env) -> str:
    """A class deriving from a skip exception is that exception; others are local classes."""
    for base in node.bases:
        try:
            sym = env.resolve(base)
        except Dynamic:
            sym = None
        if sym in SKIP_EXCEPTIONS:
            return sym
    return f"class:{node.name}"


def with_marks(func: Func, extra: tuple[MarkUse, ...], test_attr: bool | None) -> Func:
    if not extra and test_attr == func.test_attr:
        return func
    return dataclasses.replace(func, marks=func.marks + extra, test_attr=test_attr)


def read_func(an: Analyzer, node: FuncNode, *, method: bool) -> Func:
    refs = (an.guard(node.lineno, body_refs, node, an.env) or ()) if an.reads_body(node) else ()
    return Func(
        name=node.name,
        line=node.lineno,
        marks=an.guard(node.lineno, an.reader.decorators, node.decorator_list) or (),
        args=arg_names(node, method=method),
        refs=refs,
        fixture=guarded(_fixture(an, node), node, [r.line for r in refs]),
        is_method_like=not any(_is_property(d) for d in node.decorator_list),
    )


def guarded(fixture: Fixture | None, node: FuncNode, lines: list[int]) -> Fixture | None:
    """FIXTURE with the condition under which its body's skips run (fixture_guards.py)."""
    if fixture is None or "request" not in [a.arg for a in node.args.args]:
        return fixture
    return dataclasses.replace(fixture, skip_when=skip_condition(node.body, lines))


def _is_property(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("property", "cached_property")


def _fixture(an: Analyzer, node: FuncNode) -> Fixture | None:
    for deco in node.decorator_list:
        sym = an.env.resolve(deco)
        if sym in FIXTURES:
            call = deco if isinstance(deco, ast.Call) else None
            return _fixture_of(an, node.name, call)
    return None


def _fixture_of(an: Analyzer, func_name: str, call: ast.Call | None) -> Fixture:
    if call is None:
        return Fixture(func_name)
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    name = literal_str(kw["name"]) if "name" in kw else None
    auto = kw.get("autouse")
    autouse = isinstance(auto, ast.Constant) and bool(auto.value)
    params = None
    if "params" in kw:
        fake = ast.Call(
            func=call.func,
            args=[ast.Constant(name or func_name), kw["params"]],
            keywords=[ast.keyword("ids", kw["ids"])] if "ids" in kw else [],
        )
        params = parse_parametrize(fake, an.reader.ids, an.reader.case_marks)
    return Fixture(name or func_name, autouse, params)


class ClassReader:
    """Reads class definitions with the module's analyzer (names, marks, import-time skips)."""

    def __init__(self, an: Analyzer) -> None:
        self.an = an

    def read(self, node: ast.ClassDef, outer: str = "") -> Klass:
        an = self.an
        qualname = f"{outer}.{node.name}" if outer else node.name
        marks = list(an.guard(node.lineno, an.reader.decorators, node.decorator_list) or ())
        methods: dict[str, Func] = {}
        nested: dict[str, Klass] = {}
        test_attr, test_line = an.attr_test.get(qualname), 0
        for stmt in import_time(node.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods[stmt.name] = read_func(an, stmt, method=True)
                nested.pop(stmt.name, None)
            elif isinstance(stmt, ast.ClassDef):
                nested[stmt.name] = self.read(stmt, qualname)
                methods.pop(stmt.name, None)
            elif _assigns(stmt, "pytestmark"):
                marks.extend(an.guard(stmt.lineno, _read_all, an, stmt) or ())
            elif _assigns(stmt, "__test__"):
                test_attr, test_line = _bool_value(stmt), stmt.lineno
            elif not isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                an.guard(stmt.lineno, an.import_time_skip, stmt)
        marks.extend(an.attr_marks.get(qualname, ()))
        return Klass(
            name=node.name,
            line=node.lineno,
            bases=tuple(self._base(b) for b in node.bases),
            marks=tuple(marks),
            test_attr=test_attr,
            test_attr_line=test_line,
            has_init="__init__" in methods or "__new__" in methods,
            abstract=self._abstract(node),
            methods=tuple(methods.values()),
            nested=tuple(nested.values()),
        )

    def _base(self, node: ast.expr) -> str:
        try:
            return self.an.env.resolve(node) or ast.unparse(node)
        except Dynamic:
            return ast.unparse(node)

    def _abstract(self, node: ast.ClassDef) -> bool:
        env = self.an.env
        meta = [env.resolve(k.value) for k in node.keywords if k.arg == "metaclass"]
        is_abc = "abc.ABCMeta" in meta or any(env.resolve(b) == "abc.ABC" for b in node.bases)
        return is_abc and any(
            env.resolve(d) in ABSTRACT
            for stmt in node.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
            for d in stmt.decorator_list
        )


def _assigns(stmt: ast.stmt, name: str) -> bool:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else []
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def _read_all(
    an: Analyzer, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign
) -> tuple[MarkUse, ...]:
    return tuple(an.reader.read(stmt.value)) if stmt.value is not None else ()


def _bool_value(stmt: ast.stmt) -> bool | None:
    value = getattr(stmt, "value", None)
    return bool(value.value) if isinstance(value, ast.Constant) else None
