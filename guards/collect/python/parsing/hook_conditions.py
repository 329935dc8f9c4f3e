"""Conditions on a test item in a conftest hook, as small picklable trees, and their value.

A condition that does not involve the item (``sys.platform``, an option a plugin declares)
counts as true: the skip set is about declarations, not this machine. A flag the conftest
declares itself is its value on a run that does not pass it (hook_options.py).
A condition on the item that is not understood is undecidable. A call of a *predicate* with
the item (tox's ``is_integration(item)``, a function of the hook or its module whose body is
one ``return`` of an expression of its one parameter) is read as that expression, the item as
the parameter, at most MAX_PREDICATES calls deep.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from guards.collect.python.parsing.symbols import literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes

Cond = tuple[Any, ...]
Predicates = Callable[[ast.expr], "tuple[str, ast.expr] | None"]  # a callee -> (param, return)
MAX_PREDICATES = 4
ANY: Cond = ("any",)
TRUE: Cond = ("true",)
DATA = "<data>"  # marks a collection read from a data file: (DATA, name)
UNCLEAR = "unclear"  # (UNCLEAR, text, line): an item's membership in what was not read
STRING_OPS = {"startswith", "endswith"}
ITEM_TEXT = {"nodeid": "nodeid", "name": "name", "originalname": "originalname"}
PATH_ATTRS = {"fspath", "path"}
# Every item the static collector yields is a test function: isinstance(item, <these>) holds.
ITEM_CLASSES = {"pytest.Function", "pytest.Item", "Function", "Item", "_pytest.python.Function"}


class Unclear(Exception):
    """A condition on the item that cannot be evaluated statically."""

    def __init__(self, node: ast.AST) -> None:
        super().__init__(ast.unparse(node)[:80])
        self.line = getattr(node, "lineno", 0)


def mentions(node: ast.AST, var: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == var for n in walk_nodes(node))


class CondReader:
    """Reads ``if`` tests of a hook whose item variable is ``var``."""

    def __init__(
        self,
        var: str,
        literal_sets: Callable[[ast.expr], Cond | None],
        option: Callable[[ast.expr], Cond | None] = lambda _node: None,
        predicates: Predicates = lambda _func: None,
        depth: int = 0,
    ) -> None:
        self.var, self.literal_sets, self.option = var, literal_sets, option
        self.predicates, self.depth = predicates, depth

    def read(self, node: ast.expr) -> Cond:
        flag = self.option(node)  # a flag the conftest declares (hook_options.py)
        if flag is not None:
            return flag
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            conds = [self.read(v) for v in node.values]
            out = conds[0]
            for c in conds[1:]:
                out = (op, out, c)
            return out
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ("not", self.read(node.operand))
        if not mentions(node, self.var) or _config_only(node, self.var):
            return ANY
        return self._atom(node)

    def _atom(self, node: ast.expr) -> Cond:
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self._compare(node.left, node.ops[0], node.comparators[0], node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise Unclear(node)

    def _compare(self, left: ast.expr, op: ast.cmpop, right: ast.expr, node: ast.AST) -> Cond:
        if isinstance(op, (ast.IsNot, ast.Is)) and _is_none(right):
            inner = self._atom(left)
            return inner if isinstance(op, ast.IsNot) else ("not", inner)
        if isinstance(op, (ast.In, ast.NotIn)):
            cond = self._membership(left, right, node)
        elif isinstance(op, (ast.Eq, ast.NotEq)):
            cond = ("text", self._text(left, node), "eq", _literal(right, node))
        else:
            raise Unclear(node)
        return ("not", cond) if isinstance(op, (ast.NotIn, ast.NotEq)) else cond

    def _membership(self, left: ast.expr, right: ast.expr, node: ast.AST) -> Cond:
        needle = literal_str(left)
        if needle is not None:
            if _is_item_attr(right, self.var, "keywords"):
                return ("keyword", needle)
            return ("text", self._text(right, node), "contains", needle)
        collection = self.literal_sets(right)
        if collection is None:  # decided where it is evaluated, if it matters (hook_eval.py)
            self._text(left, node)
            return (UNCLEAR, ast.unparse(node)[:80], getattr(node, "lineno", 0))
        return ("text", self._text(left, node), "in", collection)

    def _text(self, node: ast.expr, whole: ast.AST) -> str:
        """Which text of the item NODE is: nodeid, name, originalname or path."""
        if isinstance(node, ast.Call) and _called(node, "str") and node.args:
            return self._text(node.args[0], whole)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == self.var and node.attr in ITEM_TEXT:
                return ITEM_TEXT[node.attr]
            if node.value.id == self.var and node.attr in PATH_ATTRS:
                return "path"
        if _is_path_name(node, self.var):
            return "basename"
        raise Unclear(whole)

    def _call(self, node: ast.Call) -> Cond:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in STRING_OPS and node.args:
            return ("text", self._text(func.value, node), func.attr, _literal(node.args[0], node))
        if isinstance(func, ast.Attribute) and func.attr in ("get_closest_marker", "iter_markers"):
            name = _marker_name(node)
            if name and _is_item_attr(func, self.var, func.attr):
                return ("mark", name)
        is_item = _called(node, "isinstance") and _is_var(node.args[0], self.var)
        if is_item and len(node.args) == 2 and ast.unparse(node.args[1]) in ITEM_CLASSES:
            return TRUE
        if isinstance(func, ast.Name) and func.id in ("any", "list", "bool") and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Call):
                return self._call(arg)
        return self._predicate(node)

    def _predicate(self, node: ast.Call) -> Cond:
        """A predicate called with the item alone, read as its returned expression; where
        that cannot be read, the call in the hook is what is not followed."""
        given = len(node.args) == 1 and not node.keywords and _is_var(node.args[0], self.var)
        found = self.predicates(node.func) if given and self.depth < MAX_PREDICATES else None
        if found is None:
            raise Unclear(node)
        param, returned = found
        inner = CondReader(param, self.literal_sets, self.option, self.predicates, self.depth + 1)
        try:
            return inner.read(returned)
        except Unclear:
            raise Unclear(node) from None


def predicate(func: ast.FunctionDef | ast.AsyncFunctionDef | None) -> tuple[str, ast.expr] | None:
    """(its parameter, what it returns) for FUNC, a plain function of one parameter without a
    default whose body is one ``return EXPR`` (after a docstring); else None."""
    if func is None or isinstance(func, ast.AsyncFunctionDef) or func.decorator_list:
        return None
    args = func.args
    if args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg or args.defaults:
        return None
    body = func.body[1:] if _docstring(func.body[0]) else func.body
    if len(args.args) != 1 or len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    returned = body[0].value
    return None if returned is None else (args.args[0].arg, returned)


def _docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def _config_only(node: ast.AST, var: str) -> bool:
    """NODE reads the item only as ``item.config`` (an option: not about the item)."""
    uses = sum(1 for n in walk_nodes(node) if _is_var(n, var))
    configs = sum(1 for n in walk_nodes(node) if _is_item_attr(n, var, "config"))
    return uses == configs


def _is_var(node: ast.AST, var: str) -> bool:
    return isinstance(node, ast.Name) and node.id == var


def _is_path_name(node: ast.expr, var: str) -> bool:
    """``item.path.name`` or ``item.fspath.basename``."""
    if not (isinstance(node, ast.Attribute) and node.attr in ("name", "basename")):
        return False
    return _is_item_attr(node.value, var, *PATH_ATTRS)


def _called(node: ast.Call, name: str) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == name


def _is_item_attr(node: ast.AST, var: str, *attrs: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr in attrs
        and isinstance(node.value, ast.Name)
        and node.value.id == var
    )


def _marker_name(node: ast.Call) -> str | None:
    for kw in node.keywords:
        if kw.arg == "name":
            return literal_str(kw.value)
    return literal_str(node.args[0]) if node.args else None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _literal(node: ast.expr, whole: ast.AST) -> object:
    if isinstance(node, ast.Tuple):
        values = tuple(literal_str(e) for e in node.elts)
        if all(v is not None for v in values):
            return values
    text = literal_str(node)
    if text is None:
        raise Unclear(whole)
    return text
