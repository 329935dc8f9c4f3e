"""spec-ref: the PR cites spec sections that exist at base, and the ones its ticket and its
changed paths call for (DESIGN.md section 4). Each detection is its own function.

The spec and PR-text parsers (markdown-it, cmark-gfm, html5lib: ~45 ms of imports) load inside
the functions that use them, so a run without PR text, where the guard does not apply, never
pays for them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from guards.checks.base import NotApplicable, Rule
from guards.finding import Finding, Outcome
from guards.spec import numbers
from guards.spec.numbers import Number

if TYPE_CHECKING:
    from guards.config import Config
    from guards.context import Context
    from guards.patterns import Patterns
    from guards.spec import cite
    from guards.spec.cite import Citation
    from guards.spec.index import Section
    from guards.spec.lookup import SpecIndex

NAME = "spec-ref"
RULES = {
    "spec_cited": Rule(
        "the PR title or description cites at least one spec section",
        "write the section the change implements in the PR description, e.g. 'Implements §4.2'",
    ),
    "spec_section_exists": Rule(
        "every cited section exists in the spec at the base revision",
        "cite a section that exists at base; a section the PR adds must be merged first",
    ),
    "spec_version_matches": Rule(
        "every spec version written with a citation is the spec's version at base",
        "cite the spec's current version, or drop the version from the citation",
    ),
    "cited_document_is_spec": Rule(
        "a citation that names a document names one of the configured spec documents",
        "cite a section of a document listed in spec-ref.spec, or drop the document's name",
    ),
    "ticket_sections_cited": Rule(
        "when the ticket's scope file lists sections, the PR cites one of them (or a subsection)",
        "cite the section of the ticket this change implements",
    ),
    "change_addresses_section": Rule(
        "where guards.yaml maps sections to paths, a changed file lies under a cited section",
        "cite the section whose paths the change touches, or move the change where it belongs",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    if ctx.pr.source == "none":
        raise NotApplicable(
            "no pull request text (not a pull_request event); pass --pr-title/--pr-body-file"
        )
    from guards.checks.spec_ref import load as spec_load  # the parsers load only with PR text
    from guards.checks.spec_ref import text as spec_text
    from guards.spec import cite

    index = spec_load.load_index(ctx, cfg)
    parsed, strangers = named_documents(cite.read(ctx.pr.title, ctx.pr.body), index)
    wanted, scope_file = spec_load.ticket_sections(ctx, cfg, index)
    mapped = spec_load.section_paths(cfg, index)
    touched = ctx.changes.paths
    cited = cited_sections(parsed.citations, index)
    findings = [
        *strangers,
        *uncited(parsed, spec_text.suggest(index, wanted, mapped, touched), ctx.pr.source),
        *missing_sections(parsed.citations, index, spec_load.added_at_head(ctx, index)),
        *version_mismatches(parsed.citations, index),
        *ticket_uncovered(cited, [s for w in wanted if (s := index.get(w))], scope_file),
        *unaddressed_change(cited, mapped, touched, index),
    ]
    return findings or [_cited_ok(s) for s in cited]


def cited_sections(citations: Sequence[Citation], index: SpecIndex) -> list[Section]:
    """The existing sections the citations name (each range's members), without repeats;
    a citation that names a document names only sections of it."""
    from guards.spec.lookup import Cited  # parsers load lazily: module docstring

    return index.union(Cited(c.first, c.last, c.doc) for c in citations)


def named_documents(parsed: cite.Parsed, index: SpecIndex) -> tuple[cite.Parsed, list[Finding]]:
    """Citations whose document is a configured spec document (named by its path there);
    a finding for each citation that names another document, which then does not count."""
    from guards.checks.spec_ref import text as spec_text  # parsers load lazily: module docstring
    from guards.spec import cite

    kept: list[Citation] = []
    strangers: list[Finding] = []
    for c in parsed.citations:
        path = spec_document(c.doc, index) if c.doc else None
        if c.doc and path is None:
            message = spec_text.stranger(c, index)
            strangers.append(Finding("cited_document_is_spec", Outcome.FAIL, message))
            continue
        kept.append(c._replace(doc=path))
    return cite.Parsed(tuple(kept), parsed.hints), strangers


def spec_document(name: str, index: SpecIndex) -> str | None:
    """The configured spec document NAME means: its path, or a unique file name."""
    name = name.removeprefix("./")
    paths = [d.path for d in index.docs]
    if name in paths:
        return name
    same = [p for p in paths if "/" not in name and p.rsplit("/", 1)[-1] == name]
    return same[0] if len(same) == 1 else None


def uncited(parsed: cite.Parsed, example: Section | None, source: str) -> list[Finding]:
    if parsed.citations:
        return []
    from guards.checks.spec_ref import text as spec_text  # parsers load lazily: module docstring

    message = spec_text.no_citation(parsed.hints, example, source)
    return [Finding("spec_cited", Outcome.FAIL, message)]


def missing_sections(
    citations: Sequence[Citation], index: SpecIndex, added: Mapping[Number, str]
) -> Iterator[Finding]:
    """A finding for each cited number (a range: each end) that is not a section at base."""
    from guards.checks.spec_ref import text as spec_text  # parsers load lazily: module docstring

    reported: set[Number] = set()
    for c in citations:
        for number in (c.first, c.last):
            if number is None or number in reported or in_document(number, c.doc, index):
                continue
            reported.add(number)
            anchor = index.get(index.nearest(number) or ())
            path, line = (anchor.doc, anchor.line) if anchor else (index.docs[0].path, None)
            message = spec_text.missing(c, number, index, added.get(number))
            if c.doc and index.get(number) is not None:
                message = spec_text.elsewhere(c, number, index)
            yield Finding("spec_section_exists", Outcome.FAIL, message, path=path, line=line)


def in_document(number: Number, doc: str | None, index: SpecIndex) -> bool:
    """NUMBER is a section at base (of DOC, when the citation names one)."""
    section = index.get(number)
    return section is not None and (doc is None or section.doc == doc)


def version_mismatches(citations: Sequence[Citation], index: SpecIndex) -> Iterator[Finding]:
    """A cited version that is not the version its section's document states at base."""
    from guards.checks.spec_ref import text as spec_text  # parsers load lazily: module docstring
    from guards.spec.index import normalize_version
    from guards.spec.lookup import Cited

    seen: set[tuple[str, str]] = set()
    for c in (c for c in citations if c.version is not None):
        for doc in map(index.doc, sorted(index.docs_of(Cited(c.first, c.last, c.doc)))):
            if c.version is None or doc is None or (c.version, doc.path) in seen:
                continue
            seen.add((c.version, doc.path))
            stated = doc.version
            if stated is None or normalize_version(stated) != normalize_version(c.version):
                message = spec_text.version(c, doc.path, stated)
                yield Finding(
                    "spec_version_matches", Outcome.FAIL, message, doc.path, doc.version_line
                )


def ticket_uncovered(
    cited: Sequence[Section], wanted: Sequence[Section], scope_file: str
) -> list[Finding]:
    """The ticket lists sections, and no cited section is one of them or inside one."""
    if not wanted or not cited:
        return []
    if any(numbers.within(s.number, w.number) for s in cited for w in wanted):
        return []
    from guards.checks.spec_ref import text as spec_text  # parsers load lazily: module docstring

    message = spec_text.ticket(cited, wanted, scope_file)
    return [Finding("ticket_sections_cited", Outcome.FAIL, message, path=scope_file)]


def unaddressed_change(
    cited: Sequence[Section],
    mapped: Mapping[Number, Patterns],
    touched: Sequence[str],
    index: SpecIndex,
) -> list[Finding]:
    """Sections are mapped to paths, and no touched path lies under a cited section."""
    if not mapped or not cited:
        return []
    mine = {k: p for k, p in mapped.items() if any(numbers.related(s.number, k) for s in cited)}
    if any(pats.match(path) is not None for pats in mine.values() for path in touched):
        return []
    claimed = _first_claimed(mapped, touched, index)
    if not mine and claimed is None:
        return []  # neither the citations nor the change fall under the map
    from guards.checks.spec_ref import text as spec_text  # parsers load lazily: module docstring

    message = spec_text.unaddressed(cited, mine, claimed, touched)
    path = claimed[1] if claimed else None
    return [Finding("change_addresses_section", Outcome.FAIL, message, path=path)]


def _first_claimed(
    mapped: Mapping[Number, Patterns], touched: Sequence[str], index: SpecIndex
) -> tuple[Section, str] | None:
    """The first touched path that some mapped section claims, with that section."""
    for number, pats in mapped.items():
        section = index.get(number)
        hit = next((p for p in touched if pats.match(p) is not None), None)
        if hit is not None and section is not None:
            return section, hit
    return None


def _cited_ok(section: Section) -> Finding:
    where = f"{section.doc}:{section.line}"
    message = f"cites {section.label} ({where})"
    return Finding("spec_section_exists", Outcome.PASS, message, section.doc, section.line)
