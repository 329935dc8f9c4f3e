"""The names a function binds exactly once, to what: ``src = b"def test(): pass"`` then
``compile(src, ...)``, or ``co = compile("raise E()", "", "exec")`` then ``exec(co)``. What an
exec/eval/compile of such a name runs is known (symbols.evaluated reads it as if spelled in
place); pytest's own tests compile and exec code so, and each was "code chosen at run time".

Contract: ``bound_once(func, nodes)`` maps each name bound once in FUNC (its parameters and its
body's NODES, nested functions included) to the value of its one ``name = value``; a name bound
any other way too (name_bindings.binds: a parameter of FUNC or of a nested function or lambda,
where the name is another variable, a second assignment, ``+=``, ``del``, a ``for`` or ``with``
target, ``:=``, ``import``, ``def``, ``class``, ``except ... as``, a ``match`` capture,
``global`` or ``nonlocal``) is left out.

The trap: a name is one variable across the whole function only when nothing else binds it;
counting every binding form is what makes the one value the value wherever the name is read.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Sequence

from guards.collect.python.parsing.name_bindings import binds


def bound_once(
    func: ast.FunctionDef | ast.AsyncFunctionDef, nodes: Sequence[ast.AST]
) -> dict[str, ast.expr]:
    """Name -> the value of its one assignment in FUNC, for the names bound nothing else."""
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    count = Counter(a.arg for a in params if a is not None)
    for node in nodes:
        count.update(binds(node))
    return {
        node.targets[0].id: node.value
        for node in nodes
        if type(node) is ast.Assign
        and len(node.targets) == 1
        and type(node.targets[0]) is ast.Name
        and count[node.targets[0].id] == 1
    }
