"""The spec index as tables: which headings are sections, versions, duplicates, lookups."""

from __future__ import annotations

import pytest

from guards.errors import ConfigError
from guards.spec import numbers
from guards.spec.frontmatter import split_front_matter
from guards.spec.index import normalize_version, parse_doc, section_number
from guards.spec.lookup import build_index

HEADINGS = [
    ("§4 Composition", ((4,), "Composition")),
    ("§ 4 Composition", ((4,), "Composition")),
    ("4. Composition", ((4,), "Composition")),
    ("4.2 Plan format", ((4, 2), "Plan format")),
    ("4.2. Plan format", ((4, 2), "Plan format")),
    ("4.2.1 Step fields", ((4, 2, 1), "Step fields")),
    ("§4.2 — Plan format", ((4, 2), "Plan format")),
    ("6.", ((6,), "")),
    ("12 Twelve", ((12,), "Twelve")),
    ("4.2Plan", None),
    ("4.Plan", None),
    ("Composition 4", None),
    ("Section 4 Composition", None),
    ("v1.0 Notes", None),
    ("\uff14.\uff12 Fullwidth", None),
    ("$4.2 Dollar", None),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS)
def test_section_number(text: str, expected: tuple[tuple[int, ...], str] | None) -> None:
    assert section_number(text) == expected


DOCS = [
    ("## 4.2 Plan", [(4, 2)]),
    ("### §4 Deep heading level", [(4,)]),
    ("4.2 Setext\n----------", [(4, 2)]),
    ("4 Setext one\n============", [(4,)]),
    ("```\n## 4.2 Fenced\n```", []),
    ("~~~\n## 4.2 Fenced\n~~~", []),
    ("    ## 4.2 Indented code", []),
    ("> ## 4.2 Quoted", []),
    ("- ## 4.2 In a list", []),
    ("<!--\n## 4.2 Commented\n-->", []),
    ("<details>\n## 4.2 Raw HTML block\n</details>", []),
    ("## Plan 4.2", []),
    ("## `4.2` Code number", [(4, 2)]),
    ("## *4.2* Emphasised", [(4, 2)]),
    ("#4.2 No space is not a heading", []),
    ("## 4 A\n\n## 5 B\n\n### 5.1 C", [(4,), (5,), (5, 1)]),
]


@pytest.mark.parametrize(("text", "expected"), DOCS)
def test_sections_of_a_document(text: str, expected: list[tuple[int, ...]]) -> None:
    assert [s.number for s in parse_doc("SPEC.md", text).sections] == expected


def test_section_line_title_and_text() -> None:
    doc = parse_doc(
        "SPEC.md", "# T\n\n## 4 Comp\n\nintro\n\n### 4.1 In\n\nbody\n\n## 5 Exec\n\nrun\n"
    )
    four, four_one, five = doc.sections
    assert (four.line, four.title, four.doc) == (3, "Comp", "SPEC.md")
    assert four.text == "intro\n\n### 4.1 In\n\nbody"
    assert (four_one.line, four_one.text) == (7, "body")
    assert (five.label, five.text) == ("§5 Exec", "run")


VERSIONS = [
    ("# Spec v1.0.0\n\n## 1 A", "1.0.0", 1),
    ("# Spec version 2.1\n\n## 1 A", "2.1", 1),
    ("intro\n\n# Spec V3\n\n## 1 A", "3", 3),
    ("# Spec\n\n## 1 A v9.9", None, None),
    ("## 1 A\n\n# Later title v2", "2", 3),
    ("# Spec 1.0.0\n\n## 1 A", None, None),
    ("---\nversion: 1.10\n---\n# Spec\n\n## 1 A", "1.10", 1),
    ("---\nversion: v2.0.0\ntitle: x\n---\n## 1 A", "2.0.0", 1),
    ("---\nversion: 1.0.0\n---\n# Spec v1.0\n\n## 1 A", "1.0.0", 1),
    ("---\ntitle: no version\n---\n## 1 A", None, None),
    ("---\n## 1 A", None, None),
]


@pytest.mark.parametrize(("text", "version", "line"), VERSIONS)
def test_version(text: str, version: str | None, line: int | None) -> None:
    doc = parse_doc("SPEC.md", text)
    assert (doc.version, doc.version_line) == (version, line)


def test_front_matter_keeps_line_numbers() -> None:
    doc = parse_doc("SPEC.md", "---\nversion: 1\nowner: x\n---\n\n## 4.2 Plan\n")
    assert doc.sections[0].line == 6


@pytest.mark.parametrize(
    ("text", "front"),
    [
        ("---\nversion: 1.10\n---\nbody", {"version": "1.10"}),
        ("---\r\nversion: 2\r\n...\r\nbody", {"version": "2"}),
        ("---\n- a list\n---\nbody", {}),
        ("---\n: [unclosed\n---\nbody", {}),
        ("no front matter\n---\n", {}),
    ],
)
def test_front_matter(text: str, front: dict[str, str]) -> None:
    assert dict(split_front_matter(text, "SPEC.md")[0]) == front


def test_versions_that_disagree_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"front matter but v2\.0\.0 in its title"):
        parse_doc("SPEC.md", "---\nversion: 1.0.0\n---\n# Spec v2.0.0\n")


@pytest.mark.parametrize(
    "text",
    ["## 4 A\n\n## 4 B", "## 4.2 A\n\n### 4.2. B", "## §4 A\n\n4 B\n---"],
)
def test_duplicate_numbers_are_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError, match=r"defined twice: SPEC\.md:1 and SPEC\.md:"):
        parse_doc("SPEC.md", text)


def test_duplicate_across_documents_is_a_config_error() -> None:
    one, two = parse_doc("SPEC.md", "## 4 A"), parse_doc("docs/api.md", "x\n\n## 4 B")
    with pytest.raises(ConfigError, match=r"SPEC\.md:1 and docs/api\.md:3"):
        build_index([one, two])


INDEX = build_index(
    [
        parse_doc("SPEC.md", "## 1 S\n\n## 4 C\n\n### 4.1 I\n\n### 4.2 P\n\n#### 4.2.1 F\n"),
        parse_doc("docs/api.md", "## 6 Inv\n\n## 10 Api\n"),
    ]
)


@pytest.mark.parametrize(
    ("number", "nearby"),
    [
        ((4, 3), "§4 has 4.1, 4.2"),
        ((4, 2, 9), "§4.2 has 4.2.1"),
        ((4, 2, 1, 5), "§4.2.1 has no subsections"),
        ((9,), "the spec's top-level sections are §1, §4, §6, §10"),
        ((9, 9), "the spec's top-level sections are §1, §4, §6, §10"),
        ((6, 1), "§6 has no subsections"),
    ],
)
def test_nearby(number: tuple[int, ...], nearby: str) -> None:
    assert INDEX.nearby(number) == nearby


@pytest.mark.parametrize(
    ("first", "last", "members"),
    [
        ((4, 2), None, [(4, 2)]),
        ((4, 3), None, []),
        ((4,), (6,), [(4,), (6,)]),
        ((6,), (4,), [(4,), (6,)]),
        ((4, 1), (4, 2), [(4, 1), (4, 2)]),
        ((4, 1), (6,), [(4, 1), (6,)]),
        ((1,), (10,), [(1,), (4,), (6,), (10,)]),
    ],
)
def test_members(
    first: tuple[int, ...], last: tuple[int, ...] | None, members: list[tuple[int, ...]]
) -> None:
    assert [s.number for s in INDEX.members(first, last)] == members


def test_lookup_by_document() -> None:
    section = INDEX.get((10,))
    assert section is not None and section.doc == "docs/api.md"
    assert INDEX.doc("docs/api.md") is not None and INDEX.doc("nope.md") is None
    assert INDEX.children(None) == [(1,), (4,), (6,), (10,)]


@pytest.mark.parametrize(
    ("text", "number"),
    [("4", (4,)), ("4.2", (4, 2)), ("6.", (6,)), (" 4.2 ", (4, 2)), ("04.2", (4, 2))]
    + [(bad, None) for bad in ("", "4..2", ".4", "4.2a", "X.Y", "\uff14", "1.2.3.4.5.6.7.8.9")],
)
def test_parse_number(text: str, number: tuple[int, ...] | None) -> None:
    assert numbers.parse(text) == number


@pytest.mark.parametrize(
    ("inner", "outer", "within", "related"),
    [
        ((4, 2), (4, 2), True, True),
        ((4, 2, 1), (4, 2), True, True),
        ((4,), (4, 2), False, True),
        ((4, 1), (4, 2), False, False),
        ((44,), (4,), False, False),
    ],
)
def test_within_and_related(
    inner: tuple[int, ...], outer: tuple[int, ...], within: bool, related: bool
) -> None:
    assert numbers.within(inner, outer) is within
    assert numbers.related(inner, outer) is related


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("1.0.0", "v1", True),
        ("1.0", "1.0.0", True),
        ("V2.1", "2.1.0", True),
        ("1.10", "1.1", False),
        ("1.0.0-rc.1", "1.0.0", False),
        ("01.2", "1.2", True),
        ("2", "1", False),
    ],
)
def test_normalize_version(a: str, b: str, same: bool) -> None:
    assert (normalize_version(a) == normalize_version(b)) is same


def test_listing_is_capped() -> None:
    assert numbers.listing([(i,) for i in range(1, 15)], limit=3) == "1, 2, 3 and 11 more"
