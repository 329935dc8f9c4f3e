"""The names a function binds exactly once, to what: ``src = b"def test(): pass"`` then
``compile(src, ...)``, or ``co = compile("raise E()", "", "exec")`` then ``exec(co)``. What an
exec/eval/compile of such a name runs is known (symbols.evaluated reads it as if spelled in
place); pytest's own tests compile and exec code so, and each was "code chosen at run time".

Contract: ``bound_once(func, nodes, stores)`` maps each name bound once in FUNC (its body's
NODES, nested functions included, and STORES, the body's ``Name`` nodes in a store context) to
the value of its one ``name = value``; a name bound any other way too is left out: a parameter
(of FUNC or of a nested function or lambda: there the name is another variable), a second
assignment, ``+=``, a ``for`` or ``with`` target, ``:=``, ``import``, ``def``, ``class``,
``except ... as``, a ``match`` capture, ``global`` or ``nonlocal``.

The trap: a name is one variable across the whole function only when nothing else binds it;
counting every binding form is what makes the one value the value wherever the name is read.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Sequence

DEFINED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
NAMED = (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)  # bind their ``name``, when set


def bound_once(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    nodes: Sequence[ast.AST],
    stores: Iterable[ast.AST],
) -> dict[str, ast.expr]:
    """Name -> the value of its one assignment in FUNC, for the names bound nothing else."""
    count = Counter(node.id for node in stores if isinstance(node, ast.Name))
    count.update(_parameters(func.args))
    for node in nodes:
        count.update(_other_bindings(node))
    return {
        node.targets[0].id: node.value
        for node in nodes
        if type(node) is ast.Assign
        and len(node.targets) == 1
        and type(node.targets[0]) is ast.Name
        and count[node.targets[0].id] == 1
    }


def _parameters(args: ast.arguments) -> list[str]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return [a.arg for a in found if a is not None]


def _other_bindings(node: ast.AST) -> list[str]:
    """The names NODE binds other than as a stored ``Name`` (counted apart)."""
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, DEFINED):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names) * 2  # never one variable of this function alone
    if isinstance(node, NAMED):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    return []
