"""``metafunc.parametrize(name, [])`` in ``pytest_generate_tests``: an empty parameter set.

pytest marks every test that gets an empty parameter set as skipped ("got empty parameter
set"; ``empty_parameter_set_mark`` can make it xfail). The call is read wherever it sits in
the hook (any condition counts, as for a skipif); an argument list that is not literal is
left to the parametrization keying (tests keyed by function).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from guards.collect.python.parsing.symbols import const_str
from guards.collect.python.parsing.walk import nodes as walk_nodes

HOOK = "pytest_generate_tests"


def empty_sets(
    funcs: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef], consts: Mapping[str, ast.expr]
) -> tuple[tuple[str, int], ...]:
    """(argument name, line) for every parametrization the hook gives an empty literal list."""
    hook = funcs.get(HOOK)
    if hook is None:
        return ()
    out: list[tuple[str, int]] = []
    for node in walk_nodes(hook):
        if isinstance(node, ast.Call) and _is_parametrize(node):
            names, values = _argument(node, 0, "argnames"), _argument(node, 1, "argvalues")
            text = const_str(names) if names is not None else None
            if text is not None and values is not None and _is_empty(values, consts):
                out += [(n.strip(), node.lineno) for n in text.split(",") if n.strip()]
    return tuple(out)


def _is_parametrize(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Attribute) and node.func.attr == "parametrize"


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    found = next((k.value for k in call.keywords if k.arg == name), None)
    return found or (call.args[position] if len(call.args) > position else None)


def _is_empty(node: ast.expr, consts: Mapping[str, ast.expr], depth: int = 0) -> bool:
    if isinstance(node, ast.Name) and node.id in consts and depth < 8:
        return _is_empty(consts[node.id], consts, depth + 1)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    return isinstance(node, ast.Call) and _is_empty_call(node)


def _is_empty_call(node: ast.Call) -> bool:
    """``list()``, ``tuple()``, ``set()``: an empty collection."""
    func = node.func
    return isinstance(func, ast.Name) and func.id in ("list", "tuple", "set") and not node.args
