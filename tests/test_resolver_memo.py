"""The resolver's memo of a class chain's methods outlives the modules it was asked about.

A listing's pool worker links one test module after another with one Resolver, and frees each
module's facts once linked. The memo is keyed by the ids of the chain's classes: a class freed
with its module gave its id to the next module's class, which then took the first answer
(pytest's listing, now and then, said ``TestParser.setup_class()`` used test_unittest.py's
``importorskip``). The resolver keeps the classes its memo names, so no id is reused while the
answer stands.
"""

from __future__ import annotations

from dataclasses import replace

from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.analyze import analyze
from tests.collect_support import Memory

SKIPPING = (
    "import pytest\n\n\nclass TestA:\n    @classmethod\n    def setup_class(cls):\n"
    "        pytest.importorskip('twisted')\n\n    def test_a(self):\n        pass\n"
)
PLAIN = (
    "class TestB:\n    @classmethod\n    def setup_class(cls):\n        cls.ready = True\n\n"
    "    def test_b(self):\n        pass\n"
)
TRIES = 50


def test_a_freed_class_never_lends_its_answer_to_another() -> None:
    resolver = Resolver(Memory())
    skipping = analyze("tests/test_a.py", SKIPPING.encode())
    plain = analyze("tests/test_b.py", PLAIN.encode())
    klass = replace(skipping.classes[0])  # a class of its own, freed below as a module's is
    first = id(klass)
    assert resolver.method([(skipping, klass)], "setup_class", 0) is not None  # importorskip
    del klass
    ids = set()
    for n in range(TRIES):  # the allocator hands a freed block out again, most often at once
        other = replace(plain.classes[0])
        ids.add(id(other))
        hit = resolver.method([(plain, other)], "setup_class", 0)
        assert hit is None, f"try {n}: a plain setup_class took the answer of a freed class"
        del other
    assert first not in ids  # the first class is kept: its id is not another's
