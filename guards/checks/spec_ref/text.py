"""The words of spec-ref's findings: what was cited, what exists nearby, and what to write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guards.patterns import Patterns
from guards.spec import numbers
from guards.spec.cite import Citation, Hint
from guards.spec.index import Section
from guards.spec.lookup import SpecIndex
from guards.spec.numbers import Number

FORMS = "§4.2, § 4.2, §§4\u20135, Section 4.2 or sections 4 and 6"


def suggest(
    index: SpecIndex,
    ticket: Sequence[Number],
    mapped: Mapping[Number, Patterns],
    touched: Sequence[str],
) -> Section | None:
    """The section to propose in a message: the ticket's, else the one the change touches;
    None when nothing maps the change to a section (an agent pastes a suggestion verbatim, so
    guessing the spec's first section would plant a false citation)."""
    hits = [k for k, pats in mapped.items() if any(pats.match(p) is not None for p in touched)]
    for number in (*ticket, *hits):
        section = index.get(number)
        if section is not None:
            return section
    return None


def write(section: Section) -> str:
    return f"'Implements {section.label}'"


SOURCES = {
    "api": " (read from the GitHub API)",
    "event": " (read from the event payload)",
    "options": " (from --pr-title/--pr-body-file)",
}


def no_citation(hints: Sequence[Hint], example: Section | None, source: str) -> str:
    message = f"the PR title and description{SOURCES.get(source, '')} cite no spec section"
    message += f" (as {FORMS}, outside code and HTML comments)"
    for hint in hints:
        message += f"; {hint.text!r} in {hint.where} is {hint.why}"
    if example is None:
        return (
            f"{message}; nothing maps this change to a section (no ticket sections, no "
            "spec-ref.sections glob matches a touched path): cite the section it implements"
        )
    return f"{message}; add {write(example)} to the PR description"


def missing(c: Citation, number: Number, index: SpecIndex, added_to: str | None) -> str:
    cited = numbers.cite(number)
    message = f"{cited} (cited in {c.where} as {c.text!r}) does not exist in the spec at base; "
    message += index.nearby(number)
    if added_to:
        return (
            f"{message}; {cited} is added to {added_to} by this PR itself, and a section must "
            "exist at base before a PR can cite it: merge the spec change first"
        )
    kids = index.children(index.nearest(number))
    example = index.get(kids[-1]) if kids else next(iter(index.by_number.values()))
    return f"{message}; cite an existing section, e.g. {write(example)}" if example else message


def version(c: Citation, path: str, stated: str | None) -> str:
    head = f"{c.text!r} (in {c.where}) cites version {c.version}, but {path}"
    if stated is None:
        return f"{head} states no version at base; drop the version from the citation"
    return f"{head} at base is v{stated}; cite {c.label} of v{stated}, or drop the version"


def ticket(cited: Sequence[Section], wanted: Sequence[Section], scope_file: str) -> str:
    got = ", ".join(numbers.cite(s.number) for s in cited)
    message = (
        f"the ticket's scope file {scope_file} lists {_labels(wanted)}, but the PR cites {got}"
    )
    broader = [s for s in cited if any(numbers.within(w.number, s.number) for w in wanted)]
    if broader:
        message += f" ({numbers.cite(broader[0].number)} is broader: cite the section itself)"
    return f"{message}; write {write(wanted[0])} (or the subsection it implements)"


def unaddressed(
    cited: Sequence[Section],
    mine: Mapping[Number, Patterns],
    claimed: tuple[Section, str] | None,
    touched: Sequence[str],
) -> str:
    got = ", ".join(numbers.cite(s.number) for s in cited)
    if mine:
        globs = "; ".join(f"{numbers.cite(k)}: {', '.join(p.patterns)}" for k, p in mine.items())
        message = f"the PR cites {got}, but touches none of the paths mapped to it ({globs})"
    else:
        message = f"the PR cites {got}, which spec-ref.sections maps to no paths"
    if claimed:
        section, path = claimed
        return f"{message}; {path} lies under {section.label}: cite {numbers.cite(section.number)}"
    sample = ", ".join(touched[:3]) or "no files"
    return f"{message}; the change touches {sample}: cite the section it implements"


def _labels(sections: Sequence[Section]) -> str:
    return ", ".join(s.label for s in sections)


def stranger(c: Citation, index: SpecIndex) -> str:
    docs = ", ".join(d.path for d in index.docs)
    return (
        f"{c.text!r} (in {c.where}) names {c.doc}, which is not a spec document "
        f"(spec-ref.spec: {docs}), so it cites nothing of the spec; cite a section of {docs}, "
        "or drop the document's name"
    )


def elsewhere(c: Citation, number: Number, index: SpecIndex) -> str:
    section = index.get(number)
    home = section.doc if section else "another document"
    cited = numbers.cite(number)
    return (
        f"{cited} (cited in {c.where} as {c.text!r}) is not a section of {c.doc} at base: "
        f"it is in {home}; cite {cited} of {home}, or the section of {c.doc} you mean"
    )
