"""pytest's ``-k`` / ``-m`` expressions: ``expr: and_expr ('or' and_expr)*`` and so on.

Identifiers are matched by a caller-supplied function: a case-insensitive substring of any
keyword for ``-k``, an exact marker name for ``-m``. Marker keyword arguments
(``-m "device(serial='1')"``) are not followed: they raise ValueError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

TOKEN = re.compile(r"\s*(?:(\()|(\))|((?:\w|:|\+|-|\.|\[|\]|\\|/)+))")
Matcher = Callable[[str], bool]
Node = tuple[Any, ...]


def parse(text: str) -> Node:
    """The expression tree of TEXT; ValueError when it is not a valid match expression."""
    tokens = _tokens(text)
    if not tokens:
        return ("const", False)
    node, pos = _expr(tokens, 0)
    if pos != len(tokens):
        raise ValueError(f"unexpected {tokens[pos]!r} in {text!r}")
    return node


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r} in the expression {text!r}")
        out.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    return out


def _expr(tokens: list[str], pos: int) -> tuple[Node, int]:
    return _chain(tokens, pos, "or", _and)


def _and(tokens: list[str], pos: int) -> tuple[Node, int]:
    return _chain(tokens, pos, "and", _not)


def _chain(
    tokens: list[str], pos: int, word: str, operand: Callable[[list[str], int], tuple[Node, int]]
) -> tuple[Node, int]:
    """``operand (word operand)*``, folded to the left."""
    left, pos = operand(tokens, pos)
    while pos < len(tokens) and tokens[pos] == word:
        right, pos = operand(tokens, pos + 1)
        left = (word, left, right)
    return left, pos


def _not(tokens: list[str], pos: int) -> tuple[Node, int]:
    if pos >= len(tokens):
        raise ValueError("the expression ends too early")
    tok = tokens[pos]
    if tok == "not":
        inner, pos = _not(tokens, pos + 1)
        return ("not", inner), pos
    if tok == "(":
        inner, pos = _expr(tokens, pos + 1)
        if pos >= len(tokens) or tokens[pos] != ")":
            raise ValueError("a parenthesis is not closed")
        return inner, pos + 1
    if tok in ("and", "or", ")"):
        raise ValueError(f"unexpected {tok!r}")
    if pos + 1 < len(tokens) and tokens[pos + 1] == "(":
        raise ValueError(f"marker arguments ({tok}(...)) are not followed statically")
    return ("ident", tok), pos + 1


def evaluate(node: Node, match: Matcher) -> bool:
    op = node[0]
    if op == "const":
        return bool(node[1])
    if op == "ident":
        return match(str(node[1]))
    if op == "not":
        return not evaluate(node[1], match)
    left = evaluate(node[1], match)
    if op == "and":
        return left and evaluate(node[2], match)
    return left or evaluate(node[2], match)


def keyword_matcher(names: frozenset[str]) -> Matcher:
    lowered = [n.lower() for n in names]
    return lambda sub: any(sub.lower() in name for name in lowered)


def mark_matcher(marks: frozenset[str]) -> Matcher:
    return lambda name: name in marks
