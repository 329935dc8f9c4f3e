"""Comments, attributes and annotations of JS/TS, Go, Rust, Java and Kotlin, from tree-sitter.

Only comment nodes (and Rust attribute / Java-Kotlin annotation nodes) are handed to the
suppression forms, so text in a string or template literal never counts. The enclosing
definition is the chain of named function/class/impl nodes above the node.

The trap: an attribute or annotation is tokens, not text. ``#[/* x */ allow(dead_code)]``,
``# [allow(dead_code)]``, ``#[r#allow(dead_code)]`` (a raw identifier is the identifier) and
``@ /* x */ SuppressWarnings("all")`` are what rustc and javac read as the plain spelling. So
their text is rebuilt from their tokens: comments dropped, the gap between two tokens one space
(none where the source had none), a literal whole, ``r#`` taken off a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from guards.checks.suppressions.model import Comment
from guards.core import syntax_tree

COMMENTS = {"comment", "line_comment", "block_comment", "multiline_comment"}
ATTRIBUTES = {
    "attribute_item",
    "inner_attribute_item",
    "annotation",
    "marker_annotation",
    "file_annotation",
}
SCRIPTS = ("js", "ts", "tsx")  # the languages whose leading comments are marked
RAW_NAME = re.compile(r"r#(?=[A-Za-z_])")  # Rust's raw identifier prefix
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


def comments(source: bytes, lang: str, path: str = "") -> list[Comment]:
    """The comments (and attributes, annotations) of SOURCE, the file PATH in LANG; its parse
    is bounded in time (core/syntax_tree.py)."""
    root = syntax_tree.parse(parser(lang), source, path or f"a {lang} file").root_node
    first = _first_token(root) if lang in SCRIPTS else -1
    return [
        Comment(n.start_point[0] + 1, _text(n), scope, n.end_byte <= first)
        for n, scope in _nodes(root)
    ]


def _first_token(root: Any) -> int:
    """Where the first token of a script starts (its end where it has none): the comments
    before it are the ones TypeScript reads pragmas in (``// @ts-nocheck``), a ``#!`` line
    aside, as its ``getLeadingCommentRanges(text, 0)`` does."""
    skipped = COMMENTS | {"hash_bang_line"}
    found = next((c for c in root.children if c.type not in skipped), None)
    return int(root.end_byte if found is None else found.start_byte)


def _nodes(root: Any) -> Iterator[tuple[Any, str]]:
    """Each comment, attribute and annotation below ROOT, in source order, with its enclosing
    definitions' names ("module" at top level), known on the way down: asking a node for its
    ``parent`` makes tree-sitter search down from the root, which on 20,000 comments side by
    side was quadratic (18 s)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(root, ())]
    while stack:
        node, names = stack.pop()
        if node.type in COMMENTS or node.type in ATTRIBUTES:
            yield node, ".".join(names) or "module"
            continue
        inner = (*names, _name(node)) if node.type in DEFINITIONS else names
        stack.extend((child, inner) for child in reversed(node.children))


def _text(node: Any) -> str:
    """A comment's text; an attribute's or annotation's tokens (a Kotlin annotation's arguments
    are its next sibling)."""
    if node.type in COMMENTS:
        return bytes(node.text).decode("utf-8", "replace")
    nodes = [node]
    nxt = node.next_sibling
    if node.type == "annotation" and nxt is not None and nxt.type == "parenthesized_expression":
        nodes.append(nxt)
    return "".join(_tokens(nodes))


def _tokens(nodes: list[Any]) -> Iterator[str]:
    """The tokens below NODES as their language reads them, spaced as the module docstring says."""
    stack = list(reversed(nodes))
    end = nodes[0].start_byte
    while stack:
        node = stack.pop()
        if node.type in COMMENTS:
            continue
        if node.child_count and "literal" not in node.type:
            stack.extend(reversed(node.children))
            continue
        text = bytes(node.text).decode("utf-8", "replace")
        yield (" " if node.start_byte > end else "") + RAW_NAME.sub("", text, count=1)
        end = node.end_byte


def _name(node: Any) -> str:
    named = node.child_by_field_name("name") or node.child_by_field_name("type")
    if named is None:
        named = next((c for c in node.children if c.type.endswith("identifier")), None)
    return bytes(named.text).decode("utf-8", "replace") if named is not None else node.type
