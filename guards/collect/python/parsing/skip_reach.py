"""Which function bodies can reach a skip, decided on their text before any AST walk.

Used by the whole-tree listing: a body is walked only if its text names a skip construct, a
dynamic lookup, a module alias of a skip or of a lookup (``run = eval``, ``g = getattr``: the
analyzer passes them with the names), a name known to skip when imported, or a function of the
same module that is itself hot (to a fixed point). Every other body holds no skip.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

TOKENS = (
    "skip", "xfail", "SkipTest", "expectedFailure", "getattr", "import_module", "__import__",
    "modules", "getfixturevalue", "exec", "eval", "compile", "__getattr__", "raises",
)  # fmt: skip # -- packed lists read better than one item a line
FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest


def hot_functions(tree: ast.Module, source: bytes, names: Iterable[str]) -> set[int]:
    """The ids of the function nodes whose bodies must be read."""
    lines = source.decode("utf-8", errors="replace").splitlines()
    funcs = [
        (node, "\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno]))
        for node in _definitions(tree)
    ]
    pattern = _words([*TOKENS, *names], whole=False)
    hot = {id(node) for node, text in funcs if pattern.search(text)}
    while True:
        named = {node.name for node, _ in funcs if id(node) in hot}
        if not named:
            return hot
        pattern = _words(named, whole=True)
        more = {id(n) for n, text in funcs if id(n) not in hot and pattern.search(text)}
        if not more:
            return hot
        hot |= more


def _definitions(tree: ast.Module) -> Iterator[FuncNode]:
    """Every function definition, at any depth: a walk over statements only (a definition is
    always a statement), a sixth of the nodes a full ``ast.walk`` visits."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        for block in BLOCKS:
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                stack.extend(inner)


def _words(words: Iterable[str], *, whole: bool) -> re.Pattern[str]:
    body = "|".join(re.escape(w) for w in sorted(set(words)))
    return re.compile(rf"\b(?:{body})\b" if whole else body)
