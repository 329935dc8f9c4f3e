"""Classes and functions of a module as facts: marks, methods, fixtures, ``__test__``."""

from __future__ import annotations

import ast
import builtins
import dataclasses
from typing import TYPE_CHECKING

from guards.collect.python.parsing.bodies import arg_names, body_refs
from guards.collect.python.parsing.definitions import guarded
from guards.collect.python.parsing.facts import Fixture, Func, Klass, MarkUse
from guards.collect.python.parsing.fixture_guards import skip_condition
from guards.collect.python.parsing.params import parse_parametrize
from guards.collect.python.parsing.symbols import Dynamic, Env, literal_str
from guards.collect.python.parsing.walk import blocks_of
from guards.collect.python.skip_forms import SKIP_EXCEPTIONS

if TYPE_CHECKING:
    from guards.collect.python.parsing.analyze import Analyzer

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
FIXTURES = ("pytest.fixture", "call:pytest.fixture", "pytest.yield_fixture")
ABSTRACT = ("abc.abstractmethod", "abc.abstractproperty")
# Class decorators that write __init__ (unless called with init=False).
INIT_DECORATORS = frozenset({
    "dataclasses.dataclass", "attr.s", "attr.attrs", "attr.define", "attr.frozen",
    "attr.mutable", "attr.dataclass", "attrs.define", "attrs.frozen", "attrs.mutable",
    "pydantic.dataclasses.dataclass",
})  # fmt: skip # -- packed lists read better than one item a line
# Library base classes whose instances have their own __init__ or __new__ (held equal to the
# classes themselves by tests/test_collect_adversarial.py); builtins are computed below.
CONSTRUCTOR_BASES = frozenset({
    "typing.NamedTuple", "typing.TypedDict", "typing.Protocol", "typing_extensions.NamedTuple",
    "typing_extensions.TypedDict", "typing_extensions.Protocol", "enum.Enum", "enum.IntEnum",
    "enum.Flag", "enum.IntFlag", "enum.StrEnum", "collections.OrderedDict",
    "collections.defaultdict", "collections.Counter", "collections.deque",
    "collections.ChainMap", "collections.UserDict", "collections.UserList",
    "collections.UserString", "threading.Thread", "argparse.Namespace", "pathlib.Path",
    "decimal.Decimal", "fractions.Fraction", "datetime.date", "datetime.datetime",
    "unittest.mock.Mock", "unittest.mock.MagicMock",
})  # fmt: skip # -- packed lists read better than one item a line
BUILTIN_CONSTRUCTORS = frozenset(
    f"builtins.{name}"
    for name, value in vars(builtins).items()
    if isinstance(value, type)
    and value is not object
    and any(getattr(value, m) is not getattr(object, m) for m in ("__init__", "__new__"))
)


def has_constructor(sym: str) -> bool:
    """Whether a class from outside the repository gives its subclasses a constructor."""
    return sym in CONSTRUCTOR_BASES or sym in BUILTIN_CONSTRUCTORS


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
    read = an.reads_body(node)
    refs = an.guard(node.lineno, body_refs, node, an.env, an.walked, an.runs) if read else ()
    refs = refs or ()
    fixture = an.guard(node.lineno, _fixture, an, node)
    return Func(
        name=node.name,
        line=node.lineno,
        marks=an.guard(node.lineno, an.reader.decorators, node.decorator_list) or (),
        args=arg_names(node, method=method),
        refs=refs,
        fixture=_conditioned(fixture, node, [r.line for r in refs]),
        is_method_like=not any(_is_property(d) for d in node.decorator_list),
        gives_no_function=gives_no_function(node),
    )


def gives_no_function(node: FuncNode) -> bool:
    """Whether a call of NODE gives no function: a coroutine (``async def``), or None or a
    generator (no ``return`` of a value in its own body; ``return None`` returns none). A
    test it decorates is then no function, and pytest does not collect it."""
    return isinstance(node, ast.AsyncFunctionDef) or not _returns_value(node.body)


def _returns_value(block: list[ast.stmt]) -> bool:
    """Whether BLOCK (a function's own statements, nested definitions aside) returns a value."""
    return any(_returns_here(stmt) for stmt in block)


def _returns_here(node: ast.AST) -> bool:
    if isinstance(node, ast.Return):
        value = node.value
        return value is not None and not (isinstance(value, ast.Constant) and value.value is None)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False  # its returns are its own
    return any(_returns_here(child) for child in blocks_of(node))  # handlers and cases too


def _conditioned(fixture: Fixture | None, node: FuncNode, lines: list[int]) -> Fixture | None:
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
    return Fixture(name or func_name, autouse, params, scope=_scope(kw.get("scope")))


def _scope(node: ast.expr | None) -> str:
    """The fixture's scope when literal ("function" when absent), else ""."""
    if node is None:
        return "function"
    return literal_str(node) or ""


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
        for found, when in guarded(node.body, an.env):
            stmt = an.as_def(found)  # ``test_m = lambda self: ...`` is a method (lambdas.py)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                func = read_func(an, stmt, method=True)
                methods[stmt.name] = dataclasses.replace(func, when=when.pair) if when else func
                nested.pop(stmt.name, None)
            elif isinstance(stmt, ast.ClassDef):
                nested[stmt.name] = self.read(stmt, qualname)
                methods.pop(stmt.name, None)
            elif _assigns(stmt, "pytestmark"):
                marks.extend(an.guard(stmt.lineno, _read_all, an, stmt) or ())
            elif _assigns(stmt, "__test__"):
                test_attr, test_line = _test_attr(an, stmt), stmt.lineno
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
            has_init=self._constructor(node, methods),
            abstract=self._abstract(node),
            methods=tuple(methods.values()),
            nested=tuple(nested.values()),
            when=when.pair if (when := an.when.get(qualname)) else None,
        )

    def _constructor(self, node: ast.ClassDef, methods: dict[str, Func]) -> str:
        """Why instances get a constructor other than object's: pytest does not collect the
        class (it warns). A literal ``__init__``/``__new__``, a decorator that writes one,
        or a base class from outside the repository that has one (repository bases are
        followed by the linker)."""
        own = next((f"defines {m}" for m in ("__init__", "__new__") if m in methods), "")
        return own or self._init_decorator(node) or self._init_base(node)

    def _init_decorator(self, node: ast.ClassDef) -> str:
        for deco in node.decorator_list:
            call = deco if isinstance(deco, ast.Call) else None
            sym = self._sym(call.func if call else deco)
            no_init = call is not None and any(
                k.arg == "init" and isinstance(k.value, ast.Constant) and not k.value.value
                for k in call.keywords
            )
            if sym in INIT_DECORATORS and not no_init:
                return f"is decorated with @{sym} (it writes __init__)"
        return ""

    def _init_base(self, node: ast.ClassDef) -> str:
        for base in node.bases:
            sym = self._sym(base.value if isinstance(base, ast.Subscript) else base)
            if sym is not None and has_constructor(sym):
                return f"derives from {sym.removeprefix('builtins.')} (it has a constructor)"
        return ""

    def _sym(self, node: ast.expr) -> str | None:
        name = node.id if isinstance(node, ast.Name) else ""
        if name and name not in self.an.env.names and hasattr(builtins, name):
            return f"builtins.{name}"
        try:
            return self.an.env.resolve(node)
        except Dynamic:
            return None

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


def _test_attr(an: Analyzer, stmt: ast.stmt) -> bool | None:
    """What a class body's ``__test__ = ...`` sets (TopLevel.read_test_attr: None where unknown)."""
    value = getattr(stmt, "value", None)
    return an.read_test_attr(value, stmt.lineno) if value is not None else None
