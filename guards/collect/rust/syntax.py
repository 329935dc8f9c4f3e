"""Rust source through tree-sitter: parse once, read attributes and names (pure).

The trap: a file with syntax errors does not compile; it is NotParsable here, never a file with
fewer tests.
"""

from __future__ import annotations

import tree_sitter_rust
from tree_sitter import Language, Node, Parser

from guards.collect.model import NotParsable

RUST = Language(tree_sitter_rust.language())
_PARSER = Parser(RUST)
MAX_BYTES = 2_000_000


def parse(path: str, data: bytes) -> Node:
    if len(data) > MAX_BYTES:
        raise NotParsable(path, 1, f"larger than {MAX_BYTES} bytes")
    root = _PARSER.parse(data).root_node
    if root.has_error:
        raise NotParsable(path, _error_line(root), "syntax error")
    return root


def _error_line(node: Node) -> int:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            return line(current)
        stack.extend(current.children)
    return 1


def text(node: Node | None) -> str:
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def line(node: Node) -> int:
    return node.start_point[0] + 1


def attribute_text(item: Node) -> str:
    """The inside of ``#[...]`` / ``#![...]``."""
    inner = next((c for c in item.named_children if c.type == "attribute"), None)
    return text(inner)
