"""Questions asked of the spec index: does a section exist, what is near it, what a range holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from guards.spec import numbers
from guards.spec.index import Section, SpecDoc, unique_sections
from guards.spec.numbers import Number


@dataclass(frozen=True)
class SpecIndex:
    """Every section of every configured spec document; numbers are unique across them."""

    docs: tuple[SpecDoc, ...]
    by_number: Mapping[Number, Section] = field(default_factory=dict)

    def get(self, number: Number) -> Section | None:
        return self.by_number.get(number)

    def doc(self, path: str) -> SpecDoc | None:
        return next((d for d in self.docs if d.path == path), None)

    def children(self, number: Number | None) -> list[Number]:
        """The sections directly under NUMBER (the top level for None), in spec order."""
        prefix = number or ()
        return [n for n in self.by_number if len(n) == len(prefix) + 1 and n[:-1] == prefix]

    def nearest(self, number: Number) -> Number | None:
        """The closest existing section that NUMBER would live in."""
        up = numbers.parent(number)
        while up and up not in self.by_number:
            up = numbers.parent(up)
        return up

    def members(self, first: Number, last: Number | None) -> list[Section]:
        """The sections a citation names: one section, or each section of a range."""
        if last is None:
            found = self.get(first)
            return [found] if found else []
        return [s for n, s in self.by_number.items() if numbers.in_range(n, first, last)]

    def nearby(self, number: Number) -> str:
        """``§4 has 4.1, 4.2`` or ``the spec's top-level sections are §1, §2``."""
        up = self.nearest(number)
        kids = self.children(up)
        if up is None:
            return (
                f"the spec's top-level sections are {numbers.listing(kids, sign=True)}"
                if kids
                else "it is empty"
            )
        if not kids:
            return f"{numbers.cite(up)} has no subsections"
        return f"{numbers.cite(up)} has {numbers.listing(kids)}"


def build_index(docs: Iterable[SpecDoc]) -> SpecIndex:
    """Join the documents; a number defined in two of them is a config error."""
    docs = tuple(docs)
    return SpecIndex(docs, unique_sections(s for doc in docs for s in doc.sections))
