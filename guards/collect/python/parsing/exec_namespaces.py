"""Which ``exec`` calls at import time cannot bind the module's own names.

sympy's ``printing/tests/test_repr.py`` says ``ENV = {}`` then ``exec("from sympy import *", ENV)``:
the star import lands in ENV, not in the module, so ``disabled`` (which sympy's autouse
``check_disabled`` fixture reads with ``getattr(request.module, "disabled", False)``) is still
only what the module's text binds. Any other ``exec`` may bind any name (Module.names_dynamic).

Contract: ``Namespaces(body).contain(call)`` is True when CALL is ``exec(<constant code of import
statements only>, G[, L])``, G (and L) a dict literal or a *fresh* name, and the module binds no
name ``exec``. A fresh name is bound at import only as ``NAME = {...}`` (a dict literal or
comprehension, annotated or not: no other assignment, ``for``, ``with``, ``except``, import,
``def`` or ``global`` names it). ``relied`` holds the fresh names a contained call ran in.

The trap: a function can rebind a fresh name (``global ENV; ENV = globals()``) and be called at
import: a ``global`` in any function body makes the name not fresh. An incremental analysis
does not parse the bodies it reuses, so it cannot see that ``global``; it puts back the names
each reused body assigns (a ``global`` name a body rebinds is one), and when one is in
``relied`` the module's names are dynamic after all (incremental.py): the same facts as a full
analysis. What a function does through ``globals()[...]`` when called at import is as unseen
here as it is for any name (fixture_guards.module_names reads import-time code only).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from guards.collect.python.parsing.walk import nodes as walk_nodes

NAMESPACES = (ast.Dict, ast.DictComp)
IMPORTS = (ast.Import, ast.ImportFrom)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class Namespaces:
    """The fresh names of a module (its top-level statements BODY), computed on first use."""

    def __init__(self, body: list[ast.stmt]) -> None:
        self.body = body
        self.relied: set[str] = set()

    def contain(self, call: ast.Call) -> bool:
        if not _is_exec(call) or "exec" in self._bindings[1] or not _imports_only(call.args[0]):
            return False
        spaces = call.args[1:]
        names = {s.id for s in spaces if isinstance(s, ast.Name) and s.id in self._fresh}
        if len(names) + sum(isinstance(s, NAMESPACES) for s in spaces) < len(spaces):
            return False
        self.relied |= names
        return True

    @cached_property
    def _fresh(self) -> frozenset[str]:
        fresh, other = self._bindings
        return frozenset(fresh - other)

    @cached_property
    def _bindings(self) -> tuple[set[str], set[str]]:
        """(names bound as new dicts, names bound any other way or declared ``global`` in a
        function)."""
        fresh: set[str] = set()
        other: set[str] = set()
        functions: list[ast.AST] = []
        targets: set[int] = set()  # the Name nodes of ``NAME = {...}``
        for node in _import_time_nodes(self.body, functions):
            target = _new_dict(node)
            if target is not None:
                fresh.add(target.id)
                targets.add(id(target))
            elif id(node) not in targets:
                other |= _bound(node)
        for function in functions:
            other |= {n for g in walk_nodes(function) if isinstance(g, ast.Global) for n in g.names}
        return fresh, other


def _is_exec(call: ast.Call) -> bool:
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "exec"
        and not call.keywords
        and 2 <= len(call.args) <= 3
        and not any(isinstance(a, ast.Starred) for a in call.args)
    )


def _imports_only(code: ast.expr) -> bool:
    if not isinstance(code, ast.Constant) or not isinstance(code.value, str):
        return False
    try:
        tree = ast.parse(code.value)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return all(isinstance(stmt, IMPORTS) for stmt in tree.body)


def _import_time_nodes(body: list[ast.stmt], functions: list[ast.AST]) -> Iterator[ast.AST]:
    """Every node of BODY that runs at import (a function's decorators, defaults and its own
    name; not its body, whose node goes to FUNCTIONS)."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, FUNCTIONS):
            functions.append(node)
            outside = [*getattr(node, "decorator_list", ()), node.args]
            stack.extend(outside)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _new_dict(node: ast.AST) -> ast.Name | None:
    """The target of ``NAME = {...}`` or ``NAME: T = {...}`` (one target, a new dict)."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return None
    if isinstance(target, ast.Name) and isinstance(value, NAMESPACES):
        return target
    return None


def _bound(node: ast.AST) -> set[str]:
    """The names NODE binds itself (its children are visited apart)."""
    if isinstance(node, ast.Name):
        return set() if isinstance(node.ctx, ast.Load) else {node.id}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, IMPORTS):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, ast.Global):
        return set(node.names)
    named = getattr(node, "name", None) if isinstance(node, ast.ExceptHandler) else None
    rest = [getattr(node, k, None) for k in ("name", "rest")] if _is_pattern(node) else []
    return {n for n in [named, *rest] if isinstance(n, str)}


def _is_pattern(node: ast.AST) -> bool:
    return isinstance(node, (ast.MatchAs, ast.MatchStar, ast.MatchMapping))
