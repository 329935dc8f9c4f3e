"""What a collected test class gives its methods, and when pytest does not collect it."""

from __future__ import annotations

from collections.abc import Iterator

from guards.collect.model import Skip
from guards.collect.python.linking.resolve import Owner
from guards.collect.python.linking.test_skips import Candidate, Placed
from guards.collect.python.parsing.facts import Func, Klass, Module
from guards.core.records import record


@record
class Owned:
    """What a test class gives the methods it collects: its chain, names, marks and skips."""

    chain: tuple[Owner, ...]  # the class and its bases (not "mro": type.mro would shadow it)
    names: list[str]
    marks: list[Placed]
    disabled: Skip | None
    setup: list[Skip]

    def candidate(self, func: Func, module: Module, state: Skip | None) -> Candidate:
        own = [Placed(u, module) for u in func.marks]
        disabled = self.disabled or (state if state is not None and state.kind else None)
        return Candidate(
            func, module, self.names, own + self.marks, self.chain, disabled, self.setup
        )


def class_test_attr(mro: tuple[Owner, ...]) -> tuple[bool | None, int]:
    for _, klass in mro:
        if klass.test_attr is not None:
            return klass.test_attr, klass.test_attr_line or klass.line
    return None, 0


def disabled_by(
    klass: Klass, mro: tuple[Owner, ...], test_attr: bool | None, line: int, unittest: bool
) -> Skip | None:
    if test_attr is False:
        return Skip("not-collected", line, f"__test__ = False on class {klass.name}")
    owner = next((k for _, k in mro if k.has_init), None)
    if not unittest and owner is not None:
        whose = f"class {klass.name}" + ("" if owner is klass else f"'s base {owner.name}")
        why = f"{whose} {owner.has_init}: pytest does not collect it"
        return Skip("not-collected", klass.line, why)
    return None


def nested_classes(mro: tuple[Owner, ...]) -> Iterator[Klass]:
    seen: set[str] = set()
    for _, klass in mro:
        for nested in klass.nested:
            if nested.name not in seen:
                seen.add(nested.name)
                yield nested
