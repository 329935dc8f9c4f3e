"""Pure predicates: an assertion that is always true, an exception check that accepts anything.

Always true: an expression of constants alone that Python folds to a true value (``assert 1``,
``assert "text"``, ``assert 1 + 1 == 2``, ``assert not not True``, ``assert 2 > 1``), a non-empty
display (``assert (x, "message")``), an expression compared with itself (``x == x``, ``x is
x``, ``x >= x``), found in a display that holds it (``x in (x, y)``), ``isinstance(x,
object)``, a length at least 0 (``len(x) >= 0``, ``0 <= len(x)``), ``not`` of an always-false
constant, and an ``or`` with an always-true operand. ``pytest.raises(Exception)`` and
``pytest.raises(BaseException)`` (or a tuple holding either) accept any error, so they cannot
tell the right failure from a crash.

The trap: folding runs no code of the test's, only arithmetic, comparison and boolean
operators on constants, each result bounded before it is built (``"x" * 10**9`` is not
folded), and an operation that raises is not folded (``assert 1 / 0`` fails).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

BROAD = {"Exception", "BaseException"}
_SAME_OPS = (ast.Eq, ast.Is, ast.LtE, ast.GtE)
UNKNOWN = object()  # what folding gives an expression that is not constants alone
MAX_FOLDED = 10_000  # characters or digits a folded value may have
MAX_DEPTH = 32
_UNARY: dict[type, Callable[[Any], Any]] = {
    ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
}  # fmt: skip # -- a table reads better packed
_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
    ast.BitXor: operator.xor, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}  # fmt: skip # -- a table reads better packed
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_,
    ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}  # fmt: skip # -- a table reads better packed


def trivially_true(expr: ast.expr) -> bool:
    """True when EXPR is true whatever the code under test does."""
    value = folded(expr)
    if value is not UNKNOWN:
        return bool(value)
    if isinstance(expr, ast.Tuple | ast.List | ast.Set | ast.Dict):
        return _non_empty_display(expr)
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
        return _true_comparison(expr.left, expr.ops[0], expr.comparators[0])
    if isinstance(expr, ast.Call):
        return _instance_of_object(expr)
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
        return any(trivially_true(v) for v in expr.values)
    return False


def _true_comparison(left: ast.expr, op: ast.cmpop, right: ast.expr) -> bool:
    """``x == x``, ``x in (x, y)``, ``len(x) >= 0``, ``0 <= len(x)``."""
    if isinstance(op, _SAME_OPS) and ast.dump(left) == ast.dump(right):
        return True
    if isinstance(op, ast.In) and isinstance(right, ast.Tuple | ast.List | ast.Set):
        return any(ast.dump(left) == ast.dump(item) for item in right.elts)
    at_least = isinstance(op, ast.GtE) and _is_len(left) and folded(right) == 0
    return at_least or (isinstance(op, ast.LtE) and folded(left) == 0 and _is_len(right))


def _is_len(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "len"


def _instance_of_object(call: ast.Call) -> bool:
    """``isinstance(x, object)``: everything is an object."""
    func, args = call.func, call.args
    named = isinstance(func, ast.Name) and func.id == "isinstance" and len(args) == 2
    return named and isinstance(args[1], ast.Name) and args[1].id == "object"


def _non_empty_display(expr: ast.Tuple | ast.List | ast.Set | ast.Dict) -> bool:
    return bool(expr.keys if isinstance(expr, ast.Dict) else expr.elts)


def folded(expr: ast.expr, depth: int = 0) -> Any:
    """The value of EXPR when it is constants and operators alone (bounded), else UNKNOWN."""
    if depth > MAX_DEPTH:
        return UNKNOWN
    try:
        value = _fold(expr, depth)
    except (ArithmeticError, TypeError, ValueError):
        return UNKNOWN
    return value if value is UNKNOWN or _small(value) else UNKNOWN


def _fold(expr: ast.expr, depth: int) -> Any:
    if isinstance(expr, ast.Constant):
        return expr.value
    if isinstance(expr, ast.Tuple):
        items = [folded(e, depth + 1) for e in expr.elts]
        return UNKNOWN if UNKNOWN in items else tuple(items)
    if isinstance(expr, ast.UnaryOp):
        operand = folded(expr.operand, depth + 1)
        return UNKNOWN if operand is UNKNOWN else _UNARY[type(expr.op)](operand)
    if isinstance(expr, ast.BinOp):
        return _fold_binary(expr, depth)
    if isinstance(expr, ast.BoolOp):
        values = [folded(v, depth + 1) for v in expr.values]
        if UNKNOWN in values:
            return UNKNOWN
        return all(values) if isinstance(expr.op, ast.And) else any(values)
    if isinstance(expr, ast.Compare):
        return _fold_compare(expr, depth)
    return UNKNOWN


def _fold_binary(expr: ast.BinOp, depth: int) -> Any:
    left, right = folded(expr.left, depth + 1), folded(expr.right, depth + 1)
    if left is UNKNOWN or right is UNKNOWN or not _bounded(expr.op, left, right):
        return UNKNOWN
    return _BINARY[type(expr.op)](left, right)


def _bounded(op: ast.operator, left: Any, right: Any) -> bool:
    """Whether OP on LEFT and RIGHT makes a value small enough to build: a repetition or a
    power is sized before it runs."""
    if isinstance(op, ast.Mult):
        repeated = [v for v in (left, right) if isinstance(v, str | bytes | tuple)]
        if not repeated:
            return True  # numbers: each is small, so is their product
        times = right if repeated[0] is left else left
        return isinstance(times, int) and len(repeated[0]) * max(times, 0) <= MAX_FOLDED
    if isinstance(op, ast.Pow | ast.LShift):
        return isinstance(right, int) and 0 <= right <= 64 and _small(left)
    return True


def _fold_compare(expr: ast.Compare, depth: int) -> Any:
    values = [folded(v, depth + 1) for v in (expr.left, *expr.comparators)]
    if UNKNOWN in values:
        return UNKNOWN
    pairs = zip(expr.ops, values, values[1:], strict=False)
    return all(_COMPARE[type(op)](a, b) for op, a, b in pairs)


def _small(value: Any) -> bool:
    """Whether VALUE is small enough to keep: a number of at most MAX_FOLDED digits, a string,
    bytes or tuple of at most MAX_FOLDED items."""
    if isinstance(value, bool | float | complex | type(None) | type(...)):
        return True
    if isinstance(value, int):
        return value.bit_length() <= MAX_FOLDED * 3
    if isinstance(value, str | bytes | tuple):
        return len(value) <= MAX_FOLDED
    return False


def broad_exception(expr: ast.expr) -> bool:
    """``Exception``, ``BaseException``, ``builtins.Exception`` or a tuple holding one."""
    if isinstance(expr, ast.Tuple):
        return any(broad_exception(e) for e in expr.elts)
    if isinstance(expr, ast.Name):
        return expr.id in BROAD
    return isinstance(expr, ast.Attribute) and expr.attr in BROAD
