"""Python comments from ``tokenize`` (never from raw lines), each with its enclosing definition.

A ``noqa`` comment inside a string literal is no comment and does not count; one after a backslash
continuation or inside a bracketed multi-line call is a comment and does. The enclosing
definition comes from ``ast``: the innermost function or class whose lines (decorators
included) hold the comment. A file that does not tokenize or parse is a GuardsError naming it.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator

from guards.checks.suppressions.model import Comment
from guards.errors import GuardsError

Span = tuple[int, int, str]
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest


def comments(text: str, path: str) -> list[Comment]:
    spans = scopes(text, path)
    return [Comment(line, body, enclosing(spans, line)) for line, body in tokens(text, path)]


def tokens(text: str, path: str) -> Iterator[tuple[int, str]]:
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, SyntaxError) as exc:
        raise GuardsError(f"{path}: cannot tokenize Python ({exc}); fix the syntax") from exc


def scopes(text: str, path: str) -> list[Span]:
    """(first line, last line, qualified name) of every function and class, outermost first."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        raise GuardsError(f"{path}: cannot parse Python ({exc}); fix the syntax") from exc
    return list(_walk(tree, ""))


def _walk(node: ast.AST, prefix: str) -> Iterator[Span]:
    """Definitions are statements: only statement blocks are walked (in field order, as
    ``ast.iter_child_nodes`` would), not the expressions that are most of a tree."""
    for child in _statements(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}{child.name}"
            first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
            yield first, child.end_lineno or child.lineno, name
            yield from _walk(child, name + ".")
        else:
            yield from _walk(child, prefix)


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    for field in node._fields:
        if field in BLOCKS:
            block = getattr(node, field, None)
            if isinstance(block, list):
                yield from block


def enclosing(spans: list[Span], line: int) -> str:
    """The innermost span holding LINE (spans come outermost first), else "module"."""
    found = "module"
    for first, last, name in spans:
        if first <= line <= last:
            found = name
    return found
