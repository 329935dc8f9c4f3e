"""Which call is a test, a suite or a hook, and with which modifiers (``it.skip.each(...)``).

A callee is read as a chain: a base (``it``, ``test``, ``describe``, ``xit``, ``fdescribe``,
...) or an alias bound to one (``const s = it.skip``, ``import { test as t } from 'vitest'``,
``const { describe } = require('node:test')``), followed by modifiers (``.skip``, ``.only``,
``.each(table)``, ``.skipIf(cond)``). An alias is bound file-wide in document order.

A ternary between a chain and the same chain skipped is a conditional skip, read as vitest's
own spelling of one: ``(cond ? it : it.skip)`` is ``it.runIf(cond)``, ``(cond ? xit : it)``
is ``it.skipIf(cond)`` (effects.py: skipped unless the condition is a literal that runs it), as
a ``skipif`` mark is in Python. date-fns's ``const dstOnly = hasDst ? it : it.skip``.

The trap: any other chain whose effect is chosen at run time (``it[mode]``,
``(fast ? it : it.only)``, ``(c ? it.each : it.skip.each)`` still waiting for its table,
``t = it.skip`` reassigned) is Undecidable, never read as a plain test; and a chain still
waiting for its arguments (``it.each(table)`` before ``(name, fn)``) is not a test call itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from guards.collect.js.syntax import Node, line, string_value, text, unwrap
from guards.collect.model import Undecidable
from guards.core.records import record

TESTS = frozenset({"it", "test", "specify", "xit", "xtest", "xspecify", "fit"})
SUITES = frozenset({"describe", "context", "suite", "xdescribe", "xcontext", "fdescribe"})
HOOKS = frozenset({"before", "beforeAll", "beforeEach", "setup", "suiteSetup"})
NEUTRAL = frozenset({"concurrent", "sequential", "shuffle", "serial"})
EFFECTS = frozenset({"skip", "only", "todo", "fails", "failing"})
WITH_ARGS = frozenset({"each", "for", "skipIf", "runIf", "extend", "scoped"})
MODULES = frozenset({"vitest", "@jest/globals", "node:test", "test", "mocha", "bun:test"})
NAMESPACE = "*"
T = TypeVar("T")


@record
class Chain:
    """A test API reached through a callee: base name, modifiers, and bound arguments."""

    base: str
    mods: tuple[str, ...] = ()
    args: tuple[Node | None, ...] = ()  # one per modifier: the arguments node, if it takes one

    @property
    def kind(self) -> str:
        return "suite" if self.base in SUITES else "test" if self.base in TESTS else "other"

    @property
    def pending(self) -> bool:
        """Still waiting for the arguments of its last modifier (``it.each``)."""
        return bool(self.mods) and self.mods[-1] in WITH_ARGS and self.args[-1] is None

    def add(self, mod: str) -> Chain:
        return replace(self, mods=(*self.mods, mod), args=(*self.args, None))

    def bind(self, arguments: Node) -> Chain:
        return replace(self, args=(*self.args[:-1], arguments))

    def same_effect(self, other: Chain) -> bool:
        return (self.base, self.mods) == (other.base, other.mods)


class Bindings:
    """Names bound to test APIs in one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.names: dict[str, Chain] = {}

    def resolve(self, node: Node) -> Chain | None:
        """The chain NODE names, None when it is no test API; Undecidable when it is chosen
        at run time."""
        node = unwrap(node)
        kind = node.type
        if kind == "identifier":
            return self.named(text(node))
        if kind in ("member_expression", "subscript_expression"):
            return self._member(node)
        if kind == "call_expression":
            return self._call(node)
        if kind == "ternary_expression":
            return self._ternary(node)
        return None

    def named(self, name: str) -> Chain | None:
        """The chain the name NAME stands for, None when it is no test API."""
        if name in self.names:
            found = self.names[name]
            return None if found.base == NAMESPACE else found
        return Chain(name) if name in TESTS | SUITES | HOOKS else None

    def _member(self, node: Node) -> Chain | None:
        obj = node.child_by_field_name("object")
        if obj is None:
            return None
        prop = self._property(node)
        owner = unwrap(obj)
        if owner.type == "identifier" and self.names.get(text(owner), Chain("")).base == NAMESPACE:
            return Chain(prop) if prop in TESTS | SUITES | HOOKS else None
        chain = self.resolve(obj)
        if chain is None or chain.kind == "other" or chain.pending:
            return None
        if prop is None:
            raise Undecidable(
                self.path, line(node), f"{text(node)[:60]} picks a test modifier at run time"
            )
        if prop in EFFECTS | NEUTRAL | WITH_ARGS:
            return chain.add(prop)
        return None

    def _property(self, node: Node) -> str | None:
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            return text(prop) if prop is not None else None
        index = node.child_by_field_name("index")
        return string_value(index) if index is not None else None

    def _call(self, node: Node) -> Chain | None:
        callee, arguments = (
            node.child_by_field_name("function"),
            node.child_by_field_name("arguments"),
        )
        if callee is None or arguments is None:
            return None
        chain = self.resolve(callee)
        return chain.bind(arguments) if chain is not None and chain.pending else None

    def _ternary(self, node: Node) -> Chain | None:
        found = [
            self.resolve(n)
            for n in (
                node.child_by_field_name("consequence"),
                node.child_by_field_name("alternative"),
            )
            if n is not None
        ]
        chains = [c for c in found if c is not None]
        if not chains:
            return None
        if len(chains) == 2 and chains[0].same_effect(chains[1]):
            return chains[0]
        if len(found) == 2 and (conditional := _conditional(node, *found)) is not None:
            return conditional
        raise Undecidable(
            self.path, line(node), f"{text(node)[:60]} chooses a test API at run time"
        )


def _conditional(node: Node, runs: Chain | None, other: Chain | None) -> Chain | None:
    """``cond ? RUNS : OTHER`` as one chain when one of the two is the other skipped: the
    unskipped one with ``runIf``/``skipIf`` bound to NODE (whose first child, the condition,
    is what effects.py reads as their argument); None otherwise."""
    if runs is None or other is None or runs.pending or other.pending:
        return None
    if _unskipped(other) == runs:
        return runs.add("runIf").bind(node)
    if _unskipped(runs) == other:
        return other.add("skipIf").bind(node)
    return None


def _unskipped(chain: Chain) -> Chain | None:
    """CHAIN without its one skip (``xit`` is ``it`` skipped), None when it has none or more."""
    skips = chain.mods.count("skip")
    if chain.base.startswith("x") and chain.base[1:] in TESTS | SUITES:
        return replace(chain, base=chain.base[1:]) if not skips else None
    if skips != 1:
        return None
    at = chain.mods.index("skip")
    return replace(chain, mods=_dropped(chain.mods, at), args=_dropped(chain.args, at))


def _dropped(items: tuple[T, ...], at: int) -> tuple[T, ...]:
    return items[:at] + items[at + 1 :]
