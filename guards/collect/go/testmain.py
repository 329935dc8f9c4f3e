"""``TestMain`` that never runs the tests, and the tests of files the build leaves out.

A ``func TestMain(m *testing.M)`` without ``m.Run()`` runs no test of its package; one that
can ``return`` or ``os.Exit(0)`` before its first ``m.Run()`` may run none either. Both skip
every test of the package. The trap: ``os.Exit(1)`` before ``m.Run()`` fails the run loudly, so
it is not a skip; ``os.Exit(m.Run())`` is the normal form.
"""

from __future__ import annotations

from tree_sitter import Node

from guards.collect.go.package import Package
from guards.collect.go.syntax import arguments, line, text
from guards.collect.go.syntax import field as child
from guards.collect.go.tests import is_test_name
from guards.collect.model import Skip, TestItem
from guards.collect.treesitter import walk


def testmain_skip(package: Package) -> Skip | None:
    """The skip every test of PACKAGE gets from its TestMain, None when it runs them."""
    for path, root in package.files.items():
        if not path.endswith("_test.go"):
            continue
        for node in root.named_children:
            if node.type == "function_declaration" and text(child(node, "name")) == "TestMain":
                return _judge(path, node)
    return None


def _judge(path: str, node: Node) -> Skip | None:
    params = child(node, "parameters")
    decls = params.named_children if params is not None else []
    names = [text(n) for d in decls for n in d.children_by_field_name("name")]
    body = child(node, "body")
    if len(names) != 1 or body is None:
        return None
    runs = [line(n) for n in walk(body) if _is_run(n, names[0])]
    if not runs:
        return Skip("go-testmain", line(node), "TestMain never calls m.Run()", path)
    early = [line(n) for n in walk(body) if _quits(n) and line(n) < min(runs)]
    if early:
        what = "TestMain can return before m.Run()"
        return Skip("go-testmain", early[0], what, path)
    return None


def _is_run(node: Node, name: str) -> bool:
    return node.type == "call_expression" and text(child(node, "function")) == f"{name}.Run"


def _quits(node: Node) -> bool:
    if node.type == "return_statement":
        return True
    if node.type != "call_expression" or not text(child(node, "function")).endswith("os.Exit"):
        return False
    args = arguments(node)
    return len(args) == 1 and text(args[0]) == "0"


def excluded_tests(path: str, root: Node, prefix: str, why: str) -> list[TestItem]:
    """The would-be tests of a file the default build leaves out, skipped for WHY."""
    skip = Skip("go-build", 1, f"left out of the default build: {why}")
    items = []
    for node in root.named_children:
        name = text(child(node, "name")) if node.type == "function_declaration" else ""
        if name and (is_test_name(name) or name.startswith("Example")):
            items.append(TestItem(f"{prefix}::{name}", path, line(node), (skip,)))
    return items
