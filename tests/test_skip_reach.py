"""Which function bodies a listing reads (guards/collect/python/parsing/skip_reach.py): a body
whose text names a skip token or a name known to skip (as part of a word, in any script), or a
hot function of its module (as a word), and no other; the same with RE2 as with Python's engine
(which serves where RE2 refuses the pattern)."""

from __future__ import annotations

import ast

import pytest

from guards.collect.python.parsing import skip_reach
from guards.collect.python.parsing.skip_reach import hot_functions

SOURCE = """\
def uses_token():
    pytest.skip("x")

def uses_known():
    return needs_gpu_or_not()

def uses_cyrillic():
    return пропуск_сети()

def calls_hot():
    return uses_known()

def calls_hot_twice_removed():
    return calls_hot()

def plain():
    return 1 + 2

def mentions_hot_as_part_of_a_word():
    return calls_hot_later
"""
KNOWN = ("needs_gpu", "пропуск")
HOT = {"uses_token", "uses_known", "uses_cyrillic", "calls_hot", "calls_hot_twice_removed"}


def hot_names() -> set[str]:
    tree = ast.parse(SOURCE)
    hot = hot_functions(tree, SOURCE.encode(), [], KNOWN)
    return {n.name for n in ast.walk(tree) if id(n) in hot and isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("engine", ["re2", "re"])
def test_hot_bodies_are_the_ones_that_may_reach_a_skip(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    skip_reach._known.cache_clear()
    if engine == "re":  # as where RE2 refuses the alternation (past its memory budget)

        def refused(pattern: str) -> None:
            raise ValueError(pattern)

        monkeypatch.setattr(skip_reach, "compile_full", refused)
    assert hot_names() == HOT
    skip_reach._known.cache_clear()
