"""Detections of spec-ref, each with a replacement that disables it."""

from __future__ import annotations

import dataclasses
import re
from typing import Any


def _no_findings(*_a: object, **_k: object) -> list[object]:
    return []


def _shown(text: str) -> str:
    return text


def _documents_unchecked(parsed: Any, index: object) -> tuple[Any, list[object]]:
    """Every citation kept, its document's name forgotten (so it counts for the whole spec)."""
    kept = tuple(c._replace(doc=None) for c in parsed.citations)
    return dataclasses.replace(parsed, citations=kept), []


def _any_section(number: object, doc: object, index: object) -> bool:
    return index.get(number) is not None


# a citation grammar that also takes $ and S for §, and any Unicode digit
_LOOSE = re.compile(r"(?P<sign>[§$S]§?)[ ]{0,2}(?P<a>\d{1,6}(?:\.\d{1,6}){0,7})(?P<b>(?!))?")

MUTANTS = [
    ("no citation passes", "guards.checks.spec_ref:uncited", _no_findings),
    ("cited sections not looked up", "guards.checks.spec_ref:missing_sections", _no_findings),
    ("cited version not compared", "guards.checks.spec_ref:version_mismatches", _no_findings),
    ("ticket sections ignored", "guards.checks.spec_ref:ticket_uncovered", _no_findings),
    ("section -> paths map ignored", "guards.checks.spec_ref:unaddressed_change", _no_findings),
    ("spec read at head", "guards.checks.spec_ref.load:spec_revision", lambda ctx: ctx.head),
    ("HTML comments count as prose", "guards.spec.visible:comment_shown", _shown),
    ("code counts as prose", "guards.spec.visible:code_shown", _shown),
    ("content the sanitizer drops counts", "guards.spec.visible:DROPPED", frozenset()),
    ("another standard's section counts", "guards.spec.cite:_foreign", lambda *_a: False),
    (
        "a citation's document is not checked",
        "guards.checks.spec_ref:named_documents",
        _documents_unchecked,
    ),
    ("a citation's document is ignored", "guards.checks.spec_ref:in_document", _any_section),
    ("look-alikes accepted as citations", "guards.spec.grammar:SIGN_CITE", _LOOSE),
    (
        "a parent section stands for the ticket's subsection",
        "guards.spec.numbers:within",
        lambda inner, outer: inner[: len(outer)] == outer or outer[: len(inner)] == inner,
    ),
    (
        "headings in quotes and lists are sections",
        "guards.spec.index:TOP_LEVEL",
        frozenset(range(100)),
    ),
]
