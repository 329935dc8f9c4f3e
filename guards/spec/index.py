"""The spec index: every numbered heading of the spec documents, parsed with markdown-it-py.

A section is a top-level heading (not inside a list, a quote or code) whose text starts with a
section number, with or without ``§``: ``## §4 Composition``, ``### 4.2 Plan format``,
``## 6. Invariants``. Its text runs to the next heading of the same or a higher level. A
document states its version in front matter (``version: 1.0.0``) or as ``v1.0.0`` in its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from guards.core.records import record
from guards.errors import ConfigError
from guards.spec import numbers
from guards.spec.frontmatter import split_front_matter
from guards.spec.numbers import Number

_MD = MarkdownIt("commonmark")
TOP_LEVEL = frozenset({0})  # nesting levels whose headings are sections: not in quotes or lists
_SP = r"[ \t\u00a0]"
HEADING_NUMBER = re.compile(rf"§?{_SP}{{0,2}}(?P<num>{numbers.NUMBER})\.?(?:{_SP}|$)")
TITLE_VERSION = re.compile(
    rf"(?:(?<![\w.])[vV]|(?<![\w.])[Vv]ersion{_SP}{{1,2}}[vV]?)"
    r"(?P<ver>[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}(?:-[0-9A-Za-z]{1,20}(?:\.[0-9A-Za-z]{1,20}){0,3})?)"
    r"(?![\w])"
)


@record
class Heading:
    level: int
    line: int  # 1-based line of the heading
    end: int  # 0-based line after the heading's own lines
    text: str


@record
class Section:
    number: Number
    title: str
    doc: str
    line: int
    text: str

    @property
    def label(self) -> str:
        return f"{numbers.cite(self.number)} {self.title}".rstrip()


@record
class SpecDoc:
    path: str
    sections: tuple[Section, ...]
    version: str | None = None
    version_line: int | None = None


def parse_doc(path: str, text: str) -> SpecDoc:
    """One spec document's sections and version."""
    front, body = split_front_matter(text, path)
    lines = body.splitlines()
    heads = list(headings(_MD.parse(body)))
    sections = tuple(_sections(path, heads, lines))
    unique_sections(sections)
    title_version = _title_version(heads)
    return SpecDoc(path, sections, *_one_version(path, front, title_version))


def headings(tokens: Sequence[Token]) -> Iterator[Heading]:
    """Top-level headings (ATX and setext); code, quotes and lists hold none."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.level in TOP_LEVEL and tok.map:
            inline = tokens[i + 1]
            text = heading_text(inline.children or ())
            yield Heading(int(tok.tag[1:]), tok.map[0] + 1, tok.map[1], text)


def heading_text(children: Sequence[Token]) -> str:
    parts = [c.content if c.type in ("text", "code_inline") else " " for c in children]
    return " ".join("".join(parts).split())


def section_number(text: str) -> tuple[Number, str] | None:
    """(number, title) when heading TEXT starts with a section number."""
    match = HEADING_NUMBER.match(text)
    if match is None:
        return None
    number = numbers.parse(match.group("num"))
    title = text[match.end() :].strip().lstrip("-\u2013\u2014:").strip()
    return (number, title) if number else None


def _sections(path: str, heads: list[Heading], lines: list[str]) -> Iterator[Section]:
    for i, head in enumerate(heads):
        found = section_number(head.text)
        if found is None:
            continue
        stop = next((h.line - 1 for h in heads[i + 1 :] if h.level <= head.level), len(lines))
        text = "\n".join(lines[head.end : stop]).strip("\n")
        yield Section(found[0], found[1], path, head.line, text)


def unique_sections(sections: Iterable[Section]) -> dict[Number, Section]:
    """Sections by number; a number defined twice is a config error."""
    seen: dict[Number, Section] = {}
    for section in sections:
        first = seen.setdefault(section.number, section)
        if first is not section:
            raise ConfigError(_duplicate_message(first, section))
    return seen


def _duplicate_message(first: Section, again: Section) -> str:
    return (
        f"spec section {numbers.cite(first.number)} is defined twice: "
        f"{first.doc}:{first.line} and {again.doc}:{again.line}; renumber one of them "
        "(a citation must name exactly one section)"
    )


def _title_version(heads: list[Heading]) -> tuple[str, int] | None:
    title = next((h for h in heads if h.level == 1), None)
    match = TITLE_VERSION.search(title.text) if title else None
    return (match.group("ver"), title.line) if match and title else None


def _one_version(
    path: str, front: Mapping[str, object], title: tuple[str, int] | None
) -> tuple[str | None, int | None]:
    stated = front.get("version")
    if stated is None:
        return title if title else (None, None)
    version = str(stated).strip().removeprefix("v").removeprefix("V")
    if title and normalize_version(title[0]) != normalize_version(version):
        raise ConfigError(
            f"{path} states version {version} in its front matter but v{title[0]} in its "
            f"title (line {title[1]}); make them agree"
        )
    return version, 1


def normalize_version(version: str) -> tuple[str, ...]:
    """``v1.0.0``, ``1.0`` and ``1`` are the same version; ``1.0.0-rc.1`` is not."""
    core, dash, pre = version.strip().lstrip("vV").partition("-")
    parts = [str(int(p)) if p.isdigit() else p for p in core.split(".")]
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return (*parts, *(("-" + pre,) if dash else ()))
