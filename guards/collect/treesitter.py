"""What the tree-sitter collectors share: a size-bounded parse that refuses broken source, and
a walk of every node below one, a node's text.

tree-sitter parses broken code too, but a file with a syntax error does not compile or load,
so its tests do not run: it is NotParsable (exit 2), never a file with fewer tests. The size is
checked before the parse, so a huge file costs nothing; the parse's time is bounded
(core/syntax_tree.py), so a malformed one cannot hang the gate.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node, Parser

from guards.collect.model import NotParsable
from guards.core import syntax_tree

MAX_BYTES = 2_000_000  # a bigger file is not a hand-written test file


def parse_checked(
    parser: Parser, path: str, data: bytes, *, what: str = "syntax error", size_line: int = 1
) -> Node:
    """The root node of DATA; NotParsable when it is over MAX_BYTES or has a syntax error."""
    if len(data) > MAX_BYTES:
        raise NotParsable(path, size_line, f"larger than {MAX_BYTES} bytes")
    root = syntax_tree.parse(parser, data, path).root_node
    if root.has_error:
        raise NotParsable(path, first_error(root).start_point[0] + 1, what)
    return root


def text(node: Node | None) -> str:
    """NODE's source text ("" for none)."""
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def walk(node: Node) -> Iterator[Node]:
    """NODE and every node below it, in source order (a loop: a tree may be deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def first_error(node: Node) -> Node:
    """The first ERROR or missing node in source order (only subtrees holding one are walked)."""
    while True:
        bad = next((c for c in node.children if c.is_error or c.is_missing or c.has_error), None)
        if bad is None or bad.is_error or bad.is_missing:
            return bad or node
        node = bad
