"""Whether ``items[:] = ...`` in ``pytest_collection_modifyitems`` only reorders the items.

Accepted: ``items[:] = sorted(items, ...)``, ``items[:] = list(reversed(items))``, and the
bucket pattern (pytest's own conftest)::

    fast, slow = [], []
    for item in items:
        if ...: fast.append(item)
        else: slow.append(item)
    items[:] = fast + slow

The trap: a bucket pattern that drops an item is a filter, not a reordering. So the buckets
must be fresh empty lists, touched only by ``bucket.append(item)`` inside one loop over
``items`` and once in the concatenation, the loop's variable bound by the loop alone, and every
path through the loop body must append the item exactly once (an early ``continue``, a nested
loop or an append inside ``try`` is not followed, and the hook stays undecidable). And
``sorted``, ``reversed`` and ``list`` are the builtins only where neither the module (SHADOWED)
nor the hook binds the name: ``def sorted(items, key=None): return items[:1]`` filters.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from guards.collect.python.parsing.hook_conditions import mentions
from guards.collect.python.parsing.name_bindings import binds
from guards.collect.python.parsing.walk import nodes as walk_nodes

Function = ast.FunctionDef | ast.AsyncFunctionDef
ORDERING_CALLS = ("sorted", "reversed", "list")
ENDS = (ast.Continue, ast.Break, ast.Return, ast.Raise)


def only_reorders(func: Function, stmt: ast.Assign, shadowed: Iterable[str] = ()) -> bool:
    """STMT (``items[:] = VALUE`` in FUNC) keeps exactly the items, in some order; SHADOWED:
    the names the hook's module binds."""
    target = stmt.targets[0] if len(stmt.targets) == 1 else None
    if not (isinstance(target, ast.Subscript) and _is_items(target.value)):
        return False
    if not _full_slice(target.slice):
        return False
    builtins = set(ORDERING_CALLS) - set(shadowed) - _bound_in(func)
    return _ordering_call(stmt.value, builtins) or _buckets_concat(func, stmt.value)


def _bound_in(func: Function) -> set[str]:
    """The names FUNC binds: its parameters and what its body assigns, imports or defines."""
    return {name for node in walk_nodes(func) for name in binds(node)}


def _is_items(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "items"


def _full_slice(node: ast.expr) -> bool:
    return isinstance(node, ast.Slice) and node.lower is node.upper is node.step is None


def _ordering_call(node: ast.expr, builtins: set[str]) -> bool:
    """``sorted(items, ...)``, ``list(reversed(items))``, ``reversed(items)``, each name one of
    BUILTINS (not rebound)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
        return False
    if node.func.id not in builtins or len(node.args) != 1:
        return False
    arg = node.args[0]
    return _is_items(arg) or (node.func.id == "list" and _ordering_call(arg, builtins))


def _concat_names(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _concat_names(node.left), _concat_names(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _buckets_concat(func: Function, value: ast.expr) -> bool:
    names = _concat_names(value)
    if not names or len(set(names)) != len(names) or "items" in names:
        return False
    loops = [s for s in func.body if isinstance(s, ast.For) and _is_items(s.iter)]
    if len(loops) != 1 or not isinstance(loops[0].target, ast.Name) or loops[0].orelse:
        return False
    loop, var = loops[0], loops[0].target.id
    if any(var in binds(node) for stmt in loop.body for node in walk_nodes(stmt)):
        return False  # the item appended may be another than the loop's
    buckets = frozenset(names)
    if not all(_fresh_bucket(func, loop, name) for name in names):
        return False
    return _appends(loop.body, var, buckets) == {1}


def _fresh_bucket(func: Function, loop: ast.For, name: str) -> bool:
    """NAME is set once to ``[]`` and otherwise used only as ``NAME.append(x)`` in LOOP."""
    inits = [
        s
        for s in func.body
        if isinstance(s, ast.Assign) and any(_binds(t, name) for t in s.targets)
    ]
    if len(inits) != 1 or not _empty_list_for(inits[0], name):
        return False
    uses = sum(1 for n in walk_nodes(func) if isinstance(n, ast.Name) and n.id == name)
    appends = sum(1 for n in walk_nodes(loop) if _append_call(n, name))
    return uses == 1 + appends + 1


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in walk_nodes(target))


def _empty_list_for(stmt: ast.Assign, name: str) -> bool:
    target, value = stmt.targets[0], stmt.value
    if len(stmt.targets) != 1:
        return False
    if isinstance(target, ast.Name):
        return target.id == name and isinstance(value, ast.List) and not value.elts
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        pairs = zip(target.elts, value.elts, strict=False)
        return len(target.elts) == len(value.elts) and all(
            isinstance(v, ast.List) and not v.elts for t, v in pairs if _binds(t, name)
        )
    return False


def _append_call(node: ast.AST, name: str) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner = node.func.value
    return node.func.attr == "append" and isinstance(owner, ast.Name) and owner.id == name


def _appends(stmts: list[ast.stmt], var: str, buckets: frozenset[str]) -> set[int] | None:
    """How many times each path through STMTS appends VAR to a bucket; None: not followed."""
    totals = {0}
    for stmt in stmts:
        step = _stmt_appends(stmt, var, buckets)
        if step is None:
            return None
        totals = {a + b for a in totals for b in step}
    return totals


def _stmt_appends(stmt: ast.stmt, var: str, buckets: frozenset[str]) -> set[int] | None:
    if isinstance(stmt, ast.If):
        body, orelse = _appends(stmt.body, var, buckets), _appends(stmt.orelse, var, buckets)
        return body | orelse if body is not None and orelse is not None else None
    if isinstance(stmt, ast.Try):
        return _try_appends(stmt, var, buckets)
    if isinstance(stmt, ast.Expr) and any(_append_call(stmt.value, b) for b in buckets):
        return {1} if _appends_var(stmt.value, var) else None
    if isinstance(stmt, ENDS) or any(mentions(stmt, b) for b in buckets):
        return None
    return {0}


def _appends_var(call: ast.expr, var: str) -> bool:
    if not (isinstance(call, ast.Call) and len(call.args) == 1 and not call.keywords):
        return False
    arg = call.args[0]
    return isinstance(arg, ast.Name) and arg.id == var


def _try_appends(stmt: ast.Try, var: str, buckets: frozenset[str]) -> set[int] | None:
    if any(mentions(s, b) for s in stmt.body for b in buckets):
        return None  # an exception midway could skip or repeat an append
    paths = [_appends(stmt.orelse, var, buckets)]
    paths += [_appends(h.body, var, buckets) for h in stmt.handlers]
    final = _appends(stmt.finalbody, var, buckets)
    if final is None or any(p is None for p in paths):
        return None
    out = {a for p in paths if p is not None for a in p}
    return {a + b for a in out for b in final}
