"""The citation parser as tables: what counts, what does not, and hostile text."""

from __future__ import annotations

import pytest

from guards.errors import GuardsError
from guards.spec import cite
from guards.spec import visible as prose
from guards.spec.cite import Citation

CITES = [
    ("Implements §4.2.", ["§4.2"]),
    ("Implements § 4.2.", ["§4.2"]),
    ("Implements §\u00a04.2.", ["§4.2"]),
    ("Implements §4.", ["§4"]),
    ("Implements §4.2.1, done.", ["§4.2.1"]),
    ("Implements §§4\u20135.", ["§§4\u20135"]),
    ("Implements §§4-5.", ["§§4\u20135"]),
    ("Implements §§4 — 5.", ["§§4\u20135"]),
    ("Implements §§4.1-4.3.", ["§§4.1\u20134.3"]),
    ("Implements §§4 to 6.", ["§§4\u20136"]),
    ("Implements §4\u20135.", ["§§4\u20135"]),
    ("Implements §§4, 5 and 6.", ["§4", "§5", "§6"]),
    ("Implements §§4.1, 4.2, and §4.3.", ["§4.1", "§4.2", "§4.3"]),
    ("See Section 4.2.", ["§4.2"]),
    ("See section 4.2.", ["§4.2"]),
    ("See SECTION 4.2.", ["§4.2"]),
    ("See Sect. 4.2", []),
    ("See subsection 4.2.1.", ["§4.2.1"]),
    ("See sections 4 and 6.", ["§4", "§6"]),
    ("See sections 4, 5 & 6.", ["§4", "§5", "§6"]),
    ("See sections 4-6.", ["§§4\u20136"]),
    ("Section 4 and 6 more", ["§4"]),  # singular: no list
    ("spec §6 invariant 1", ["§6"]),
    ("Implements [§4.2](SPEC.md#42-plan-format).", ["§4.2"]),
    ("Implements [see §4.2 here](x).", ["§4.2"]),
    ("Implements **§4.2**.", ["§4.2"]),
    ("Implements §**4.2**.", ["§4.2"]),
    ("Implements &sect;4.2 and &#167;4.1.", ["§4.2", "§4.1"]),
    ("<details><summary>§4.2</summary>\n\nx\n</details>", ["§4.2"]),
    ("&lt;!-- §4.2 --&gt;", ["§4.2"]),
    ("> quoted: §4.2", ["§4.2"]),
    ("- item §4.2\n  - nested §4.1", ["§4.2", "§4.1"]),
    ("# §4.2 as a heading", ["§4.2"]),
    ("Implements §4.2a", []),
    ("Implements §4.2's format", ["§4.2"]),
    ("Implements (§4.2)", ["§4.2"]),
    ("§4.2§4.1", ["§4.2", "§4.1"]),
    ("foo§4.2", ["§4.2"]),
    ("xsection 4.2", []),
    ("subsections 4.1 and 4.2", ["§4.1", "§4.2"]),
    # GitHub's tag filter escapes these tags: the page shows them, and the text, as text
    ("<script>§4.2</script>", ["§4.2"]),
    ("<style>§4.2</style>", ["§4.2"]),
    # a footnote that cites is shown at the foot of the page
    ("Adds retries.[^1]\n\n[^1]: Implements §4.2", ["§4.2"]),
    ("| a | b |\n|---|---|\n| §4.2 | c |", ["§4.2"]),
    ("~~§4.1~~ §4.2", ["§4.1", "§4.2"]),
    ("§<!-- hidden -->4.2", ["§4.2"]),  # the page shows §4.2
]

NOT_CITED = [
    ("<!-- Implements §4.2 -->", "inside an HTML comment"),
    ("<!--\n§4.2\n-->", "inside an HTML comment"),
    ("text <!-- §4.2 --> text", "inside an HTML comment"),
    ("<!-- never closed\n\n§4.2", "inside an HTML comment"),
    ("<!-- a -- > §4.2 -->", "inside an HTML comment"),  # '-- >' does not close a comment
    ("x <!-- a -- > §4.2 --> y", "inside an HTML comment"),
    ("<div>\n<!-- opened in the block\n\nImplements §4.2\n-->\n</div>", "inside an HTML comment"),
    ("Adds retries.\n\n[^1]: Implements §4.2", ""),  # a footnote never referenced is not shown
    ("<template>§4.2</template>", ""),
    ("<noscript>§4.2</noscript>", ""),
    ("<pre>§4.2</pre>", "inside code"),
    ("www.example.com/§4.2", ""),
    ("`§4.2`", "inside code"),
    ("```\n§4.2\n```", "inside code"),
    ("~~~\nSection 4.2\n~~~", "inside code"),
    ("    §4.2", "inside code"),
    ("[`§4.2`](x)", "inside code"),
    ("Implements $4.2", "not a section sign"),
    ("Implements S4.2", "not a section sign"),
    ("Implements §\uff14.\uff12", "ASCII digits"),
    ("Implements Section ٤.٢", "ASCII digits"),
    ("Implements §X.Y", "placeholder"),
    ("Implements §N", "placeholder"),
    ("Implements §§N", "placeholder"),
    ("![§4.2](x.png)", ""),
    ("[spec](https://e.com/§4.2)", ""),
    ("<https://e.com/§4.2>", ""),
    ('[s]: https://e.com "§4.2"', ""),
    ("§<!-- 4.2 -->", ""),
    ("§`4.2`", ""),
    ("\uff33ection 4.2", ""),
    ("\u017fection 4.2", ""),
    ("Implements Plan format", ""),
    ("", ""),
]

VERSIONS = [
    ("spec v1.0.0 §4.2", "1.0.0", "spec v1.0.0 §4.2"),
    ("Spec version 1.2 §4.2", "1.2", "Spec version 1.2 §4.2"),
    ("SPEC.md@v1 §4.2", "1", "SPEC.md@v1 §4.2"),
    ("specification v2.0, §4.2", "2.0", "specification v2.0, §4.2"),
    ("§4.2 (v1.0.0)", "1.0.0", "§4.2 (v1.0.0)"),
    ("§4.2@v1.0.0", "1.0.0", "§4.2@v1.0.0"),
    ("§4.2 v1.0.0-rc.1", "1.0.0-rc.1", "§4.2 v1.0.0-rc.1"),
    ("§4.2 of spec v1.1", "1.1", "§4.2 of spec v1.1"),
    ("§4.2 in the SPEC.md v1.1", "1.1", "§4.2 in the SPEC.md v1.1"),
    ("§4.2 of docs/api.md v3", "3", "§4.2 of docs/api.md v3"),
    ("§4.2 in release v2.0", None, "§4.2"),
    ("bumps numpy v2.0 §4.2", None, "§4.2"),
    ("§4.2", None, "§4.2"),
]


def labels(text: str, title: str = "") -> list[str]:
    return [c.label for c in cite.read(title, text).citations]


@pytest.mark.parametrize(("body", "expected"), CITES)
def test_cites(body: str, expected: list[str]) -> None:
    assert labels(body) == expected


@pytest.mark.parametrize(("body", "hint"), NOT_CITED)
def test_not_cited(body: str, hint: str) -> None:
    parsed = cite.read("", body)
    assert parsed.citations == ()
    if hint:
        assert any(hint in f"{h.why} {h.text}" for h in parsed.hints), parsed.hints


@pytest.mark.parametrize(("body", "version", "written"), VERSIONS)
def test_versions(body: str, version: str | None, written: str) -> None:
    (citation,) = cite.read("", body).citations
    assert (citation.version, citation.text) == (version, written)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("FR-1: §4.2 plan steps", ["§4.2"]),
        ("FR-1: `§4.2` plan steps", []),
        ("FR-1: Section 4.2", ["§4.2"]),
        ("# §4.2", ["§4.2"]),
        ("    §4.2", ["§4.2"]),  # a title is inline: four spaces are not a code block
        ("FR-1 <!-- §4.2 -->", []),
    ],
)
def test_title(title: str, expected: list[str]) -> None:
    assert labels("", title) == expected


def test_where_names_title_and_body_line() -> None:
    parsed = cite.read("§1 title", "intro\n\nsecond paragraph\nthen §4.2\n\n- §5")
    assert [c.where for c in parsed.citations] == [
        "the PR title",
        "the PR body (line 3)",
        "the PR body (line 6)",
    ]


def test_list_members_share_the_written_text() -> None:
    first, second = cite.read("", "see sections 4 and 6 today").citations
    assert first == Citation((4,), None, "sections 4 and 6", "the PR body (line 1)")
    assert second.first == (6,) and second.text == first.text


def test_a_version_belongs_to_one_citation() -> None:
    a, b = cite.read("", "§1 of SPEC.md v1.1 subsection 4.2").citations
    assert (a.version, b.version, b.text) == ("1.1", None, "subsection 4.2")


def test_hints_are_capped() -> None:
    assert len(cite.read("", "$4.2 " * 100).hints) == 5


# ---- hostile text -------------------------------------------------------------------------

MB10 = 10 * 1024 * 1024
LISTS = ("§§4, ", "sections 4 and ")  # units that are a citation each
HOSTILE_UNITS = [
    "§§4, ",
    "sections 4 and ",
    "§",
    "§  ",
    "[",
    "*_",
    "`",
    "<!--",
    "$4.2 S4.2 ",
    "§\uff14",
    "spec v1.0.0 ",
    "a" * 64,
]


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def test_10mb_body_is_refused_at_once() -> None:
    body = _fill("Implements §4.2 ", MB10)
    with pytest.raises(prose.TextTooLarge, match="10,485,760 characters"):
        cite.read("", body)


def test_long_title_is_refused() -> None:
    with pytest.raises(prose.TextTooLarge, match="PR title"):
        cite.read("§4.2" * prose.MAX_CHARS, "")


@pytest.mark.parametrize("unit", HOSTILE_UNITS, ids=repr)
def test_largest_accepted_body_is_read_and_one_more_is_refused(unit: str) -> None:
    """Behaviour only: how fast is benchmarks/cite_bench.py's job (a wall-clock bound fails on
    a loaded runner and proves nothing about the code)."""
    tail = "\n\nImplements §4.2\n"
    text = _fill(unit, prose.MAX_CHARS - len(tail)) + tail
    if unit in LISTS:  # tens of thousands of citations: past the bound, refused
        with pytest.raises(GuardsError, match="more than 1,000 spec sections"):
            cite.read("", text)
        return
    last = [c.text for c in cite.read("", text).citations][-1:]
    hidden = unit in ("`", "<!--")  # an unclosed comment hides the rest; so does the code span
    assert last == ([] if hidden else ["§4.2"])
    with pytest.raises(prose.TextTooLarge):
        cite.read("", text + "x")


@pytest.mark.parametrize(
    "body",
    [
        ">" * 100_000 + " §4.2",
        "".join("  " * i + "- §4.2\n" for i in range(300)),
        "<div>" * 20_000 + "§4.2",
        "*" * 50_000 + "§4.2" + "*" * 50_000,
        "[" * 60_000 + "§4.2" + "](x)" * 10_000,
    ],
    ids=["quotes", "lists", "divs", "emphasis", "links"],
)
def test_deeply_nested_markup(body: str) -> None:
    """Deep nesting either parses in seconds or stops at once with exit 2 (html5lib's scope
    checks walk the stack of open elements, so depth is bounded before it can cost)."""
    try:
        cite.read("", body[: prose.MAX_CHARS])
    except prose.TextTooLarge as exc:
        assert "guards reads" in str(exc) or f"more than {prose.MAX_DEPTH} elements" in str(exc)


@pytest.mark.parametrize(
    "body",
    ["<b>" * 30_000, "<b><i><u><s>" * 10_000, "".join(f"<p><b id={i}>y</p>" for i in range(6_000))],
    ids=["bold", "formatting", "reopened"],
)
def test_unclosed_formatting_is_refused_fast(body: str) -> None:
    with pytest.raises(prose.TextTooLarge, match="elements deep"):
        cite.read("", body)


def test_rendered_html_is_bounded() -> None:
    table = "|a" * 20_000 + "\n" + "|-" * 20_000 + "\n" + "|x" * 20_000 + "\n"
    cite.read("", table[: prose.MAX_CHARS])  # bounded: it returns (its speed: cite_bench)


def test_nesting_within_the_bound_reads() -> None:
    assert labels("".join("  " * i + "- x\n" for i in range(40)) + "\n§4.2") == ["§4.2"]


def test_lines_of_raw_html_come_from_the_source() -> None:
    """cmark gives raw HTML blocks no source position: their line is found in the source."""
    (hint,) = cite.read("", "Adds retries.\n\n<!-- a -- > §4.2 -->\n").hints
    assert hint.where == "the PR body (line 3)" and "HTML comment" in hint.why
    (c,) = cite.read("", "intro\n\n<div>\nsee §4.2\n</div>\n").citations
    assert c.where == "the PR body (line 4)"


@pytest.mark.parametrize(
    ("body", "doc"),
    [
        ("§4.2 of docs/other.md", "docs/other.md"),
        ("docs/other.md §4.2", "docs/other.md"),
        ("Implements §4.2 of SPEC.md.", "SPEC.md"),
        ("§4.2 in the docs/api.md v3", "docs/api.md"),
        ("Implements §4.2.", None),
    ],
)
def test_a_citation_may_name_its_document(body: str, doc: str | None) -> None:
    (c,) = cite.read("", body).citations
    assert c.doc == doc


@pytest.mark.parametrize(
    "body",
    ["RFC 9110 §6", "see RFC9110, §6", "§6 of RFC 9110", "ISO 8601-1 section 3", "PEP 8 §2"],
)
def test_another_standards_section_is_not_a_citation(body: str) -> None:
    parsed = cite.read("", body)
    assert parsed.citations == ()
    assert any("another standard" in h.why for h in parsed.hints) or "section" in body


def test_a_ticket_id_before_a_citation_is_not_a_standard() -> None:
    assert labels("FR-1 §4.2") == ["§4.2"]
