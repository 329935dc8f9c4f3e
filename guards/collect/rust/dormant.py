"""Test functions that lost their ``#[test]``: still in a test module, never run.

A function with no parameters inside a ``#[cfg(test)]`` module (or an integration test
target) that nothing in the target calls or names is a test whose attribute was removed or
commented out (``// #[test]``); it keeps the identity it had as a test and counts as skipped
(``rust-not-test``). The trap: helpers are called, ``pub`` helpers of a shared module
(``tests/common/mod.rs``) may be called from another target only, and ``fn main`` is an entry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tree_sitter import Node

from guards.collect.rust.meta import Meta
from guards.collect.rust.syntax import text


def candidate(node: Node, in_test: bool) -> bool:
    """NODE, a function without a test attribute, could be a test that lost it."""
    params = node.child_by_field_name("parameters")
    name = text(node.child_by_field_name("name"))
    has_params = params is not None and bool(params.named_children)
    public = any(c.type == "visibility_modifier" for c in node.children)
    return in_test and not has_params and not public and name != "main"


def mentions_test(metas: Iterable[tuple[Meta, int]]) -> bool:
    """A ``#[cfg(...)]`` among METAS names ``test`` (the module is test-only code)."""
    return any(m.path == "cfg" and _names_test(m) for m, _ in metas)


def _names_test(meta: Meta) -> bool:
    return meta.path == "test" or any(_names_test(a) for a in meta.args or ())


def references(roots: Iterable[Node]) -> Counter[str]:
    """How often each identifier appears in ROOTS (declarations included)."""
    counts: Counter[str] = Counter()
    for root in roots:
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type == "identifier":
                counts[text(node)] += 1
            stack.extend(node.children)
    return counts
