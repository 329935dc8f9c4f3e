"""Rules turned off and files ignored in an ESLint flat config (eslint.config.js), read with
tree-sitter.

Every ``rules: {...}`` object literal in the file is read: a key whose value is "off", 0, or
an array starting with either is a rule turned off; every string of an ``ignores: [...]`` array
is a pattern of files not linted. Computed keys and spread rules are not
followed (they can only hide a rule from this reader, which then reads as not turned off).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guards.checks.suppressions import tscomments
from guards.core import syntax_tree

OFF = {"off", "0"}


def is_off(value: Any) -> bool:
    """ "off", 0, or YAML 1.1's reading of a bare ``off`` (False); an array by its first item."""
    if value is False:
        return True
    if isinstance(value, list):
        return bool(value) and is_off(value[0])
    return str(value).strip().lower() in OFF


def facts(data: bytes, path: str) -> dict[str, Any]:
    lang = "ts" if path.endswith(("ts", "mts")) else "js"
    root = syntax_tree.parse(tscomments.parser(lang), data, path).root_node
    pairs = list(_pairs(root))  # one walk of the tree, for both
    return {
        "eslint.off": {name for name, value in _rules(pairs) if _off_node(value)},
        "eslint.ignore": set(_ignores(pairs)),
    }


def _pairs(root: Any) -> Iterator[tuple[str, Any]]:
    """Every ``key: value`` pair of the file's object literals, as (key, value node)."""
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "pair":
            yield _key(node), node.child_by_field_name("value")


def _ignores(pairs: list[tuple[str, Any]]) -> Iterator[str]:
    """The string items of every ``ignores: [...]`` array: the files ESLint does not lint."""
    for key, value in pairs:
        if key == "ignores" and value is not None and value.type == "array":
            for item in value.named_children:
                if item.type in ("string", "template_string"):
                    yield bytes(item.text).decode("utf-8", "replace").strip("'\"`")


def _rules(pairs: list[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """The (rule, setting) pairs of every ``rules: {...}`` object."""
    for key, value in pairs:
        if key == "rules" and value is not None:
            for pair in value.children:
                if pair.type == "pair":
                    yield _key(pair), pair.child_by_field_name("value")


def _key(pair: Any) -> str:
    key = pair.child_by_field_name("key")
    return bytes(key.text).decode("utf-8", "replace").strip("'\"`") if key is not None else ""


def _off_node(node: Any) -> bool:
    if node is None:
        return False
    if node.type == "array":
        first = next((c for c in node.children if c.is_named), None)
        return _off_node(first)
    text = bytes(node.text).decode("utf-8", "replace").strip("'\"`")
    return node.type in ("string", "number") and is_off(text)
