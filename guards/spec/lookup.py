"""Questions asked of the spec index: does a section exist, what is near it, what a range holds.

The trap: a PR body of 128 KiB holds thousands of range citations and a spec thousands of
sections; testing every section against every range (``in_range`` over the whole index) costs
citations x sections (a minute for 13,000 ranges over 1,000 sections). Sections are kept in
rows (one per document and parent number) sorted by their last part, so a range is two
bisections; the union of many ranges visits each section once ("next uncovered" pointers).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import NamedTuple

from guards.core.records import record
from guards.spec import numbers
from guards.spec.index import Section, SpecDoc, unique_sections
from guards.spec.numbers import Number

Row = tuple[str, Number]  # (document, parent number): sections that are siblings in one document


class Span(NamedTuple):
    """Sections ``lo`` to ``hi`` (exclusive) of ROW, in its sorted order."""

    row: Row
    lo: int
    hi: int


class Cited(NamedTuple):
    """What a citation names: FIRST, or the range FIRST to LAST; of DOC only, when given."""

    first: Number
    last: Number | None
    doc: str | None = None


@record
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
        return list(self._kids.get(number or (), ()))

    @functools.cached_property
    def _kids(self) -> Mapping[Number, Sequence[Number]]:
        kids: dict[Number, list[Number]] = {}
        for n in self.by_number:
            kids.setdefault(n[:-1], []).append(n)
        return kids

    @functools.cached_property
    def _rows(self) -> Mapping[Row, tuple[Sequence[int], Sequence[Section]]]:
        """Each row's last parts, sorted, and its sections in that order."""
        rows: dict[Row, list[Section]] = {}
        for n, s in self.by_number.items():
            rows.setdefault((s.doc, n[:-1]), []).append(s)
        ordered = {row: sorted(found, key=lambda s: s.number[-1]) for row, found in rows.items()}
        return {row: ([s.number[-1] for s in found], found) for row, found in ordered.items()}

    def nearest(self, number: Number) -> Number | None:
        """The closest existing section that NUMBER would live in."""
        up = numbers.parent(number)
        while up and up not in self.by_number:
            up = numbers.parent(up)
        return up

    def members(self, first: Number, last: Number | None, doc: str | None = None) -> list[Section]:
        """The sections a citation names: one section, or each section of a range (siblings
        between its ends; ends that are no siblings name themselves only)."""
        return [s for span in self.spans(Cited(first, last, doc)) for s in self._slice(span)]

    def docs_of(self, cited: Cited) -> set[str]:
        """The documents holding a section CITED names (a bisection per document)."""
        return {span.row[0] for span in self.spans(cited)}

    def union(self, cited: Iterable[Cited]) -> list[Section]:
        """Every section any of CITED names, once, in the order of the first citation naming
        it: each section is visited once however many ranges cover it."""
        nexts: dict[Row, list[int]] = {}
        found: list[Section] = []
        for span in (span for c in cited for span in self.spans(c)):
            sections = self._rows[span.row][1]
            if span.row not in nexts:  # (setdefault would build the list for every span)
                nexts[span.row] = list(range(len(sections) + 1))
            nxt = nexts[span.row]
            i = _uncovered(nxt, span.lo)
            while i < span.hi:
                found.append(sections[i])
                nxt[i] = i + 1
                i = _uncovered(nxt, i + 1)
        return found

    def spans(self, cited: Cited) -> Iterator[Span]:
        first, last = cited.first, cited.last
        if last is None or len(first) != len(last) or first[:-1] != last[:-1]:
            for end in (first,) if last is None or last == first else (first, last):
                yield from self._spans(end[:-1], end[-1], end[-1], cited.doc)
            return
        low, high = sorted((first[-1], last[-1]))
        yield from self._spans(first[:-1], low, high, cited.doc)

    def _spans(self, parent: Number, low: int, high: int, doc: str | None) -> Iterator[Span]:
        for path in (d.path for d in self.docs) if doc is None else (doc,):
            keys = self._rows.get((path, parent), ((), ()))[0]
            lo, hi = bisect.bisect_left(keys, low), bisect.bisect_right(keys, high)
            if lo < hi:
                yield Span((path, parent), lo, hi)

    def _slice(self, span: Span) -> Sequence[Section]:
        return self._rows[span.row][1][span.lo : span.hi]

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


def _uncovered(nxt: list[int], i: int) -> int:
    """The first index from I on not yet visited; every pointer on the way is set to it, so
    a section covered by many ranges is stepped over in one hop the next time."""
    root = i
    while nxt[root] != root:
        root = nxt[root]
    while nxt[i] != root:
        nxt[i], i = root, nxt[i]
    return root


def build_index(docs: Iterable[SpecDoc]) -> SpecIndex:
    """Join the documents; a number defined in two of them is a config error."""
    docs = tuple(docs)
    return SpecIndex(docs, unique_sections(s for doc in docs for s in doc.sections))
