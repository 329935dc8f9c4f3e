"""Module-level constants that keep the value their one plain assignment gives them, wherever
they are read: ``SKIP = ["test_one"]`` read by a conftest hook (``item.name in SKIP``), a
parameter list, a mark held in a name.

Contract: ``Settled(tree, consts)`` is a read-only mapping: CONSTS (name -> the value of the
module's plain ``name = value``) less every name whose value may be another where it is read:

- bound at import by any form but a plain assignment (name_bindings.binds: an import,
  ``def``, a ``for`` or ``with`` target, ``:=``, ``del``...), or named by ``global`` in a
  function (a call of it may rebind the name: a hook runs after every function of the module
  may have). Plain assignments keep the last one's value, as the analyzer always did, in
  whichever branch of an ``if`` it stands (a gap: sympy's ``blacklist_group`` is a JSON
  file's groups on one branch and ``[]`` on the other, read as ``[]``);
- for a value that can change in place (a list, set or dict, or what a call returns: MUTABLE),
  changed in place or kept where it could be: a store into it (``NAME[k] = v``, ``del
  NAME[k]``, ``NAME.attr = v``, ``NAME += [...]``), or any load but those that only read it:
  the right side of ``in``/``not in``, the iterable of a ``for`` or a comprehension, an item
  read (``NAME[0]``), an operand (``NAME + [...]``), ``*NAME`` in a literal, a reading method
  (``NAME.index(x)``), the argument
  of a builtin that only reads (``set(NAME)``, ``len``) or of pytest's parametrization
  (``parametrize``, ``param``, ``fixture``). ``SKIP.append("test_two")``, ``alias = SKIP``,
  ``helper(SKIP)`` each leave the value unknown.

Computed on the first lookup (most modules never ask), from one walk of the module with
each node's parent.

The trap: a constant is its literal only while nothing that could change it holds it; an
unknown value must read as unknown (a hook condition not followed is undecidable), never as the
literal. Not seen: another module that imports the name and changes it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping

from guards.collect.python.parsing.name_bindings import binds
from guards.collect.python.parsing.walk import parented

READERS = frozenset({
    "set", "frozenset", "list", "tuple", "sorted", "len", "any", "all", "str", "repr", "sum",
    "min", "max", "enumerate", "zip", "reversed", "iter", "dict", "isinstance", "print",
})  # fmt: skip # -- packed lists read better than one item a line
READING_METHODS = frozenset({"index", "count", "copy", "get", "keys", "values", "items"})
PARAMETRIZING = frozenset({"parametrize", "param", "fixture"})  # pytest reads, never changes
MEMBERSHIP = (ast.In, ast.NotIn)
# A value that may change in place: a mutable literal, or what a call returns (of any type).
MUTABLE = (ast.List, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp, ast.Call)


class Settled(Mapping[str, ast.expr]):
    """CONSTS without the names whose value may differ where they are read (above)."""

    def __init__(
        self,
        tree: ast.Module,
        consts: Mapping[str, ast.expr],
        before_walk: Callable[[frozenset[str]], None] | None = None,
    ) -> None:
        """BEFORE_WALK is called with the mutable constants' names before the walk (a
        skeleton's bodies that spell one are parsed first: skeleton.py)."""
        self.tree, self.consts, self.before_walk = tree, consts, before_walk
        self._unsettled: frozenset[str] | None = None
        self._settled: dict[str, ast.expr] | None = None

    def __contains__(self, name: object) -> bool:
        """A name not among the constants is answered without the walk (most lookups)."""
        return name in self.consts and name in self._table()

    def __getitem__(self, name: str) -> ast.expr:
        return self._table()[name]

    def _table(self) -> dict[str, ast.expr]:
        """The settled constants, computed on the first lookup of one."""
        if self._settled is None:
            self._settled = {n: v for n, v in self.consts.items() if n not in self.unsettled}
        return self._settled

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    @property
    def unsettled(self) -> frozenset[str]:
        if self._unsettled is None:
            if self.before_walk is not None:
                self.before_walk(_mutable(self.consts))
            self._unsettled = unsettled(self.tree, self.consts)
        return self._unsettled


def unsettled(tree: ast.Module, consts: Mapping[str, ast.expr]) -> frozenset[str]:
    """The names of CONSTS whose module-level value may differ where they are read (the
    contract); a load matters only for a value that can change in place (MUTABLE). One walk of
    the module, each node with its parent (walk.parented)."""
    names, mutable = frozenset(consts), _mutable(consts)
    pairs = parented(tree)
    parents = {id(node): parent for node, parent in pairs}
    deferred = _deferred(pairs)
    out = {
        name
        for node, _ in pairs
        if id(node) not in deferred and not _assigned(node, parents)
        for name in binds(node)
        if name in names
    }
    for node, _ in pairs:
        if isinstance(node, ast.Global):
            out.update(n for n in node.names if n in names)
        elif isinstance(node, ast.Name) and node.id in mutable and not _only_read(node, parents):
            out.add(node.id)
    return frozenset(out)


def _mutable(consts: Mapping[str, ast.expr]) -> frozenset[str]:
    return frozenset(n for n, value in consts.items() if isinstance(value, MUTABLE))


def _deferred(pairs: list[tuple[ast.AST, ast.AST]]) -> set[int]:
    """The ids of the nodes in PAIRS (node, parent; parents first) that run when a function
    or lambda is called, not at import: its body, not its decorators, defaults or annotations
    (name_bindings' import time)."""
    out: set[int] = set()
    for node, parent in pairs:
        if id(parent) in out or _in_body(node, parent):
            out.add(id(node))
    return out


def _in_body(node: ast.AST, parent: ast.AST) -> bool:
    if isinstance(parent, ast.Lambda):
        return parent.body is node
    body = parent.body if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) else ()
    return any(stmt is node for stmt in body)


def _assigned(node: ast.AST, parents: Mapping[int, ast.AST]) -> bool:
    """Whether NODE is a name a plain assignment binds (``x = ...``, ``x, y = ...``): the
    analyzer's constants keep the last one's value, whichever branch of an ``if`` it is in."""
    parent = parents.get(id(node))
    while isinstance(parent, (ast.Tuple, ast.List)):
        parent = parents.get(id(parent))
    return isinstance(node, ast.Name) and isinstance(parent, (ast.Assign, ast.AnnAssign))


def _only_read(node: ast.Name, parents: Mapping[int, ast.AST]) -> bool:
    """Whether NODE (its parent from PARENTS) reads the value and keeps nothing of it: a store
    to the name itself counts with the bindings, not here."""
    parent = parents.get(id(node))
    if isinstance(node.ctx, ast.Store):
        return True
    if isinstance(node.ctx, ast.Del) or parent is None:
        return False
    if isinstance(parent, ast.Compare):
        return any(
            c is node and isinstance(op, MEMBERSHIP)
            for op, c in zip(parent.ops, parent.comparators, strict=True)
        )
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
        return parent.iter is node
    if isinstance(parent, ast.BinOp):  # ``SKIP + ["x"]``: a new value
        return True
    if isinstance(parent, ast.Subscript):
        return parent.value is node and isinstance(parent.ctx, ast.Load)
    if isinstance(parent, ast.Starred):
        return isinstance(parents.get(id(parent)), (ast.List, ast.Tuple, ast.Set))
    if isinstance(parent, ast.Attribute):
        call = parents.get(id(parent))
        return parent.attr in READING_METHODS and isinstance(call, ast.Call) and call.func is parent
    if isinstance(parent, ast.keyword):
        return _reading_call(parents.get(id(parent)))
    return isinstance(parent, ast.Call) and parent.func is not node and _reading_call(parent)


def _reading_call(node: ast.AST | None) -> bool:
    """A call of a builtin that only reads its arguments, or of pytest's parametrization."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in READERS or func.id in PARAMETRIZING
    return isinstance(func, ast.Attribute) and func.attr in PARAMETRIZING
