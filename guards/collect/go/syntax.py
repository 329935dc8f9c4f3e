"""Go source through tree-sitter: parse once, read literals, lines and names (pure).

The trap: tree-sitter parses broken code too; a file with syntax errors does not compile, so it
is NotParsable here rather than a file with fewer tests.
"""

from __future__ import annotations

import codecs

import tree_sitter_go
from tree_sitter import Language, Node, Parser

from guards.collect.treesitter import parse_checked

GO = Language(tree_sitter_go.language())
_PARSER = Parser(GO)


def parse(path: str, data: bytes) -> Node:
    """The root node of PATH; NotParsable when it is too big or has syntax errors."""
    return parse_checked(_PARSER, path, data)


def text(node: Node | None) -> str:
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def line(node: Node) -> int:
    return node.start_point[0] + 1


def string_value(node: Node) -> str | None:
    """The value of a string literal node, None when NODE is not one."""
    raw = text(node)
    if node.type == "raw_string_literal":
        return raw[1:-1].replace("\r", "")
    if node.type != "interpreted_string_literal":
        return None
    inner = raw[1:-1]
    if "\\" not in inner:
        return inner
    try:
        return codecs.decode(inner.encode("utf-8"), "unicode_escape").encode("latin-1").decode()
    except (UnicodeError, ValueError):
        return None


def field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


def arguments(call: Node) -> list[Node]:
    args = field(call, "arguments")
    return [] if args is None else list(args.named_children)
