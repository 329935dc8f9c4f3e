"""Waiver lines where no waiver can come from: the PR title and body, and commit messages.

The PR's author (an agent) writes all three, so a ``guards-waive:`` line there counts for
nothing; it is reported, with what to do instead, on the guard it names (or on every failing
guard when it names none). Pure: the texts are passed in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from guards.waivers.lines import mentions_waiver, waiver_lines
from guards.waivers.model import Rejection

ASK = "ask a maintainer to approve the PR with a review that says"


def forged(texts: Iterable[tuple[str, str]], guards: Collection[str]) -> list[Rejection]:
    """Rejections for every waiver line in TEXTS: (where, text) pairs."""
    out: list[Rejection] = []
    for where, text in texts:
        if not mentions_waiver(text):
            continue
        named = {line.guard for line in waiver_lines(text) if line.guard in guards}
        for guard in sorted(named) or [""]:
            out.append(Rejection(guard, message(where, guard)))
    return out


def message(where: str, guard: str) -> str:
    example = f"guards-waive: {guard or '<guard>'} <target> -- <reason>"
    return f"a waiver in {where} is not a waiver: {ASK} `{example}`"
