"""An analysis hands its syntax tree back to reference counting: the tree of a large module is a
million objects, and an analyzer whose parts hold its bound methods (a cycle through the tree)
left each one to the cyclic collector, which spent half a second of a worker's time on sympy's
test modules and let garbage pile up between collections (parsing/analyze.py ``analyze``)."""

from __future__ import annotations

import gc

from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.options import AnalysisOptions

FUNCTIONS = 300
BODY = (
    "@pytest.mark.parametrize('x', [1, 2])\n"
    "def test_{i}(x):\n"
    "    if x > {i}:\n"
    "        pytest.skip('large')\n"
    "    assert helper(x, [x, {i}]) == {{'a': x}}\n"
)
SOURCE = "import pytest\nfrom tests.helpers import helper\n\n" + "".join(
    BODY.format(i=i) for i in range(FUNCTIONS)
)


def garbage_left_by_analysis(source: str) -> int:
    """Objects only the cyclic collector frees after analyzing SOURCE."""
    gc.collect()
    gc.disable()
    try:
        module = analyze("tests/test_many.py", source.encode(), AnalysisOptions(with_defs=True))
        assert len(module.functions) == FUNCTIONS
        return gc.collect()
    finally:
        gc.enable()


def test_the_tree_is_freed_when_the_analysis_returns() -> None:
    """A fixed few objects at most (the analyzer's own small parts), not some per function."""
    assert garbage_left_by_analysis(SOURCE) < FUNCTIONS
