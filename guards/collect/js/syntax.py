"""tree-sitter parsing of JavaScript/TypeScript and the small pieces of evaluation we allow.

The grammar follows the extension: ``.ts``/``.mts``/``.cts`` TypeScript, ``.tsx`` TSX, every
other extension JavaScript (whose grammar includes JSX). ``literal`` evaluates only what a
reader can see without running code: strings, template strings without substitutions,
numbers, booleans, null, arrays and objects of those (``as``/``satisfies`` casts unwrapped).
Anything else is ``DYNAMIC``: the caller decides whether that makes the file undecidable.

The trap: tree-sitter never fails, it builds ERROR nodes; a test file with an ERROR node is
NotParsable (the runner would fail to load it), never half-read.
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import cache
from typing import Any

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

from guards.collect.treesitter import parse_checked

Node = tree_sitter.Node
EXTENSIONS = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
DYNAMIC: Any = object()  # a value that only running the code can give
WRAPPERS = {
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "parenthesized_expression",
}
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
NAME_ESCAPE = re.compile(r"\\u(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})")
ESCAPE_RE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")


@cache
def _parser(kind: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(language(kind))


@cache
def language(kind: str) -> tree_sitter.Language:
    if kind == "ts":
        return tree_sitter.Language(tree_sitter_typescript.language_typescript())
    if kind == "tsx":
        return tree_sitter.Language(tree_sitter_typescript.language_tsx())
    return tree_sitter.Language(tree_sitter_javascript.language())


def nodes_of(root: Node, path: str, types: tuple[str, ...]) -> list[Node]:
    """The nodes of TYPES below ROOT (of the file PATH), in document order: one tree-sitter
    query, run in C (a walk over every node in Python cost a sixth of babel's listing)."""
    found = tree_sitter.QueryCursor(_query(grammar(path), types)).captures(root).get("node", [])
    return sorted(found, key=lambda n: (n.start_byte, -n.end_byte))


@cache
def _query(kind: str, types: tuple[str, ...]) -> tree_sitter.Query:
    pattern = "[" + " ".join(f"({t})" for t in types) + "] @node"
    query: tree_sitter.Query = tree_sitter.Query(language(kind), pattern)
    return query


def grammar(path: str) -> str:
    ext = posixpath.splitext(path)[1]
    return {".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx"}.get(ext, "js")


def parse(path: str, data: bytes) -> Node:
    """The syntax tree of PATH; NotParsable when it is too large or has a syntax error."""
    return parse_checked(_parser(grammar(path)), path, data)


def text(node: Node) -> str:
    """NODE's source text; a name's as JavaScript reads it (``test.\\u0073kip`` is ``test.skip``:
    an identifier may spell any character as a ``\\u`` escape)."""
    raw = (node.text or b"").decode("utf-8", errors="replace")
    if "\\" in raw and node.type.endswith("identifier"):
        return NAME_ESCAPE.sub(_code_point, raw)
    return raw


def line(node: Node) -> int:
    return node.start_point[0] + 1


def unwrap(node: Node) -> Node:
    """NODE without parentheses, TypeScript casts and the items before the last of a comma
    expression (``(0, test.skip)`` is ``test.skip``: compiled code calls so)."""
    while node.type in WRAPPERS or node.type == "sequence_expression":
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            break
        node = inner[-1] if node.type == "sequence_expression" else inner[0]
    return node


def string_value(node: Node) -> str | None:
    """The value of a string literal or a template string without substitutions."""
    node = unwrap(node)
    if node.type == "string":
        return _unescape(text(node)[1:-1])
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return _unescape(text(node)[1:-1])
    return None


def _code_point(match: re.Match[str]) -> str:
    return _character(match.group(1), match.group(0))


def _character(digits: str, written: str) -> str:
    """The character the hex DIGITS of an escape name (``{...}`` allowed); one past Unicode is
    a syntax error to JavaScript, and stays as WRITTEN."""
    value = int(digits.strip("{}"), 16)
    return chr(value) if value <= 0x10FFFF else written


def _unescape(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if body[0] == "u" and len(body) > 1:
            return _character(body[1:], "\\" + body)
        if body[0] == "x" and len(body) == 3:
            return chr(int(body[1:], 16))
        if body in ("\n", "\r\n"):
            return ""
        return ESCAPES.get(body, body)

    return ESCAPE_RE.sub(one, raw)


def literal(node: Node) -> Any:
    """The value of a literal expression, or DYNAMIC."""
    node = unwrap(node)
    if node.type in ("string", "template_string"):
        value = string_value(node)
        return DYNAMIC if value is None else value
    if node.type == "number":
        return _number(text(node))
    simple = {"true": True, "false": False, "null": None}
    if node.type in simple:
        return simple[node.type]
    if node.type == "array":
        items = [literal(c) for c in node.named_children if c.type != "comment"]
        return DYNAMIC if any(i is DYNAMIC for i in items) else items
    if node.type == "object":
        return object_literal(node, strict=True)
    if node.type == "unary_expression" and text(node).startswith("-"):
        inner = literal(node.named_children[0])
        return -inner if isinstance(inner, (int, float)) else DYNAMIC
    return DYNAMIC


def _number(raw: str) -> Any:
    try:
        return json.loads(raw.replace("_", ""))
    except ValueError:
        return DYNAMIC


def object_literal(node: Node, strict: bool = False) -> Any:
    """An object literal as a dict (values DYNAMIC where not literal); DYNAMIC on a spread or a
    computed key, since either can set any key."""
    out: dict[str, Any] = {}
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type != "pair":
            return DYNAMIC  # spread, method, shorthand property
        key = _key(child.child_by_field_name("key"))
        value_node = child.child_by_field_name("value")
        if key is None or value_node is None:
            return DYNAMIC
        out[key] = literal(value_node)
        if strict and out[key] is DYNAMIC:
            return DYNAMIC
    return out


def _key(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier"):
        return text(node)
    if node.type == "number":
        return text(node)
    return string_value(node)
