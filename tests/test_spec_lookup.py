"""The spec index's range lookup (sorted rows, bisection, one visit per section) names exactly
the sections the definition does (``numbers.in_range`` over every section), and the number of
citations read from a PR is bounded. Speed is benchmarks/cite_bench.py's job."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards.errors import GuardsError
from guards.spec import cite, numbers
from guards.spec.index import Section, SpecDoc
from guards.spec.lookup import Cited, SpecIndex, build_index

NUMBER = st.lists(st.integers(0, 6), min_size=1, max_size=3).map(tuple)


def index_of(found: list[tuple[int, ...]]) -> SpecIndex:
    """Sections FOUND (in that order) split over two documents."""
    unique = list(dict.fromkeys(found))
    docs = [
        SpecDoc(path, tuple(Section(n, "t", path, i + 1, "") for i, n in enumerate(unique[k::2])))
        for k, path in enumerate(("A.md", "B.md"))
    ]
    return build_index(docs)


def naive(index: SpecIndex, c: Cited) -> list[Section]:
    """The definition: every section in the range (or equal to the one cited), of its document."""
    found = [
        s
        for n, s in index.by_number.items()
        if (n == c.first if c.last is None else numbers.in_range(n, c.first, c.last))
    ]
    return [s for s in found if c.doc is None or s.doc == c.doc]


CITED = st.builds(Cited, NUMBER, st.none() | NUMBER, st.sampled_from([None, "A.md", "B.md"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBER, max_size=40), st.lists(CITED, max_size=12))
def test_union_and_members_are_the_definition(
    sections: list[tuple[int, ...]], cited: list[Cited]
) -> None:
    index = index_of(sections)
    for c in cited:
        assert sorted(s.number for s in index.members(*c)) == sorted(
            s.number for s in naive(index, c)
        )
        assert index.docs_of(c) == {s.doc for s in naive(index, c)}
    expected = list({s.number: s for c in cited for s in naive(index, c)})
    assert sorted(s.number for s in index.union(cited)) == sorted(expected)
    assert len(index.union(cited)) == len(expected)  # each section once


def test_union_keeps_the_order_of_the_first_citation() -> None:
    index = build_index(
        [SpecDoc("A.md", tuple(Section((n,), "t", "A.md", n, "") for n in range(1, 6)))]
    )
    got = index.union([Cited((4,), None), Cited((2,), (5,)), Cited((1,), (3,))])
    assert [s.number for s in got] == [(4,), (2,), (3,), (5,), (1,)]


def test_a_thousand_citations_are_read_and_one_more_is_refused() -> None:
    body = " ".join(f"§§{i % 900 + 1}-{i % 7 + 1}" for i in range(cite.MAX_CITATIONS))
    assert len(cite.read("", body).citations) == cite.MAX_CITATIONS
    past = r"more than 1,000 spec sections .*'§§100-6' in the PR body"
    with pytest.raises(GuardsError, match=past):
        cite.read("§§2-3", body)
