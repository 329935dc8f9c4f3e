"""Every guard gets a share of annotations, summary rows and SARIF results (pure tables)."""

from __future__ import annotations

import pytest

from guards.report.fair import round_robin, share


def test_round_robin_gives_every_group_a_turn_first() -> None:
    assert round_robin([["a1", "a2", "a3"], [], ["c1"]]) == [
        (0, "a1"),
        (2, "c1"),
        (0, "a2"),
        (0, "a3"),
    ]


@pytest.mark.parametrize(
    ("sizes", "limit", "kept", "left"),
    [
        ([7500, 3, 0, 2], 10, [5, 3, 0, 2], [7495, 0, 0, 0]),
        ([7500, 7500], 10, [5, 5], [7495, 7495]),
        ([1, 1], 10, [1, 1], [0, 0]),
        ([3], 0, [0], [3]),
    ],
)
def test_share_by_count(sizes: list[int], limit: int, kept: list[int], left: list[int]) -> None:
    groups = [[f"{g}-{i}" for i in range(n)] for g, n in enumerate(sizes)]
    got, omitted = share(groups, limit)
    assert [len(k) for k in got] == kept and omitted == left
    assert all(
        k == g[: len(k)] for k, g in zip(got, groups, strict=True)
    )  # each group's worst first


def test_share_by_cost_skips_what_does_not_fit() -> None:
    got, omitted = share([["x" * 8, "y"], ["z" * 3]], 10, cost=len)
    assert got == [["xxxxxxxx", "y"], []] and omitted == [0, 1]
