"""Pure set algebra over suppressions: which ones at head are new, and which lost their reason.

Per identity (path, scope, tool, codes) the head count is compared with the base count, so a
moved suppression or an edited neighbour is not new, and a second bare ``noqa`` in the same
function is. A head suppression that narrows a base one that went away (``noqa`` ->
``noqa: E501``, same scope and tool) counts as the old one. Of the unreasoned suppressions an
identity gained, as many as its total grew are new (rule suppressions_not_grown); the rest are
old ones whose reason was taken away (rule suppressions_have_reasons).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from guards.checks.suppressions.model import Suppression, covers

Key = tuple[str, str, str, tuple[str, ...]]


class Verdict(NamedTuple):
    new: list[Suppression]  # added or widened, without a reason
    stripped: list[Suppression]  # kept, but its reason removed


def compare(base: Sequence[Suppression], head: Sequence[Suppression]) -> Verdict:
    total, unreasoned = _counts(base)
    _credit_narrowed(base, head, total, unreasoned)
    verdict = Verdict([], [])
    for key, items in _group(head).items():
        loose = [s for s in items if not s.reasoned]
        gained = len(loose) - unreasoned[key]
        if gained <= 0:
            continue
        grew = max(0, min(gained, len(items) - total[key]))
        verdict.new.extend(loose[len(loose) - gained :][:grew])
        verdict.stripped.extend(loose[len(loose) - gained + grew :])
    return verdict


def _counts(items: Sequence[Suppression]) -> tuple[Counter[Key], Counter[Key]]:
    total = Counter(s.identity for s in items)
    return total, Counter(s.identity for s in items if not s.reasoned)


def _group(items: Sequence[Suppression]) -> dict[Key, list[Suppression]]:
    grouped: dict[Key, list[Suppression]] = {}
    for s in items:
        grouped.setdefault(s.identity, []).append(s)
    return grouped


def _credit_narrowed(
    base: Sequence[Suppression],
    head: Sequence[Suppression],
    total: Counter[Key],
    unreasoned: Counter[Key],
) -> None:
    """Move the base count of a vanished suppression to the narrower one that replaced it."""
    head_total = Counter(s.identity for s in head)
    gone = [
        s
        for key, items in _group(base).items()
        for s in items[: max(0, total[key] - head_total[key])]
    ]
    for s in head:
        if head_total[s.identity] <= total[s.identity]:
            continue
        old = next((g for g in gone if _narrows(g, s)), None)
        if old is not None:
            gone.remove(old)
            total[s.identity] += 1
            unreasoned[s.identity] += 0 if old.reasoned else 1


def _narrows(old: Suppression, new: Suppression) -> bool:
    same_place = old.identity[:3] == new.identity[:3]
    return same_place and old.codes != new.codes and covers(old.codes, new.codes)
