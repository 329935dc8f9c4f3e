"""Bind the names a file gives test APIs: imports, requires, declarations, destructuring.

``import { it as t } from 'vitest'``, ``import test from 'node:test'``,
``import * as vt from 'vitest'``, ``const { describe } = require('node:test')``,
``const s = it.skip``, ``const { skip } = it``. A test API assigned after its declaration
(``t = it.skip``) is Undecidable: which calls it skips depends on when they run.
"""

from __future__ import annotations

from collections.abc import Iterator

from guards.collect.js.calls import MODULES, NAMESPACE, SUITES, TESTS, Bindings, Chain
from guards.collect.js.syntax import Node, line, nodes_of, string_value, text, unwrap
from guards.collect.model import Undecidable

DEFAULT_EXPORT = "test"  # node:test's default export is test()


BINDING = ("import_statement", "variable_declarator", "assignment_expression")


def bind(path: str, root: Node) -> Bindings:
    """Every alias of a test API in the file at ROOT, in document order."""
    names = Bindings(path)
    for node in nodes_of(root, path, BINDING):
        if node.type == "import_statement":
            _import(node, names)
        elif node.type == "variable_declarator":
            _declarator(node, names)
        elif node.type == "assignment_expression":
            _assignment(node, names)
    return names


def _import(node: Node, names: Bindings) -> None:
    source = node.child_by_field_name("source")
    if source is None or string_value(source) not in MODULES:
        return
    for clause in (c for c in node.named_children if c.type == "import_clause"):
        for part in clause.named_children:
            if part.type == "identifier":
                names.names[text(part)] = Chain(DEFAULT_EXPORT)
            elif part.type == "namespace_import":
                alias = part.named_children[-1] if part.named_children else None
                if alias is not None:
                    names.names[text(alias)] = Chain(NAMESPACE)
            elif part.type == "named_imports":
                _specifiers(part, names)


def _specifiers(node: Node, names: Bindings) -> None:
    for spec in (c for c in node.named_children if c.type == "import_specifier"):
        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
        if name is not None and text(name) in TESTS | SUITES:
            names.names[text(alias or name)] = Chain(text(name))


def _declarator(node: Node, names: Bindings) -> None:
    target, value = node.child_by_field_name("name"), node.child_by_field_name("value")
    if target is None or value is None:
        return
    value = unwrap(value)
    module = _required_module(value)
    if module:
        _required(target, module, names)
        return
    chain = names.resolve(value)
    if chain is None or chain.kind == "other":
        return
    if target.type == "identifier":
        names.names[text(target)] = chain
    elif target.type == "object_pattern":
        for key, local in _pattern(target):
            names.names[local] = chain.add(key)


def _required_module(node: Node) -> str:
    """The runner module NODE requires or imports dynamically, "" when it does not."""
    if node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[0])
    callee = node.child_by_field_name("function") if node.type == "call_expression" else None
    args = node.child_by_field_name("arguments") if callee is not None else None
    if callee is None or args is None or text(callee) not in ("require", "import"):
        return ""
    first = args.named_children[0] if args.named_children else None
    module = string_value(first) if first is not None else None
    return module if module in MODULES else ""


def _required(target: Node, module: str, names: Bindings) -> None:
    if target.type == "identifier":
        node_test = module in ("node:test", "test")
        names.names[text(target)] = Chain(DEFAULT_EXPORT if node_test else NAMESPACE)
        return
    for key, local in _pattern(target):
        if key in TESTS | SUITES:
            names.names[local] = Chain(key)


def _pattern(node: Node) -> Iterator[tuple[str, str]]:
    """(property, local name) of each plain entry of an object pattern."""
    for child in node.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            yield text(child), text(child)
        elif child.type == "pair_pattern":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and value is not None and value.type == "identifier":
                yield text(key), text(value)


def _assignment(node: Node, names: Bindings) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier":
        return
    chain = names.resolve(right)
    bound = names.names.get(text(left))
    if (chain is not None and chain.kind != "other") or bound is not None:
        raise Undecidable(
            names.path, line(node), f"{text(left)} is assigned a test API at run time"
        )
