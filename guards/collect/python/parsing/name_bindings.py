"""Whether a module binds a name to anything but a class, read from its syntax tree alone.

linking/imported_fixtures.py asks, of each name a conftest imports from a repository module
(``from _pytest.pytester import Pytester``), whether that module defines a fixture function of
that name or re-exports one under it. Most such names are classes, and analyzing the module only
to learn that it defines none was the largest helper analysis of a listing: pytest's
pytester.py, 17 ms of each worker, for one class name. A module whose import-time code binds
NAME only by ``class`` statements, or not at all, has no function NAME and exports nothing to
follow under it: the analysis would answer "no fixture", so Revision.fixture_module gives no
module and the parse (less than half of the analysis) is all it costs.

Contract: ``bound_otherwise(tree)`` is the names TREE's import-time code binds other than by
``class`` statements: assignment (plain, augmented or annotated) and ``del`` targets, imports,
``def``, ``for`` / ``with`` / ``except`` targets, walruses, match captures, ``global`` names. It
is None, any name, where import-time code star-imports, or names what can bind a name it does
not spell: exec, eval, compile (code from a string), globals, setattr, vars (a namespace written
by name), ``__import__``, ``__builtins__`` or the ``builtins`` module, which hold them (named,
not only called: ``run = exec`` and ``from builtins import exec as run`` alias one).

The trap: this must count every binding the analyzer counts (parsing/analyze.py binds imports,
definitions and assignments of the statements that run at import), so it counts more: targets
the analyzer leaves alone, class attributes (a class body runs at import), every branch whatever
its condition. Reading more bindings can only send a module to analysis, never keep a fixture
from being found. Function and lambda bodies do not run at import (their defaults, decorators
and annotations do, and are read).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from guards.collect.python.parsing.fixture_guards import DYNAMIC_CALLS
from guards.collect.python.parsing.symbols import EVALUATORS

DEFERRED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)  # bodies that run when called
BUILTINS = "builtins"
# Names through which code binds names it does not spell: code from a string (the analyzer's
# EVALUATORS), a namespace written by name (DYNAMIC_CALLS), the builtins that hold them.
UNSEEN = frozenset(
    {*DYNAMIC_CALLS, *(e.removeprefix(f"{BUILTINS}.") for e in EVALUATORS)}
    | {"__import__", "__builtins__"}
)


def bound_otherwise(tree: ast.Module) -> frozenset[str] | None:
    """The names TREE's import-time code binds other than by ``class`` statements; None where
    it may bind any name (see the module docstring)."""
    names: set[str] = set()
    for node in _import_time(tree):
        found = _bound(node)
        if found is None:
            return None
        names.update(found)
    return frozenset(names)


def _bound(node: ast.AST) -> tuple[str, ...] | None:
    """The names NODE binds (a class statement: none); None where it may bind any."""
    if isinstance(node, ast.Name) and node.id in UNSEEN:
        return None
    if isinstance(node, ast.alias) and (node.name == "*" or _root(node.name) == BUILTINS):
        return None
    if isinstance(node, ast.ImportFrom) and _root(node.module or "") == BUILTINS:
        return None
    if isinstance(node, ast.Constant) and node.value == BUILTINS:
        return None  # sys.modules["builtins"], importlib.import_module("builtins")
    return () if isinstance(node, ast.ClassDef) else binds(node)


def binds(node: ast.AST) -> tuple[str, ...]:
    """The names NODE itself binds or unbinds, whatever binds them: an assignment, ``del``,
    ``for``, ``with`` or walrus target (a ``Name`` not loaded), ``def``, ``class``, ``except ...
    as``, an import's alias (``import a.b`` binds ``a``), a parameter, ``global`` and ``nonlocal``
    (the name is another scope's), a ``match`` capture."""
    if isinstance(node, ast.Name):
        return () if isinstance(node.ctx, ast.Load) else (node.id,)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler)):
        return (node.name,) if node.name else ()
    if isinstance(node, ast.alias):
        return (node.asname or _root(node.name),)
    if isinstance(node, ast.arg):
        return (node.arg,)
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return tuple(node.names)
    if isinstance(node, (ast.MatchAs, ast.MatchStar, ast.MatchMapping)):
        bound = node.rest if isinstance(node, ast.MatchMapping) else node.name
        return (bound,) if bound else ()
    return ()


def _root(dotted: str) -> str:
    return dotted.partition(".")[0]


def import_time_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of TREE that runs when the module is imported (_import_time)."""
    return _import_time(tree)


def _import_time(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of TREE that runs when the module is imported: all but the bodies of
    functions and lambdas (a function's name, decorators, defaults and annotations do)."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, DEFERRED):
            todo += _header(node)
        else:
            todo += ast.iter_child_nodes(node)


def _header(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.AST]:
    """What of a function runs where it is defined: its decorators, defaults and annotations."""
    args = node.args
    parts: list[ast.AST | None] = [*args.defaults, *args.kw_defaults]
    if not isinstance(node, ast.Lambda):
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        parts += [*node.decorator_list, node.returns, *(a.annotation for a in every if a)]
    return [part for part in parts if part is not None]
