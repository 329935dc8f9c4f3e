"""Parameter cases of a test: the cross product of its parametrizations, ids and marks."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from guards.collect.model import Skip
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.parsing.facts import MarkUse, Params


def empty_parameter_set(cfg: PytestConfig, line: int) -> list[Skip]:
    """pytest marks a test whose parametrize list is empty: skip (or xfail, by config)."""
    kind = "xfail" if cfg.empty_parameter_set_mark == "xfail" else "skip"
    return [Skip(kind, line, "empty parameter set (empty_parameter_set_mark)")]


EMPTY = ("NOTSET",)  # the ids of an empty parameter list (params.py)


def may_skip_a_case(params: Iterable[Params]) -> bool:
    """Whether a parametrization of PARAMS can give one of its cases a skip: a case with marks
    (``pytest.param(..., marks=...)``), or an empty list (``empty_parameter_set``)."""
    return any(p.ids == EMPTY or any(p.case_marks) for p in params)


def combinations(
    params: list[Params], why: str
) -> Iterator[tuple[str | None, list[tuple[int, MarkUse]]]]:
    """(param id, the case's marks, each with the index of its parametrization) per test; the
    id is None for an unparametrized test (or one keyed by function: the marks of every case),
    and may be "" (``parametrize("x", [""])`` gives ``test[]``)."""
    if why or not params:
        marks = [(i, m) for i, p in enumerate(params) for case in p.case_marks for m in case]
        yield None, marks
        return
    columns = [_column(p) for p in params]
    for combo in itertools.product(*columns):
        marks = [(i, m) for i, c in enumerate(combo) for m in c[1]]
        yield "-".join(c[0] for c in combo), marks


def _column(p: Params) -> list[tuple[str, tuple[MarkUse, ...]]]:
    ids = p.ids or ()
    marks = p.case_marks or ((),) * len(ids)
    return list(zip(ids, marks, strict=False))
