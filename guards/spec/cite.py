"""Citations of spec sections in a PR's title and body: ``§4.2``, ``§ 4.2``, ``§§4-5``
(hyphen or en dash), ``Section 4.2``, ``sections 4 and 6``, ``spec §6 invariant 1`` and
``[§4.2](SPEC.md#...)``, with an optional version (``spec v1.0.0 §4.2``, ``§4.2 (v1.0.0)``,
``§4.2 of SPEC.md v1.0.0``).

Only prose counts (see prose.py). Digits are ASCII: ``§`` with fullwidth digits, ``$4.2``,
``S4.2`` and template placeholders (``§N``, ``§X.Y``) are not citations; they are reported as
hints. Every pattern is linear: bounded repetitions, no nested quantifiers, so hostile text
cannot make it backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from guards.spec import numbers, prose
from guards.spec.numbers import Number

_SP = r"[ \t\u00a0]"
_NUM = numbers.NUMBER + r"(?![0-9A-Za-z_]|\.[0-9])"
_VER = r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}(?:-[0-9A-Za-z]{1,20}(?:\.[0-9A-Za-z]{1,20}){0,3})?"
_VER += r"(?![0-9A-Za-z])"
_DASH = rf"(?:{_SP}{{0,2}}[-\u2010-\u2015]{_SP}{{0,2}}|{_SP}{{1,2}}(?:to|through){_SP}{{1,2}})"
_ITEM = rf"(?P<a>{_NUM})(?:{_DASH}§{{0,2}}{_SP}{{0,2}}(?P<b>{_NUM}))?"
_SPEC_WORD = r"(?<![A-Za-z])(?:[Ss]pec(?:ification)?|SPEC)(?:\.md)?"
_VER_MARK = rf"(?:@[vV]?|{_SP}{{1,2}}(?:[Vv]ersion{_SP}{{1,2}}[vV]?|[vV]))"
_SECTION_WORD = rf"(?<![A-Za-z])(?:[Ss]ub)?(?:[Ss]ection|SECTION)(?P<plural>[sS])?\.?{_SP}"
CITE = re.compile(
    rf"(?:{_SPEC_WORD}{_VER_MARK}(?P<pre>{_VER}){_SP}{{0,2}}[,:]?{_SP}{{0,2}})?"
    rf"(?P<sign>§§|§|{_SECTION_WORD}){_SP}{{0,2}}{_ITEM}"
)
MORE = re.compile(
    rf"(?:{_SP}{{0,2}},{_SP}{{0,2}}(?:and{_SP}{{1,2}}|&{_SP}{{0,2}})?|{_SP}{{1,2}}(?:and|&){_SP}{{1,2}})"
    rf"§{{0,2}}{_SP}{{0,2}}{_ITEM}"
)
POST_VERSION = re.compile(
    rf"{_SP}{{0,2}}[(@,]?{_SP}{{0,2}}"
    rf"(?:(?:of|in){_SP}{{1,2}}(?:the{_SP}{{1,2}})?(?:{_SPEC_WORD}|[\w./-]{{1,80}}\.md){_SP}{{1,2}})?"
    rf"(?:[Vv]ersion{_SP}{{1,2}}[vV]?|[vV])(?P<ver>{_VER})\)?"
)
HINT = re.compile(
    rf"(?P<placeholder>§{{1,2}}{_SP}{{0,2}}[A-Z](?:\.[A-Z]){{0,3}}(?![A-Za-z0-9]))"
    rf"|(?P<lookalike>(?<![A-Za-z0-9$])[$S][0-9]{{1,6}}(?:\.[0-9]{{1,6}}){{1,7}})"
    rf"|(?P<digits>(?:§{{1,2}}|(?<![A-Za-z])[Ss]ections?{_SP}){_SP}{{0,2}}(?![0-9])\d)"
)


@dataclass(frozen=True)
class Citation:
    """One cited section, or a range (``§§4-5``: FIRST 4, LAST 5), and where it was written."""

    first: Number
    last: Number | None
    text: str
    where: str
    version: str | None = None

    @property
    def label(self) -> str:
        if self.last is None:
            return numbers.cite(self.first)
        return f"§§{numbers.show(self.first)}\u2013{numbers.show(self.last)}"


@dataclass(frozen=True)
class Hint:
    """Text that looks like a citation but is not one, and why."""

    text: str
    why: str
    where: str


@dataclass(frozen=True)
class Parsed:
    citations: tuple[Citation, ...]
    hints: tuple[Hint, ...]


def read(title: str, body: str) -> Parsed:
    """Every citation in the prose of the PR title and body; hints only when there is none."""
    segments = list(located_segments(title, body))
    found = tuple(c for where, seg in segments if not seg.hidden for c in find(seg.text, where))
    if found:
        return Parsed(found, ())
    return Parsed((), tuple(h for where, seg in segments for h in hints(seg, where))[:5])


def located_segments(title: str, body: str) -> Iterator[tuple[str, prose.Segment]]:
    for seg in prose.title_segments(title):
        yield "the PR title", seg
    for seg in prose.body_segments(body):
        yield f"the PR body (line {seg.line})", seg


def find(text: str, where: str) -> Iterator[Citation]:
    """The citations in one segment of prose."""
    for match in CITE.finditer(text):
        items, end = _items(text, match)
        post = POST_VERSION.match(text, end)
        version = match.group("pre") or (post.group("ver") if post else None)
        written = text[match.start() : post.end() if post else end].replace(prose.SEP, " ")
        for first, last in items:
            yield Citation(first, last, written.strip(), where, version)


def _items(text: str, match: re.Match[str]) -> tuple[list[tuple[Number, Number | None]], int]:
    items = [_item(match)]
    end = match.end()
    plural = match.group("sign") == "§§" or match.group("plural")
    while plural:
        more = MORE.match(text, end)
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


def hints(seg: prose.Segment, where: str) -> Iterator[Hint]:
    """Look-alikes and placeholders in prose; real citations in comments and code."""
    if seg.hidden:
        for c in find(seg.text, where):
            yield Hint(c.text, f"inside {seg.hidden}, where a citation does not count", where)
        return
    for match in HINT.finditer(seg.text):
        yield Hint(match.group(0), _WHY[match.lastgroup or ""], where)


_WHY = {
    "placeholder": "an unfilled template placeholder, not a section number",
    "lookalike": "not a section sign: a citation starts with § (or 'Section')",
    "digits": "section numbers are written with ASCII digits 0-9",
}


def cited_numbers(citations: Iterable[Citation]) -> list[Number]:
    """Every number written, in order, without repeats (range ends included)."""
    out = [n for c in citations for n in (c.first, c.last) if n is not None]
    return list(dict.fromkeys(out))
