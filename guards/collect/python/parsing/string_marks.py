"""Markers given by name: ``item.add_marker("skip")``, ``request.applymarker("xfail")``.

pytest turns a string marker into ``getattr(pytest.mark, name)``. Before analysis, such an
argument is rewritten into exactly that expression, so every reader (test bodies, fixtures,
conftest hooks) resolves it as the mark it is, through the one symbol table: a constant name
becomes the mark (``mark:skip``); a computed string (``"sk" + suffix``, an f-string with a
value in it) becomes ``getattr(pytest.mark, <computed>)``, which is undecidable wherever it is
read. The trap: a name or attribute argument may already hold a mark decorator
(``item.add_marker(later)``); those are left as they are and resolved like any alias.

A module whose text cannot name either method is left untouched without a walk (most modules:
the walk cost as much as the parse). The trap there: Python reads identifiers after decoding the
file (a ``coding: utf-7`` cookie spells ``add_marker`` as ``+AGE-dd_marker``) and normalizing
them to NFKC (a fullwidth ``a``, U+FF41, reads as ``a``), so only plain ASCII UTF-8 is searched
as bytes; any other text is decoded and normalized first, and a text that cannot be read is
walked.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator

from guards.collect.python.parsing.symbols import const_str
from guards.collect.python.parsing.walk import nodes
from guards.core import python_text

METHODS = ("add_marker", "applymarker")


def _rewrite(node: ast.Call) -> None:
    """NODE's first argument as the mark it names, when NODE adds a marker by a string."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in METHODS and node.args:
        first = node.args[0]
        if _is_string(first):
            node.args[0] = ast.copy_location(_getattr_mark(first), first)


def _is_string(node: ast.expr) -> bool:
    if const_str(node) is not None:
        return True
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.BinOp) and (_is_string(node.left) or _is_string(node.right))
    )


def _getattr_mark(name: ast.expr) -> ast.expr:
    """``getattr(__import__("pytest").mark, NAME)``, with NAME folded when it is constant."""
    text = const_str(name)
    pytest = ast.Call(ast.Name("__import__", ast.Load()), [ast.Constant("pytest")], [])
    mark = ast.Attribute(pytest, "mark", ast.Load())
    arg = ast.Constant(text) if text is not None else name
    call = ast.Call(ast.Name("getattr", ast.Load()), [mark, arg], [])
    return ast.fix_missing_locations(ast.copy_location(call, name))


def rewrite(tree: ast.Module, source: bytes | None = None) -> ast.Module:
    """TREE (parsed from SOURCE, when given) with every string marker argument spelled as the
    mark it names. With SOURCE, only the statements whose lines may name a method are walked
    (a class's methods one by one): a name is spelled on a line of its statement."""
    if source is None:
        roots: list[ast.AST] = [tree]
    elif not may_name(source, METHODS):
        return tree
    else:
        roots = list(_spanning(tree.body, _lines_naming(source)))
    for root in roots:
        for node in nodes(root):  # a call is rewritten in place; the new nodes carry locations
            if type(node) is ast.Call:
                _rewrite(node)
    return tree


def _lines_naming(source: bytes) -> list[int]:
    """The numbers of SOURCE's lines (as the parser numbers them) that may name a method."""
    found = python_text.lines(source)
    return [n for n, line in enumerate(found, 1) if any(m in line for m in METHODS)]


def _spanning(stmts: list[ast.stmt], lines: list[int]) -> Iterator[ast.AST]:
    """The statements of STMTS that span one of LINES (sorted): a class's own parts and, one
    by one, the statements of its body that do."""
    for stmt in stmts:
        decorators = getattr(stmt, "decorator_list", [])
        first = min([stmt.lineno, *(d.lineno for d in decorators)])
        at = bisect.bisect_left(lines, first)
        if at == len(lines) or lines[at] > (stmt.end_lineno or stmt.lineno):
            continue
        if isinstance(stmt, ast.ClassDef):
            yield from [*decorators, *stmt.bases, *stmt.keywords]
            yield from _spanning(stmt.body, lines)
        else:
            yield stmt


def may_name(source: bytes, words: tuple[str, ...]) -> bool:
    """Whether an identifier of the Python module SOURCE may be one of WORDS (ASCII)."""
    if any(word.encode() in source for word in words):
        return True
    if python_text.plain(source):
        return False
    text = python_text.text(source)  # core/python_text.py: as Python reads names
    return text is None or any(word in text for word in words)  # unreadable: walk to be sure
