"""Detections of commit-format, each with a replacement that disables it."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Sequence

from guards.checks.commit_format import subject
from guards.config import DEFAULT_TICKET_PATTERN, CommitFormatSettings
from guards.core.git import CommitRecord, Git

_problems = subject.format_problems
_commits = Git.commits
_FOLD = str.maketrans("\u0430\u0435\u043e\u0440\u0441\u0445", "aeopcx")


def _nothing(*_a: object, **_k: object) -> Iterator[str]:
    return iter(())


def _stripped(text: str, settings: CommitFormatSettings) -> Iterator[str]:
    return _problems(text.strip(), settings)


def _folded(text: str, settings: CommitFormatSettings) -> Iterator[str]:
    return _problems(unicodedata.normalize("NFKC", text).translate(_FOLD), settings)


def _unbounded(text: str, settings: CommitFormatSettings) -> Iterator[str]:
    return _problems(text, dataclasses.replace(settings, subject_length=10**6))


def _any_scope(text: str, settings: CommitFormatSettings) -> Iterator[str]:
    return _problems(text, dataclasses.replace(settings, scopes=()))


def _any_ticket(ticket: str, text: str, trailers: Sequence[tuple[str, str]]) -> bool:
    return (
        re.search(DEFAULT_TICKET_PATTERN, " ".join([text, *(v for _, v in trailers)])) is not None
    )


def _substring(ticket: str, text: str, trailers: Sequence[tuple[str, str]]) -> bool:
    return any(ticket.lower() in t.lower() for t in [text, *(v for _, v in trailers)])


def _regex_trailers(self: Git, message: str) -> tuple[tuple[str, str], ...]:
    pairs = [line.partition(":") for line in message.splitlines()]
    return tuple((k.strip(), v.strip()) for k, sep, v in pairs if sep)


def _last_only(self: Git, base: str, head: str, *, limit: int = 2000) -> list[CommitRecord]:
    return _commits(self, base, head, limit=limit)[-1:]


C = "guards.checks.commit_format"
MUTANTS = [
    ("wip/fixup commits not detected", f"{C}.judge:is_fixup", lambda s: False),
    ("format not checked", f"{C}.judge:format_problems", _nothing),
    ("subject stripped before matching", f"{C}.judge:format_problems", _stripped),
    ("look-alike letters folded to ASCII", f"{C}.judge:format_problems", _folded),
    ("subject length not checked", f"{C}.judge:format_problems", _unbounded),
    ("scope list ignored", f"{C}.judge:format_problems", _any_scope),
    ("type list ignored", f"{C}.subject:_type_and_scope", _nothing),
    ("sign-off not required", f"{C}.judge:sign_off_problem", lambda trailers: None),
    ("ticket citation not checked", f"{C}.judge:_ticket", _nothing),
    ("any ticket-shaped id accepted", f"{C}.judge:cites", _any_ticket),
    ("ticket matched as a substring", f"{C}.judge:cites", _substring),
    ("trailers read by regex over the body", "guards.core.git:Git.trailers", _regex_trailers),
    ("only the last commit judged", "guards.core.git:Git.commits", _last_only),
    ("skip-merges ignored", f"{C}.judge:skipped", lambda commit, settings: commit.is_merge),
    ("PR title never judged", f"{C}.judge:title_subject", _nothing),
]
