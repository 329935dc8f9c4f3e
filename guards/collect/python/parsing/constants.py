"""The value of an expression made of constants only, as Python would compute it, or NOTHING.

Parametrize ids are computed from values (pytest's ``_idval``), and agents (and real projects)
write values as expressions: ``'>=' + '1' * 5000``, ``f"e:{os.sep}"``, ``-1``, ``b"x" * 3``,
``("a", 2)``. Folding them gives pytest's id; an expression that is not constant gives
NOTHING, and the caller keys the tests by function instead of guessing an id.

The platform is assumed to be POSIX (the gate runs on linux): ``os.sep`` is ``/``. The trap:
``'x' * 10**9`` is a constant too; sizes are bounded before anything is built.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable
from typing import Any

from guards.collect.python.parsing.symbols import Dynamic

NOTHING: Any = object()
MAX_SIZE = 100_000  # characters or items a folded value may have
MAX_DEPTH = 32
POSIX = {
    "os.sep": "/", "os.path.sep": "/", "posixpath.sep": "/", "os.pathsep": ":",
    "os.path.pathsep": ":", "os.linesep": "\n", "os.curdir": ".", "os.pardir": "..",
    "os.extsep": ".", "os.altsep": None, "os.devnull": "/dev/null", "os.name": "posix",
}  # fmt: skip # -- packed lists read better than one item a line
BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv, ast.Div: operator.truediv,
}  # fmt: skip # -- packed lists read better than one item a line
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
CONVERSIONS: dict[int, Callable[[Any], str]] = {-1: str, 115: str, 114: repr, 97: ascii}
SCALARS = (str, bytes, int, float, complex, bool, type(None))


class Folder:
    """Folds expressions, following names through FOLLOW and dotted names through RESOLVE."""

    def __init__(
        self, follow: Callable[[ast.expr], ast.expr], resolve: Callable[[ast.expr], str | None]
    ) -> None:
        self.follow, self.resolve = follow, resolve

    def fold(self, node: ast.expr, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return NOTHING
        node = self.follow(node)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.fold(e, depth + 1) for e in node.elts]
            if NOTHING in items:
                return NOTHING
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
            return self._apply(UNARY[type(node.op)], self.fold(node.operand, depth + 1))
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            return self._binary(node, depth)
        if isinstance(node, ast.JoinedStr):
            return self._joined(node, depth)
        if isinstance(node, (ast.Attribute, ast.Name)):
            return self._named(node)
        return NOTHING

    def _binary(self, node: ast.BinOp, depth: int) -> Any:
        left, right = self.fold(node.left, depth + 1), self.fold(node.right, depth + 1)
        if left is NOTHING or right is NOTHING or not _small(left, right, node.op):
            return NOTHING
        return self._apply(lambda a: BINARY[type(node.op)](a, right), left)

    def _joined(self, node: ast.JoinedStr, depth: int) -> Any:
        parts: list[str] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
                continue
            assert isinstance(value, ast.FormattedValue)
            inner = self.fold(value.value, depth + 1)
            spec = self.fold(value.format_spec, depth + 1) if value.format_spec else ""
            if inner is NOTHING or spec is NOTHING or value.conversion not in CONVERSIONS:
                return NOTHING
            text = CONVERSIONS[value.conversion](inner) if value.conversion != -1 else inner
            parts.append(self._apply(functools.partial(_format, spec=spec), text))
        return NOTHING if NOTHING in parts else "".join(parts)

    def _named(self, node: ast.Attribute | ast.Name) -> Any:
        try:
            sym = self.resolve(node)
        except Dynamic:
            return NOTHING
        return POSIX.get(sym, NOTHING) if sym else NOTHING

    @staticmethod
    def _apply(fn: Callable[[Any], Any], value: Any) -> Any:
        if value is NOTHING:
            return NOTHING
        try:
            out = fn(value)
        except (TypeError, ValueError, ArithmeticError):
            return NOTHING
        return out if isinstance(out, SCALARS) else NOTHING


def _format(value: Any, spec: Any) -> str:
    return format(value, spec)


def _small(left: Any, right: Any, op: ast.operator) -> bool:
    """Whether the result stays within MAX_SIZE (a repeated string or a huge power)."""
    if not isinstance(op, ast.Mult):
        return _size(left) + _size(right) <= MAX_SIZE
    times = right if isinstance(right, int) else left if isinstance(left, int) else 1
    seq = left if isinstance(right, int) else right
    return abs(int(times)) * max(_size(seq), 1) <= MAX_SIZE


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes, tuple, list)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3
    return 1
