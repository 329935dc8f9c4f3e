"""Rust source through tree-sitter: parse once, read attributes and names (pure).

The trap: a file with syntax errors does not compile; it is NotParsable here, never a file with
fewer tests.
"""

from __future__ import annotations

import tree_sitter_rust
from tree_sitter import Language, Node, Parser

from guards.collect.treesitter import parse_checked

RUST = Language(tree_sitter_rust.language())
_PARSER = Parser(RUST)


def parse(path: str, data: bytes) -> Node:
    """The root node of PATH; NotParsable when it is too big or has syntax errors."""
    return parse_checked(_PARSER, path, data)


def text(node: Node | None) -> str:
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def line(node: Node) -> int:
    return node.start_point[0] + 1


def attribute_text(item: Node) -> str:
    """The inside of ``#[...]`` / ``#![...]``."""
    inner = next((c for c in item.named_children if c.type == "attribute"), None)
    return text(inner)
