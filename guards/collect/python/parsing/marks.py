"""Marks from decorators, ``pytestmark`` values and ``pytest.param(marks=...)``."""

from __future__ import annotations

import ast
import dataclasses
import sys
from collections.abc import Iterator

from guards.collect.python.parsing.facts import MarkUse
from guards.collect.python.parsing.params import IdContext, parse_parametrize
from guards.collect.python.parsing.symbols import Env, is_skippy, literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.skip_forms import DECORATORS

EXTERNAL_ROOTS = frozenset({"pytest", "_pytest", "builtins", *sys.stdlib_module_names})


class MarkReader:
    """Reads marks with one module's names and constants."""

    def __init__(self, env: Env, ids: IdContext) -> None:
        self.env, self.ids = env, ids

    def decorators(self, decorators: list[ast.expr]) -> tuple[MarkUse, ...]:
        """Marks in the order pytest stores them: the decorator nearest the def first."""
        return tuple(m for d in reversed(decorators) for m in self._applied(d))

    def _applied(self, node: ast.expr) -> Iterator[MarkUse]:
        """NODE's marks; a function it names itself (``@deco``, not ``@deco()``) is applied to
        the definition, which then holds what the function returns (linking/test_skips.py)."""
        direct = isinstance(node, (ast.Name, ast.Attribute))
        for use in self.read(node):
            yield dataclasses.replace(use, applied=True) if direct and use.sym else use

    def read(self, node: ast.expr, depth: int = 0) -> Iterator[MarkUse]:
        """The marks NODE stands for: a mark, a list of marks, a name bound to either."""
        if depth > 8:
            return
        if isinstance(node, (ast.List, ast.Tuple)):
            for elt in node.elts:
                yield from self.read(elt, depth + 1)
            return
        sym = self.env.resolve(node)
        if sym is None and isinstance(node, ast.Name) and node.id in self.ids.consts:
            yield from self.read(self.ids.consts[node.id], depth + 1)
            return
        yield from self._one(node, sym)

    def _one(self, node: ast.expr, sym: str | None) -> Iterator[MarkUse]:
        line = node.lineno
        if sym is not None and sym.startswith("mark:") and "." not in sym:
            yield self._mark(node, sym[5:], line)
        elif sym in DECORATORS:
            yield MarkUse("", line, sym=sym, detail=reason_of(node, REASON_AT.get(sym, -1)))
        elif sym is not None and sym.startswith("call:") and _followable(sym[5:]):
            yield MarkUse("", line, sym=sym[5:], detail=f"decorator {_short(node)}")
        elif sym is not None and _followable(sym):
            yield MarkUse("", line, sym=sym, detail=f"decorator {_short(node)}")
        else:
            yield from self._inner_skips(node)

    def _mark(self, node: ast.expr, name: str, line: int) -> MarkUse:
        if name == "parametrize" and isinstance(node, ast.Call):
            return MarkUse(name, line, params=parse_parametrize(node, self.ids, self.case_marks))
        if name == "usefixtures" and isinstance(node, ast.Call):
            args = tuple(a for a in (literal_str(x) for x in node.args) if a)
            return MarkUse(name, line, args=args)
        return MarkUse(name, line, detail=reason_of(node, REASON_AT.get(f"mark:{name}", -1)))

    def case_marks(self, node: ast.expr) -> tuple[MarkUse, ...]:
        return tuple(self.read(node))

    def _inner_skips(self, node: ast.expr) -> Iterator[MarkUse]:
        """An unknown decorator that mentions a skip (``@wrap(pytest.mark.skip)``) skips."""
        for sub in walk_nodes(node):
            if isinstance(sub, (ast.Name, ast.Attribute, ast.Call)):
                sym = self.env.resolve(sub)
                if is_skippy(sym):
                    assert sym is not None
                    name = sym[5:] if sym.startswith("mark:") else ""
                    yield MarkUse(name, sub.lineno, sym="" if name else sym)
                    return


def _followable(sym: str) -> bool:
    """A local function, an attribute of a local class (``class:Env.require_gpu``: the method),
    or a name imported from a module that may be in the repository."""
    if sym.startswith("local:") or (sym.startswith("class:") and "." in sym):
        return True
    root = sym.split(".")[0]
    return "." in sym and ":" not in sym and root not in EXTERNAL_ROOTS


# Where a skip construct takes its reason positionally (else only as reason=...).
REASON_AT = {"mark:skip": 0, "unittest.skip": 0, "unittest.skipIf": 1, "unittest.skipUnless": 1}


def reason_of(node: ast.expr, position: int) -> str:
    """The literal reason of a skip call (``reason="..."`` or its positional slot), or ""."""
    if not isinstance(node, ast.Call):
        return ""
    for kw in node.keywords:
        if kw.arg == "reason":
            return literal_str(kw.value) or ""
    if 0 <= position < len(node.args):
        return literal_str(node.args[position]) or ""
    return ""


def _short(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def kind_of(use: MarkUse) -> str:
    """The skip kind of a mark use resolved in its own module ("" when it does not skip)."""
    if use.name:
        return DECORATORS.get(f"mark:{use.name}", "")
    return DECORATORS.get(use.sym, "")
