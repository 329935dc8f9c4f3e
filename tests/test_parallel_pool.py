"""The process pool (guards/collect/python/parsing/parallel.py ``_forked``) with real forked
workers: answers in input order whatever the order they finish in, answers larger than a pipe
holds, a worker killed or a bug raised is a GuardsError (never a partial answer, never a hang),
and no process to be had is this process doing the work."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from guards.collect.python.parsing import parallel
from guards.core import forks
from guards.errors import GuardsError


def _slow_first(item: int) -> tuple[int, int]:
    if item == 0:
        time.sleep(0.2)  # the first chunk ends last
    return item, os.getpid()


def test_answers_come_in_input_order_from_several_workers() -> None:
    items = list(range(40))
    answers = parallel.map_forked(_slow_first, items, [1] * len(items))
    assert [item for item, _ in answers] == items
    assert os.getpid() not in {pid for _, pid in answers}  # all in workers
    # the first chunk keeps one worker 0.2 s: another answers the rest meanwhile
    assert len({pid for _, pid in answers}) >= min(2, parallel.workers())


def _large(item: int) -> bytes:
    return bytes([item]) * (3 << 20)  # 3 MB: far past a pipe's buffer


def test_answers_larger_than_a_pipe_holds_arrive_whole() -> None:
    answers = parallel.map_forked(_large, [1, 2, 3], [1, 1, 1])
    assert answers == [bytes([n]) * (3 << 20) for n in (1, 2, 3)]


def _dies_on_3(item: int) -> int:
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_a_worker_killed_is_an_error_not_a_partial_answer() -> None:
    with pytest.raises(GuardsError, match="died"):
        parallel.map_forked(_dies_on_3, list(range(8)), [1] * 8)


def _raises_on_5(item: int) -> int:
    if item == 5:
        raise KeyError("a bug")
    return item


def test_a_bug_in_a_worker_is_an_error_with_its_words() -> None:
    with pytest.raises(GuardsError, match="KeyError: 'a bug'"):
        parallel.map_forked(_raises_on_5, list(range(8)), [1] * 8)


def test_no_process_to_be_had_is_this_process_doing_the_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*_args: Any, **_kwargs: Any) -> tuple[int, int]:
        raise OSError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(parallel, "start_child", refused)
    answers = parallel.map_forked(_slow_first, list(range(6)), [1] * 6)
    assert answers == [(item, os.getpid()) for item in range(6)]


def test_one_worker_to_be_had_does_all_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    def once(*args: Any, **kwargs: Any) -> tuple[int, int]:
        if started:
            raise OSError(11, "Resource temporarily unavailable")
        started.append(1)
        return forks.start_child(*args, **kwargs)

    monkeypatch.setattr(parallel, "start_child", once)
    answers = parallel._pooled(list(range(12)), _pids, 4, [1] * 12)
    assert [item for item, _ in answers] == list(range(12))
    assert len({pid for _, pid in answers}) == 1 and answers[0][1] != os.getpid()


def _pids(indexes: list[int]) -> list[tuple[int, int]]:
    return [(parallel._WORK[i], os.getpid()) for i in indexes]
