"""Citations of spec sections in a PR's title and body: ``§4.2``, ``§ 4.2``, ``§§4-5``
(hyphen or en dash), ``Section 4.2``, ``sections 4 and 6``, ``spec §6 invariant 1`` and
``[§4.2](SPEC.md#...)``, with an optional version (``spec v1.0.0 §4.2``, ``§4.2 (v1.0.0)``,
``§4.2 of SPEC.md v1.0.0``).

Only prose counts (see visible.py). Digits are ASCII: ``§`` with fullwidth digits, ``$4.2``,
``S4.2`` and template placeholders (``§N``, ``§X.Y``) are not citations; they are reported as
hints. Every pattern is linear: bounded repetitions, no nested quantifiers, so hostile text
cannot make it backtrack.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from guards.core.records import record
from guards.errors import GuardsError
from guards.spec import grammar, numbers, visible
from guards.spec.numbers import Number

MAX_CITATIONS = 1_000  # citations (a section, or a range) read from the title and body together


class Citation(NamedTuple):
    """One cited section, or a range (``§§4-5``: FIRST 4, LAST 5), and where it was written."""

    first: Number
    last: Number | None
    text: str
    where: str
    version: str | None = None
    doc: str | None = None  # the document the citation names ("§4.2 of docs/api.md")

    @property
    def label(self) -> str:
        if self.last is None:
            return numbers.cite(self.first)
        return f"§§{numbers.show(self.first)}\u2013{numbers.show(self.last)}"


class Hint(NamedTuple):
    """Text that looks like a citation but is not one, and why."""

    text: str
    why: str
    where: str


@record
class Parsed:
    citations: tuple[Citation, ...]
    hints: tuple[Hint, ...]


def read(title: str, body: str) -> Parsed:
    """Every citation in the prose of the PR title and body; hints only when there is none.
    More than MAX_CITATIONS is exit 2: a PR cites the few sections it implements."""
    segments = list(located_segments(title, body))
    cited = (c for where, seg in segments if not seg.hidden for c in find(seg.text, where))
    found = tuple(itertools.islice(cited, MAX_CITATIONS + 1))
    if len(found) > MAX_CITATIONS:
        raise GuardsError(
            f"the PR title and body cite more than {MAX_CITATIONS:,} spec sections or ranges "
            f"(the first past that is {found[-1].text!r} in {found[-1].where}); "
            "cite the sections this change implements, as a range where they are consecutive"
        )
    if found:
        return Parsed(found, ())
    return Parsed((), tuple(h for where, seg in segments for h in hints(seg, where))[:5])


def located_segments(title: str, body: str) -> Iterator[tuple[str, visible.Segment]]:
    for seg in visible.title_segments(title):
        yield "the PR title", seg
    for seg in visible.body_segments(body):
        yield (f"the PR body (line {seg.line})" if seg.line else "the PR body"), seg


def find(text: str, where: str) -> Iterator[Citation]:
    """The citations in one segment of prose, in order; a list, a version or a document name
    belongs to the citation it follows, never to the next one as well. A section of another
    standard (``RFC 9110 §6``, ``§6 of ISO 8601``) is not a citation of the spec."""
    floor = 0
    for match in heapq.merge(_signs(text), _words(text), key=lambda m: m.start()):
        if match.start() < floor:
            continue  # inside the list of the citation before
        items, end = _items(text, match)
        lo, start = floor, match.start()
        pre = _pre_version(text, max(lo, start - grammar.PRE_WINDOW), start)
        post = grammar.POST_VERSION.match(text, end)
        named = None if post and post.group("doc") else grammar.POST_DOC.match(text, end)
        said = pre or post
        version = said.group("ver") if said else None
        floor = max(post.end() if post else end, named.end() if named else end)
        if _foreign(text, max(lo, start - grammar.FOREIGN_WINDOW), start, floor):
            continue
        doc = (post.group("doc") if post else None) or (named.group("doc") if named else None)
        pre_doc = None if doc else _pre_doc(text, max(lo, start - grammar.DOC_WINDOW), start)
        first = min(m.start() for m in (pre, pre_doc, match) if m is not None)
        written = text[first:floor].replace(visible.SEP, " ").strip()
        doc = doc or (pre_doc.group("doc") if pre_doc else None)
        yield from (Citation(a, b, written, where, version, doc) for a, b in items)


def _foreign(text: str, lo: int, start: int, end: int) -> bool:
    """A standard's name just before the citation, or ``of <standard>`` just after it."""
    if grammar.POST_FOREIGN.match(text, end):
        return True
    return grammar.PRE_FOREIGN.search(text, lo, start) is not None


def _pre_doc(text: str, lo: int, hi: int) -> re.Match[str] | None:
    if ".md" not in text[lo:hi]:
        return None
    return grammar.PRE_DOC.search(text, lo, hi)


def _pre_version(text: str, lo: int, hi: int) -> re.Match[str] | None:
    window = text[lo:hi]
    if "pec" not in window and "PEC" not in window:
        return None  # the cheap test keeps a long run of citations linear
    return grammar.PRE_VERSION.search(text, lo, hi)


def _signs(text: str) -> Iterator[re.Match[str]]:
    return grammar.SIGN_CITE.finditer(text) if "§" in text else iter(())


def _words(text: str) -> Iterator[re.Match[str]]:
    for match in grammar.WORD_CITE.finditer(text):
        start = match.start()
        if start == 0 or not (text[start - 1].isascii() and text[start - 1].isalpha()):
            yield match


def _items(text: str, match: re.Match[str]) -> tuple[list[tuple[Number, Number | None]], int]:
    items = [_item(match)]
    end = match.end()
    plural = match.group("sign") == "§§" if match.re is grammar.SIGN_CITE else match.group("plural")
    while plural:
        more = grammar.MORE.match(text, end)
        if more is None:
            break
        items.append(_item(more))
        end = more.end()
    return items, end


def _item(match: re.Match[str]) -> tuple[Number, Number | None]:
    first = numbers.parse(match.group("a"))
    last = numbers.parse(match.group("b")) if match.group("b") else None
    assert first is not None  # the pattern only matches numbers
    return first, last


def hints(seg: visible.Segment, where: str) -> Iterator[Hint]:
    """Look-alikes and placeholders in prose; real citations in comments and code."""
    if seg.hidden:
        for c in find(seg.text, where):
            yield Hint(c.text, f"inside {seg.hidden}, where a citation does not count", where)
        return
    found = (
        (m.start(), m.group(0), kind)
        for kind, pattern in grammar.HINTS.items()
        for m in pattern.finditer(seg.text)
    )
    for _, text, kind in sorted(itertools.islice(found, 50)):
        yield Hint(text, _WHY[kind], where)
    for match in itertools.islice(_signs(seg.text), 50):
        lo = max(0, match.start() - grammar.FOREIGN_WINDOW)
        if _foreign(seg.text, lo, match.start(), match.end()):
            yield Hint(match.group(0), "a section of another standard, not of this spec", where)


_WHY = {
    "placeholder": "an unfilled template placeholder, not a section number",
    "lookalike": "not a section sign: a citation starts with § (or 'Section')",
    "digits": "not a section number: section numbers use the ASCII digits 0-9",
    "word digits": "not a section number: section numbers use the ASCII digits 0-9",
}
