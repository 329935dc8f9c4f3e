"""Python sources read with ``ast``: the normalized code and the test functions.

Normalized code is ``ast.dump`` of the module with every docstring removed and no positions,
so a change to comments, docstrings or formatting leaves it equal (not implementation). Test
functions are pytest's: ``test*`` functions at module level and in ``Test*`` classes.

The trap: an assertion counts only where it runs. Assertions are counted in the test's own body
(not in nested functions it defines) and in the helpers it calls, followed by name through
nested definitions, module functions and methods of the same class, MAX_DEPTH levels deep; a
test that calls helpers deeper than that is marked ``deep`` and the verdict fails it when its
file changes (its assertions past the bound are not seen, so a weakening there could pass). A
helper full of asserts that no test calls adds nothing.
"""

from __future__ import annotations

import ast
import copy as copy_module
from collections.abc import Iterator, Mapping

from guards.checks.tests_with_code.model import Reading, Unit
from guards.checks.tests_with_code.trivial import broad_exception, trivially_true

Defs = Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef]
FuncDef = ast.FunctionDef | ast.AsyncFunctionDef
MAX_DEPTH = 6


def read_python(text: str) -> Reading:
    """The Reading of a Python file; a syntax error gives an unparsed Reading."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return Reading(text, tuple(text.splitlines()), parsed=False)
    strip_docstrings(tree)
    lines = tuple(ast.unparse(node) for node in iter_statements(tree))
    return Reading(ast.dump(tree), lines, tuple(test_units(tree)))


def strip_docstrings(tree: ast.AST) -> None:
    """Remove the docstring of the module and of every class and function, in place."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and _is_docstring(body[0]):
                node.body = body[1:] or [ast.Pass()]


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def iter_statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every simple statement and every compound statement's header, in source order."""
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not _has_body(node):
            yield node
        elif isinstance(node, ast.stmt):
            yield _header(node)


def _has_body(node: ast.stmt) -> bool:
    return isinstance(getattr(node, "body", None), list)


def _header(node: ast.stmt) -> ast.stmt:
    """A compound statement with its bodies emptied: its own line, not its children's."""
    copy = copy_module.copy(node)
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        if isinstance(getattr(copy, name, None), list):
            setattr(copy, name, [ast.Pass()] if name == "body" else [])
    return copy


def test_units(tree: ast.Module) -> Iterator[Unit]:
    module_defs = _defs(tree.body)
    for node in tree.body:
        if isinstance(node, FuncDef) and node.name.startswith("test"):
            yield _unit(node.name, node, module_defs, {})
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            methods = _defs(node.body)
            for name, method in methods.items():
                if name.startswith("test"):
                    yield _unit(f"{node.name}::{name}", method, module_defs, methods)


def _defs(body: list[ast.stmt]) -> dict[str, FuncDef]:
    return {n.name: n for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _unit(name: str, node: FuncDef, module: Defs, methods: Defs) -> Unit:
    counts = Counts()
    counts.visit(node, {**module, **methods}, MAX_DEPTH, set())
    body = [s for s in node.body if not isinstance(s, ast.Pass) and not _is_ellipsis(s)]
    fingerprint = ast.dump(ast.Module(body=node.body, type_ignores=[]))
    decorators = "".join(ast.dump(d) for d in node.decorator_list)
    return Unit(
        name, counts.real, counts.trivial, counts.broad, not body, decorators + fingerprint,
        node.lineno, counts.deep,
    )  # fmt: skip # -- a packed call reads better here


def _is_ellipsis(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and (stmt.value.value is Ellipsis)
    )


class Counts:
    """Assertions reachable from one test: its body and the helpers it calls."""

    def __init__(self) -> None:
        self.real = self.trivial = self.broad = 0
        self.deep = False  # a helper past MAX_DEPTH is called: never counted as if absent

    def visit(self, func: FuncDef, defs: Defs, depth: int, seen: set[int]) -> None:
        if id(func) in seen:
            return
        if depth <= 0:
            self.deep = True
            return
        seen.add(id(func))
        local = {**defs, **_defs(list(_own_statements(func)))}
        for node in _own_nodes(func):
            self._count(node)
            callee = _called_name(node)
            if callee in local:
                self.visit(local[callee], local, depth - 1, seen)

    def _count(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assert):
            self._add(trivially_true(node.test))
        elif isinstance(node, ast.Call) and _is_assert_call(node):
            self._add(_trivial_call(node))
            self.broad += _broad_raises(node)

    def _add(self, trivial: bool) -> None:
        if trivial:
            self.trivial += 1
        else:
            self.real += 1


def _own_statements(func: FuncDef) -> Iterator[ast.stmt]:
    for node in _own_nodes(func):
        if isinstance(node, ast.stmt):
            yield node


def _own_nodes(func: FuncDef) -> Iterator[ast.AST]:
    """Every node of FUNC's body, not descending into nested functions, classes or lambdas."""
    stack: list[ast.AST] = list(reversed(func.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, FuncDef | ast.ClassDef | ast.Lambda):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _called_name(node: ast.AST) -> str | None:
    """``helper()`` or ``self.helper()`` / ``cls.helper()``: the helper's name."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    target = node.func
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        return target.attr if target.value.id in ("self", "cls") else None
    return None


ASSERT_FUNCS = {"raises", "fail", "warns", "deprecated_call"}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_assert_call(node: ast.Call) -> bool:
    """pytest.raises/fail/warns, self.assertX(...), mock.assert_called_with(...), ..."""
    name = _call_name(node)
    if name.startswith("assert") or name.startswith("fail"):
        return True
    func = node.func
    return (
        name in ASSERT_FUNCS
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "pytest"
    )


UNITTEST_COMPARES: dict[str, ast.cmpop] = {
    "assertEqual": ast.Eq(), "assertEquals": ast.Eq(), "assertIs": ast.Is(),
    "assertGreaterEqual": ast.GtE(), "assertLessEqual": ast.LtE(), "assertIn": ast.In(),
    "assertGreater": ast.Gt(), "assertLess": ast.Lt(), "assertNotEqual": ast.NotEq(),
}  # fmt: skip # -- a table reads better packed


def _trivial_call(node: ast.Call) -> bool:
    """self.assertTrue(True), self.assertEqual(x, x), self.assertFalse(False), ..."""
    name, args = _call_name(node), node.args
    if name in ("assertTrue", "assert_") and len(args) >= 1:
        return trivially_true(args[0])
    if name == "assertFalse" and len(args) >= 1:
        return trivially_true(ast.UnaryOp(op=ast.Not(), operand=args[0]))
    if name in UNITTEST_COMPARES and len(args) >= 2:  # assertEqual(1 + 1, 2), assertIn(x, [x])
        compare = ast.Compare(left=args[0], ops=[UNITTEST_COMPARES[name]], comparators=[args[1]])
        return trivially_true(compare)
    if name == "assertIsInstance" and len(args) >= 2:
        return trivially_true(ast.Call(func=ast.Name("isinstance"), args=args[:2], keywords=[]))
    return False


def _broad_raises(node: ast.Call) -> int:
    name = _call_name(node)
    if name in ("raises", "assertRaises", "assertRaisesRegex") and node.args:
        return int(broad_exception(node.args[0]))
    return 0
