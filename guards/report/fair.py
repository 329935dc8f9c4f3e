"""A fair share of a limited space (annotations, summary rows, SARIF results) for every guard.

With 7,500 skip-set findings, "worst first across all guards" gave skip-set every annotation
and every summary row, and the other guards' findings vanished. Here each guard's items are
taken worst first, round robin across guards, so every guard with something to show gets a
turn before any guard gets a second one; space a guard does not need goes to the others.
Pure: items and their costs come in, the kept items and the count left out per guard go out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def round_robin(groups: Sequence[Sequence[T]]) -> list[tuple[int, T]]:
    """(group index, item) in fair order: the first of each group, then the second, ..."""
    order: list[tuple[int, T]] = []
    depth = max((len(g) for g in groups), default=0)
    for i in range(depth):
        order += [(g, items[i]) for g, items in enumerate(groups) if i < len(items)]
    return order


def share(
    groups: Sequence[Sequence[T]], limit: int, cost: Callable[[T], int] = lambda _: 1
) -> tuple[list[list[T]], list[int]]:
    """Per group, the items kept (in their own order) within LIMIT total COST, and how many
    of each group were left out. An item that does not fit is skipped, smaller ones may."""
    kept: list[list[T]] = [[] for _ in groups]
    room = limit
    for g, item in round_robin(groups):
        c = cost(item)
        if c <= room:
            kept[g].append(item)
            room -= c
    return kept, [len(items) - len(k) for items, k in zip(groups, kept, strict=True)]
