"""A faster ``ast.walk``: the same nodes in the same (breadth-first) order, as a list.

``ast.walk`` spends most of its time in ``iter_fields``/``iter_child_nodes``: a generator per
node, an ``isinstance`` per field, and a visit of every expression context and operator
(``Load``, ``Store``, ``Add``: a third of all nodes, none of them ever read). ``nodes`` visits
only the fields that can hold nodes, read from each node class's ASDL signature once.

The trap: the order is part of the contract (readers keep the first reference per line, and
the last alias assigned wins), so it must stay exactly ``ast.walk``'s, minus the contexts and
operators; a field whose type the signature does not give is read like ``iter_child_nodes``
would read it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any

# ASDL types whose values are never nodes worth visiting: scalars, contexts and operators.
LEAVES = frozenset(
    {"identifier", "string", "int", "constant", "expr_context", "operator", "boolop"}
    | {"unaryop", "cmpop"}
)
SKIPPED = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # the fields holding statements
SIGNATURE_FIELD = re.compile(r"(\w+)[*?]? (\w+)[,)]")  # "expr* args," in a node class's __doc__
Values = Callable[[ast.AST], Sequence[object]]  # a node's node-holding fields, in order
_PLANS: dict[type, Values] = {}
_BLOCKED: dict[type, tuple[str, ...]] = {}  # a node class -> its fields of BLOCKS (blocks_of)


def nodes(root: ast.AST) -> list[ast.AST]:
    """ROOT and every node below it, breadth first, without contexts and operators."""
    return _fresh([root])


def nodes_of(stmts: Sequence[ast.AST]) -> list[ast.AST]:
    """``nodes`` of each statement of a block, one after the other."""
    found: list[ast.AST] = []
    for stmt in stmts:
        found += _fresh([stmt])
    return found


def _fresh(queue: list[ast.AST], plans: Mapping[type, Values] = _PLANS) -> list[ast.AST]:
    """QUEUE's nodes and every node below them, breadth first, each node's fields read by its
    plan (PLANS, else the class's own): the loop of every body, so it asks nothing it need not
    (most of a function's cost after its parse)."""
    append = queue.append
    for node in queue:  # the list grows while it is read: that is the breadth-first queue
        values = plans.get(type(node)) or _values(type(node))
        if values is _none:
            continue
        for value in values(node):
            if type(value) is list:
                queue += value if None not in value else [x for x in value if x is not None]
            elif value is not None:
                append(value)  # type: ignore[arg-type] # -- a node: _plan reads only those
    return queue


def children(node: ast.AST) -> list[ast.AST]:
    """The nodes directly below NODE, contexts and operators aside (one step of ``nodes``)."""
    found: list[ast.AST] = []
    for value in _values(type(node))(node):
        if type(value) is list:
            found += [x for x in value if x is not None]
        elif value is not None:
            found.append(value)  # type: ignore[arg-type] # -- a node: _plan reads only those
    return found


def blocks_of(node: ast.AST) -> Sequence[ast.AST]:
    """The statements (and handlers, match cases) directly inside NODE's blocks: none at once
    for a node whose class has no block field (most statements: ``return``, an assignment)."""
    cls = type(node)
    fields = _BLOCKED.get(cls)
    if fields is None:
        fields = _BLOCKED[cls] = tuple(f for f in BLOCKS if f in cls._fields)
    if not fields:
        return ()
    found: list[ast.AST] = []
    for name in fields:
        block = getattr(node, name, None)
        if type(block) is list:  # a lambda's or an if-expression's body is one expression
            found += block
    return found


def first_line(node: ast.AST) -> int:
    """Where the statement NODE starts: a decorated definition at its first decorator, not at
    its ``def`` (the line ``lineno`` gives)."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    first: int = getattr(node, "lineno", 0)
    return min([first, *(d.lineno for d in decorators)])


def parented(root: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """(node, its parent) for every node below ROOT, contexts and operators aside, breadth
    first: ``nodes``' walk, each child paired with the node whose field holds it."""
    found: list[tuple[ast.AST, ast.AST]] = []
    queue = [root]
    for node in queue:
        values = _values(type(node))
        if values is _none:
            continue
        for value in values(node):
            children: list[Any] = value if type(value) is list else [value]
            for child in children:
                if child is not None:
                    found.append((child, node))
                    queue.append(child)
    return found


def every_node(
    roots: Sequence[ast.AST],
    walked: Mapping[int, list[ast.AST]],
    inside: Callable[[ast.AST], bool] = lambda _function: True,
) -> list[ast.AST]:
    """Every node below ROOTS, contexts and operators aside, in no set order: a function whose
    body was walked before (WALKED: the id of the body's list -> what of it to take; body_refs
    keeps the names it assigns) has that taken for its body, which is not walked again; a
    function INSIDE says no has its header taken, not its body."""
    taken: list[ast.AST] = []

    def function(node: ast.AST) -> Sequence[object]:
        body = getattr(node, "body", None)
        if not inside(node):
            return HEADER(node)
        if id(body) not in walked:
            return _values(type(node))(node)
        taken.extend(walked[id(body)])
        return HEADER(node)

    plans = {**_PLANS, ast.FunctionDef: function, ast.AsyncFunctionDef: function}
    return _fresh(list(roots), plans) + taken


HEADER = attrgetter("args", "decorator_list", "returns")  # a function's fields but its body


def _values(cls: type) -> Values:
    return _PLANS.get(cls) or _plan(cls)


def _plan(cls: type) -> Values:
    """How to read the node-holding fields of CLS, from its ASDL signature (its __doc__)."""
    names: tuple[str, ...] = getattr(cls, "_fields", ())
    declared: dict[str, str] = {}  # a field's ASDL type, as the signature first gives it
    for kind, name in SIGNATURE_FIELD.findall(cls.__doc__ or ""):
        declared.setdefault(name, kind)
    kinds = [_kind(declared.get(name)) for name in names]
    fields = [name for name, kind in zip(names, kinds, strict=True) if kind != "leaf"]
    values: Values
    if "unknown" in kinds:
        values = _child_nodes
    elif len(fields) > 1:
        values = attrgetter(*fields)
    elif fields:
        values = _single(fields[0])
    else:
        values = _none
    _PLANS[cls] = values
    return values


def _kind(declared: str | None) -> str:
    if declared is None:
        return "unknown"
    return "leaf" if declared in LEAVES else "node"


def _single(name: str) -> Values:
    get = attrgetter(name)
    return lambda node: (get(node),)


def _none(node: ast.AST) -> Sequence[object]:
    return ()


def _child_nodes(node: ast.AST) -> Sequence[object]:
    """A class whose signature does not say: ``iter_child_nodes``, contexts and operators aside."""
    return [c for c in ast.iter_child_nodes(node) if not isinstance(c, SKIPPED)]
