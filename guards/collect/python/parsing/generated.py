"""Tests a module defines in ways the static reader cannot see: names bound at import to values
built by code (python-jsonschema's ``TestDraft7 = DRAFT7.to_unittest_testcase(...)``, a class made
by ``type(...)`` or by a factory), ``globals()[...] = ...``, ``setattr(sys.modules[__name__],
...)``.

pytest collects any module attribute whose name matches ``python_classes`` (a class) or
``python_functions`` (a function), however it was made. So such a binding is recorded here as a
fact (name, line, what), and linking (linking/generated.py) makes the module undecidable when
the name matches the configured patterns; a computed name always does. The trap: reading only
``class``/``def`` statements reports "0 tests" for such a module, and a pass.

Values that cannot be a class or a function are not recorded: literals, containers,
comprehensions, arithmetic, f-strings, and calls of builtins that return data
(``dict(...)``, ``json.load(...)``, ``os.path.join(...)``, ...), and what the public methods and
properties of a string or a ``pathlib`` path make of one (flask's ``test_path = (Path(__file__) /
".." / "test_apps").resolve()``, ``Path(__file__).parent``, ``"{}".format(x)``): a string, a
path, a number or a list of them. The trap: a method's bound object is no data (pytest
collects ``Path(x).resolve``, unwrapping it to a function), nor is an underscore name
(``__class__``, ``__getattribute__``), so a method counts only called, a property only by name.
"""

from __future__ import annotations

import ast
from typing import TypeGuard

from guards.collect.python.parsing.symbols import Env, literal_str

COMPUTED = "*"  # the name is computed: it can match any pattern
DATA_VALUES = (
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.BoolOp,
    ast.JoinedStr,
)
DATA_CALLS = frozenset(
    {
        "dict", "list", "set", "tuple", "frozenset", "str", "int", "float", "bool", "bytes",
        "sorted", "range", "len", "open", "object", "max", "min", "sum", "repr", "format",
        "json.load", "json.loads", "os.path.join", "os.path.dirname", "os.path.abspath",
        "os.getenv", "os.environ.get", "pathlib.Path", "re.compile", "collections.namedtuple",
        "typing.TypeVar", "typing.NewType", "platform.system", "sys.platform",
        "pytest.mark", "pytest.fixture", "pytest.importorskip", "importlib.import_module",
    }
)  # fmt: skip # -- packed lists read better than one item a line
TEXTS = frozenset(
    {
        "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath",
        "pathlib.WindowsPath", "pathlib.PureWindowsPath", "str", "repr", "format", "os.fspath",
        "os.getcwd", "os.path.join", "os.path.dirname", "os.path.abspath", "os.path.realpath",
        "os.path.normpath", "os.path.basename", "os.path.expanduser", "os.path.relpath",
    }
)  # fmt: skip # -- calls that make a string or a path
PATH_PROPERTIES = frozenset(
    {"parent", "parents", "name", "stem", "suffix", "suffixes", "parts", "anchor", "drive", "root"}
)


def generated(stmts: list[ast.stmt], env: Env) -> tuple[tuple[str, int, str], ...]:
    """(name, line, what) for every import-time binding that may make a test pytest collects."""
    out: list[tuple[str, int, str]] = []
    for stmt in stmts:
        out += _bindings(stmt, env)
    return tuple(out)


def _bindings(stmt: ast.stmt, env: Env) -> list[tuple[str, int, str]]:
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return [b for t in targets for b in _target(t, stmt.value, env, stmt.lineno)]
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return _setattr(stmt.value, env)
    return []


def _target(target: ast.expr, value: ast.expr, env: Env, line: int) -> list[tuple[str, int, str]]:
    text = ast.unparse(value)[:60]
    if isinstance(target, ast.Name):
        if _data(value, env):
            return []
        return [(target.id, line, f"{target.id} = {text} is built at import")]
    if isinstance(target, ast.Subscript) and _globals_call(target.value):
        name = literal_str(target.slice) or COMPUTED
        return [(name, line, f"globals()[{ast.unparse(target.slice)[:40]}] = {text}")]
    return []


def _setattr(call: ast.Call, env: Env) -> list[tuple[str, int, str]]:
    func = env.resolve(call.func) or ast.unparse(call.func)
    if func not in ("builtins.setattr", "setattr") or len(call.args) != 3:
        return []
    owner = ast.unparse(call.args[0])
    if "sys.modules" not in owner and owner not in ("module", "mod"):
        return []
    name = literal_str(call.args[1]) or COMPUTED
    return [(name, call.lineno, f"setattr({owner}, {ast.unparse(call.args[1])[:40]}, ...)")]


def _globals_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and ast.unparse(node.func) in ("globals", "vars", "locals")


def _data(value: ast.expr, env: Env) -> bool:
    if isinstance(value, DATA_VALUES):
        return True
    if isinstance(value, ast.Call):
        sym = _called(value, env)
        if sym in DATA_CALLS or sym.startswith("mark:"):
            return True
    return _of_text(value, env)


def _called(call: ast.Call, env: Env) -> str:
    sym = env.resolve(call.func) or ast.unparse(call.func)
    return sym.removeprefix("builtins.")


def _of_text(value: ast.expr, env: Env) -> bool:
    """Whether VALUE is a string or a path, or what their public methods (called) and a path's
    properties make of one, down the chain of receivers (a loop: a chain may be long)."""
    node = value
    while True:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bytes))
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Call) and _called(node, env) in TEXTS
        ):
            return True
        if isinstance(node, ast.Call) and _method(node.func):
            node = node.func.value
        elif isinstance(node, ast.Attribute) and node.attr in PATH_PROPERTIES:
            node = node.value
        elif isinstance(node, ast.BinOp):
            node = node.left  # ``path / "x"``, ``"%s" % x``: the left side's kind
        else:
            return False


def _method(func: ast.expr) -> TypeGuard[ast.Attribute]:
    return isinstance(func, ast.Attribute) and not func.attr.startswith("_")
