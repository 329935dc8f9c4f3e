"""A collection hook that cannot change what pytest collects or calls: it does its own
bookkeeping and leaves the answer to pytest's own implementation (pypa/packaging's
``def pytest_collection(): gc.disable()``).

Contract: ``inert(func)`` is True for a hook FUNC that has no decorator, is no generator or
coroutine, defines nothing inside it, never names one of its parameters and returns no value
(every ``return`` bare or ``return None``). Such a hook is not the undecidable "replaces
collection" (conftests.py's COLLECTION_HOOKS).

Why that suffices: these hooks decide by their return value (``pytest_collection``,
``pytest_pyfunc_call``, ``pytest_runtest_protocol`` and the ``pytest_*collect*`` ones are
first-result hooks, or return the collectors they add); one that returns none decides nothing.
Without a decorator (``trylast``, ``wrapper``, ``hookwrapper``) a conftest's or plugin's hook
runs before pytest's own, which then collects or calls as always, so nothing the hook could
do to the items beforehand survives; and it is handed no session, item or collector to work
on. What its body does besides is judged as any conftest code is: a write to the config
(config_writes.py), an exit (session_end.py), a plugin registered (conftests.py).

The trap: a parameter read under another name (``s = session``) is still named once, so it
counts; a nested function or lambda could return for the hook's body in ways this reader does
not follow, so a hook that defines one is not inert.
"""

from __future__ import annotations

import ast

from guards.collect.python.parsing.walk import nodes as walk_nodes

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
NOT_INERT = (
    ast.Yield, ast.YieldFrom, ast.Await, ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef,
    ast.ClassDef,
)  # fmt: skip # -- a packed tuple reads better


def inert(func: FuncNode) -> bool:
    if func.decorator_list or isinstance(func, ast.AsyncFunctionDef):
        return False
    params = _parameters(func.args)
    inside = [node for stmt in func.body for node in walk_nodes(stmt)]
    return not any(_acts(node, params) for node in inside)


def _parameters(args: ast.arguments) -> set[str]:
    named = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in named if arg is not None}


def _acts(node: ast.AST, params: set[str]) -> bool:
    """Whether NODE defines, yields, awaits, returns a value or names a parameter."""
    if isinstance(node, NOT_INERT):
        return True
    if isinstance(node, ast.Return):
        value = node.value
        return value is not None and not (isinstance(value, ast.Constant) and value.value is None)
    return isinstance(node, ast.Name) and node.id in params
