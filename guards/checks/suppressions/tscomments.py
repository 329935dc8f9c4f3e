"""Comments, attributes and annotations of JS/TS, Go, Rust, Java and Kotlin, from tree-sitter.

Only comment nodes (and Rust attribute / Java-Kotlin annotation nodes) are handed to the
suppression forms, so text in a string or template literal never counts. The enclosing
definition is the chain of named function/class/impl nodes above the node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from guards.checks.suppressions.model import Comment

COMMENTS = {"comment", "line_comment", "block_comment", "multiline_comment"}
ATTRIBUTES = {
    "attribute_item",
    "inner_attribute_item",
    "annotation",
    "marker_annotation",
    "file_annotation",
}
DEFINITIONS = {
    "function_declaration",
    "generator_function_declaration",
    "method_definition",
    "class_declaration",
    "abstract_class_declaration",
    "interface_declaration",
    "method_declaration",
    "constructor_declaration",
    "enum_declaration",
    "record_declaration",
    "function_item",
    "impl_item",
    "trait_item",
    "mod_item",
    "struct_item",
    "enum_item",
    "object_declaration",
    "type_spec",
}


def _loaders() -> dict[str, Callable[[], Any]]:
    import tree_sitter_go
    import tree_sitter_java
    import tree_sitter_javascript
    import tree_sitter_kotlin
    import tree_sitter_rust
    import tree_sitter_typescript

    return {
        "js": tree_sitter_javascript.language,
        "ts": tree_sitter_typescript.language_typescript,
        "tsx": tree_sitter_typescript.language_tsx,
        "go": tree_sitter_go.language,
        "rust": tree_sitter_rust.language,
        "java": tree_sitter_java.language,
        "kotlin": tree_sitter_kotlin.language,
    }


@cache
def parser(lang: str) -> Any:
    import tree_sitter

    return tree_sitter.Parser(tree_sitter.Language(_loaders()[lang]()))


def comments(source: bytes, lang: str) -> list[Comment]:
    root = parser(lang).parse(source).root_node
    return [Comment(n.start_point[0] + 1, _text(n), scope(n)) for n in _nodes(root)]


def _nodes(root: Any) -> Iterator[Any]:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in COMMENTS or node.type in ATTRIBUTES:
            yield node
            continue
        stack.extend(reversed(node.children))


def _text(node: Any) -> str:
    """The node's text; a Kotlin annotation's arguments are its next sibling."""
    text = bytes(node.text).decode("utf-8", "replace")
    nxt = node.next_sibling
    if node.type == "annotation" and nxt is not None and nxt.type == "parenthesized_expression":
        text += bytes(nxt.text).decode("utf-8", "replace")
    return text


def scope(node: Any) -> str:
    names: list[str] = []
    parent = node.parent
    while parent is not None:
        if parent.type in DEFINITIONS:
            names.append(_name(parent))
        parent = parent.parent
    return ".".join(reversed(names)) or "module"


def _name(node: Any) -> str:
    named = node.child_by_field_name("name") or node.child_by_field_name("type")
    if named is None:
        named = next((c for c in node.children if c.type.endswith("identifier")), None)
    return bytes(named.text).decode("utf-8", "replace") if named is not None else node.type
