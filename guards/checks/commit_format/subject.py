"""Pure checks of one commit message (or PR title) against the commit-format settings.

The subject is judged verbatim: nothing is stripped first, so a subject that would match only
after its trailing whitespace is removed does not match, and the type must be plain ASCII
(``[a-z]+`` under ``re.ASCII``): a ``feat`` spelled with a Cyrillic ``\u0435`` is not ``feat``. The
ticket must be the PR's own ticket, as a whole token, in the subject or in a ``Refs:`` trailer
(trailers as ``git interpret-trailers --parse`` reads them, never a regex over the body).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from guards.config import CommitFormatSettings

CONVENTIONAL = re.compile(
    r"(?P<type>[a-z]+)(?:\((?P<scope>[a-z0-9][a-z0-9._/-]*)\))?(?P<bang>!)?: (?P<desc>\S.*\S|\S)",
    re.ASCII,
)
FIXUP = re.compile(r"(?:fixup!|squash!|amend!|\[?wip\b)", re.IGNORECASE)
AUTOSQUASH = re.compile(r"^(?:fixup|squash|amend)! ")
REFS_KEYS = {"refs", "ref"}
Trailers = Sequence[tuple[str, str]]


def shown(text: str, limit: int = 100) -> str:
    """TEXT quoted on one line, every non-ASCII or control character escaped."""
    cut = text[:limit] + ("..." if len(text) > limit else "")
    return ascii(cut)


def format_problems(subject: str, settings: CommitFormatSettings) -> Iterator[str]:
    """Why SUBJECT does not follow the configured format (nothing when it does)."""
    if subject != subject.strip():
        yield "the subject starts or ends with whitespace"
    if any(not c.isprintable() for c in subject):
        yield "the subject holds control characters"
    if len(subject) > settings.subject_length:
        yield f"the subject is {len(subject)} characters long (at most {settings.subject_length})"
    match = CONVENTIONAL.fullmatch(subject)
    if match is None:
        yield _shape_problem(subject)
        return
    yield from _type_and_scope(match, settings)


def _shape_problem(subject: str) -> str:
    head = subject.partition(":")[0]
    if any(ord(c) > 127 for c in head):
        return "the type or scope holds non-ASCII characters (a look-alike letter?)"
    return "the subject does not follow 'type(scope)!: description'"


def _type_and_scope(match: re.Match[str], settings: CommitFormatSettings) -> Iterator[str]:
    kind, scope = match.group("type"), match.group("scope")
    if kind not in settings.types:
        yield f"type {kind!r} is not one of {', '.join(settings.types)}"
    if settings.scopes and scope not in settings.scopes:
        what = f"scope {scope!r}" if scope else "no scope"
        yield f"{what}: the scope must be one of {', '.join(settings.scopes)}"


def sign_off_problem(trailers: Trailers) -> str | None:
    signed = any(k.lower() == "signed-off-by" and v for k, v in trailers)
    return None if signed else "no Signed-off-by trailer"


def cites(ticket: str, subject: str, trailers: Trailers) -> bool:
    """TICKET as a whole token in SUBJECT or in the value of a ``Refs:`` trailer."""
    token = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(ticket)}(?![A-Za-z0-9_])", re.ASCII)
    refs = [v for k, v in trailers if k.lower() in REFS_KEYS]
    return any(token.search(text) for text in (subject, *refs))


def is_fixup(subject: str) -> bool:
    """``fixup!``, ``squash!``, ``amend!`` (autosquash leftovers) or a ``wip`` commit."""
    return FIXUP.match(subject.lstrip()) is not None
