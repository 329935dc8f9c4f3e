"""A conftest that patches pytest, unittest or a helper while it runs: ``pytest.mark.slow =
pytest.mark.skip`` makes every ``@pytest.mark.slow`` test a skipped one, and ``helpers.need =
lambda: pytest.skip()`` every test that calls ``helpers.need()``; no reading of the test
modules sees either.

Contract: ``patches(tree, env)`` is (line, what) for every write in the conftest TREE (an
assignment, augmented or annotated, ``del``, or a call of ``setattr``) to an attribute of
pytest, ``_pytest`` or unittest, whatever the value (a mark, a function or an outcome pytest
reads may change meaning), and to an attribute of anything else the conftest imports with a
value that names a skip form. Each is undecidable.

The trap: the objects arrive under other names (``import pytest as pt``, ``from pytest import
mark``), so the root of the attribute chain is resolved through the module's imports (ENV), not
spelled; a name the conftest binds to its own object, or a function's local (``config``,
``item``), is no import: writes to it are its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from guards.collect.python.parsing.symbols import Env, is_skippy
from guards.collect.python.parsing.walk import nodes as walk_nodes

ROOTS = frozenset({"pytest", "_pytest", "unittest"})
Write = tuple[ast.expr, ast.expr | None]  # what is written through, and the value


def patches(tree: ast.Module, env: Env) -> list[tuple[int, str]]:
    out: dict[int, str] = {}
    for node in walk_nodes(tree):
        for target, value in _writes(node):
            what = _patched(target, value, env)
            if what:
                out.setdefault(getattr(node, "lineno", 0), what)
    return sorted(out.items())


def _writes(node: ast.AST) -> Iterator[Write]:
    """The attributes NODE writes, each with the value (None for ``del``); ``setattr(obj,
    name, value)`` writes through OBJ."""
    if isinstance(node, ast.Assign):
        yield from ((t, node.value) for t in node.targets if isinstance(t, ast.Attribute))
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        if isinstance(node.target, ast.Attribute):
            yield node.target, node.value
    elif isinstance(node, ast.Delete):
        yield from ((t, None) for t in node.targets if isinstance(t, ast.Attribute))
    elif isinstance(node, ast.Call) and _is_setattr(node) and len(node.args) >= 2:
        yield node.args[0], node.args[2] if len(node.args) > 2 else None


def _is_setattr(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "setattr"


def _patched(target: ast.expr, value: ast.expr | None, env: Env) -> str | None:
    """What writing VALUE through TARGET patches, when it is pytest's or an imported helper's."""
    root = _root(target)
    sym = env.names.get(root.id) if root is not None else None
    if sym is None or ":" in sym:
        return None  # no import: the conftest's own object, or a function's local
    chain = ast.unparse(target)
    if sym.split(".")[0] in ROOTS:
        return f"the conftest patches {chain} (pytest's own) at run time"
    if value is not None and _names_skip(value, env):
        return f"the conftest patches {chain} (an imported helper's) with a skip at run time"
    return None


def _root(node: ast.expr) -> ast.Name | None:
    """The name an attribute chain starts from (``pytest`` of ``pytest.mark.slow``)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node if isinstance(node, ast.Name) else None


def _names_skip(value: ast.expr, env: Env) -> bool:
    """Whether VALUE names a skip form anywhere (``lambda: pytest.skip()``)."""
    return any(
        isinstance(node, (ast.Name, ast.Attribute)) and is_skippy(env.resolve(node))
        for node in walk_nodes(value)
    )
