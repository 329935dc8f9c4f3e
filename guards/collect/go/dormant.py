"""Tests go test no longer runs although they are still there: a test renamed out of go's
naming rule (``testAdd``, ``Testadd``, ``_TestAdd``, ``xTestAdd``, ``skipTestAdd``).

A function of a ``_test.go`` file with one ``*testing.T/B/F`` parameter, whose name is not a
test name but becomes one once a disabling prefix is dropped or its case is fixed, and that
nothing in the package calls, keeps the identity of the test it names and counts as skipped
(``go-uncollected``). The trap: ``testHelper(t)`` called by tests is a helper, not a test.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from guards.collect.go.package import Package
from guards.collect.go.scan import testing_params
from guards.collect.go.syntax import field as child
from guards.collect.go.syntax import line, text
from guards.collect.go.tests import is_test_name
from guards.collect.model import Skip, TestItem

OFF = ("DISABLED_", "Disabled", "disabled", "Skip", "skip", "Todo", "todo", "x", "X", "_", "")
KINDS = ("Test", "Benchmark", "Fuzz")


def canonical(name: str) -> str | None:
    """The test name NAME was disabled from, None when it does not look like one."""
    for prefix in OFF:
        rest = name[len(prefix) :] if name.startswith(prefix) else None
        for kind in KINDS if rest else ():
            if rest is not None and rest.lower().startswith(kind.lower()):
                tail = rest[len(kind) :]
                guess = kind + tail[:1].upper() + tail[1:]
                if guess != name and is_test_name(guess):
                    return guess
    return None


def dormant_tests(package: Package, path: str) -> Iterator[TestItem]:
    """The would-be tests of PATH that go test does not run because of their names."""
    root = package.files[path]
    for node in root.named_children:
        found = _dormant(package, path, node) if node.type == "function_declaration" else None
        if found is not None:
            yield found


def _dormant(package: Package, path: str, node: Node) -> TestItem | None:
    name = text(child(node, "name"))
    guess = canonical(name)
    params = child(node, "parameters")
    if guess is None or len(testing_params(params, package.imports[path])) != 1:
        return None
    if package.references(name) > 1:
        return None  # called or passed somewhere: a helper
    why = f"{name} is not a name go test runs (it reads as {guess} disabled)"
    nodeid = f"{package.import_path}::{guess}"
    return TestItem(nodeid, path, line(node), (Skip("go-uncollected", line(node), why),))
