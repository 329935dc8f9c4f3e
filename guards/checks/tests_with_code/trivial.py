"""Pure predicates: an assertion that is always true, an exception check that accepts anything.

``assert True``, ``assert 1``, ``assert "text"``, ``assert (x, "message")`` (a non-empty tuple),
``assert x == x``, ``assert x is x``, ``assert not False``, ``assert x or True`` are always true.
``pytest.raises(Exception)`` and ``pytest.raises(BaseException)`` (or a tuple holding either)
accept any error, so they cannot tell the right failure from a crash.
"""

from __future__ import annotations

import ast

BROAD = {"Exception", "BaseException"}
_SAME_OPS = (ast.Eq, ast.Is, ast.LtE, ast.GtE)


def trivially_true(expr: ast.expr) -> bool:
    """True when EXPR is true whatever the code under test does."""
    if _constant(expr) is not None:
        return bool(_constant(expr))
    if isinstance(expr, ast.Tuple | ast.List | ast.Set | ast.Dict):
        return _non_empty_display(expr)
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
        same = ast.dump(expr.left) == ast.dump(expr.comparators[0])
        return same and isinstance(expr.ops[0], _SAME_OPS)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        value = _constant(expr.operand)
        return value is not None and not value
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
        return any(trivially_true(v) for v in expr.values)
    return False


def _non_empty_display(expr: ast.Tuple | ast.List | ast.Set | ast.Dict) -> bool:
    return bool(expr.keys if isinstance(expr, ast.Dict) else expr.elts)


def _constant(expr: ast.expr) -> object | None:
    """The literal value of EXPR (True, 1, "x", ...), wrapped so falsy values are not None."""
    if isinstance(expr, ast.Constant):
        return _Truth(bool(expr.value))
    return None


class _Truth:
    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value


def broad_exception(expr: ast.expr) -> bool:
    """``Exception``, ``BaseException``, ``builtins.Exception`` or a tuple holding one."""
    if isinstance(expr, ast.Tuple):
        return any(broad_exception(e) for e in expr.elts)
    if isinstance(expr, ast.Name):
        return expr.id in BROAD
    return isinstance(expr, ast.Attribute) and expr.attr in BROAD
