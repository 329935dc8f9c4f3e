"""Which names before a dot may hold another module's object (guards/collect/python/sources/
attribute_owners.py), held to the analyzer itself: whenever the module binds the name to
anything the resolver follows into another module, the text rule says it may (hypothesis over
modules built from binding forms); and the cases it is for (a tree walker's ``pot.skip()``)
do not count."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.options import DEFAULT_OPTIONS
from guards.collect.python.sources.attribute_owners import may_hold_module

BINDINGS = [
    "import helpers as {o}\n",
    "from support import {o}\n",
    "from support import (\n    x,\n    helpers as {o},  # why\n)\n",
    "from support import x, \\\n    {o}\n",
    "import {o}.sub\n",
    "{o} = helpers\n",
    "{o} = helpers.sub\n",
    "{o} = make()\n",
    "{o} = make(1, (2, 3))  # made\n",
    "{o} = make(a)(b)\n",
    "{o} = make(\n    1,\n)\n",
    "{o} = make(')')\n",
    "{o} = getattr(helpers, 'x')\n",
    "{o} = a if c else helpers\n",
    "{o} = make() or helpers\n",
    "{o}: object = helpers\n",
    "{o}: 'Module' = helpers\n",
    "{o}: Module | None = helpers\n",
    "({o}, k) = helpers, make()\n",
    "[k, ({o})] = make(), helpers\n",
    "{o}=helpers\n",
    "{o} = (\n    helpers\n)\n",
    "{o} = \\\n    helpers\n",
    "if TYPE_CHECKING:\n    import helpers as {o}\n",
    "{o}, = (helpers,)\n",
    "for {o} in (helpers,):\n    pass\n",
    "with make() as {o}:\n    pass\n",
    "({o} := helpers)\n",
    "{o} = helpers.sub if c else make()\n",
    "{o} = [helpers][0]\n",
    "{o} = make\n",
    "{o}, k = helpers, make()\n",
    "k, {o} = make(), helpers\n",
    "{o} = k = helpers\n",
    "{o} = sys.modules['helpers']\n",
    "{o} = importlib.import_module('helpers')\n",
    "{o} = __import__('helpers')\n",
    "if c:\n    {o} = helpers\n",
    "try:\n    import helpers as {o}\nexcept ImportError:\n    {o} = None\n",
    "def f():\n    {o} = helpers\n",
    "from support import *\n",
    "import helpers, support, sys, importlib\nfrom support import make, a, c\n",
    "x = 1\n",
]
OWNERS = ["g", "pot", "helpers"]


def _module(lines: list[str], owner: str) -> tuple[bytes, int]:
    """The module of LINES for OWNER, and where OWNER starts in its use ``OWNER.needs_net()``."""
    head = "".join(line.format(o=owner) for line in lines)
    data = f"{head}\n\ndef test_x():\n    {owner}.needs_net()\n".encode()
    return data, data.rindex(f"{owner}.needs_net".encode())


def _followed(data: bytes, owner: str) -> bool:
    """Whether the analyzer binds OWNER where the resolver follows it into another module."""
    try:
        module = analyze("m.py", data, DEFAULT_OPTIONS)
    except (NotParsable, Undecidable):  # nothing to hold the rule to
        return False
    value = module.exports.get(owner, "")
    return bool(module.stars) or (bool(value) and not value.startswith(("call:", "local:")))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(BINDINGS), max_size=5), st.sampled_from(OWNERS))
@example(["{o} = helpers\n", "{o} = make()\n"], "g")  # a later call does not unbind it
@example(["k, {o} = make(), helpers\n"], "g")  # the second of two targets
@example(["{o} = make(')')\n"], "pot")  # a bracket in a string
def test_whatever_the_resolver_follows_counts(lines: list[str], owner: str) -> None:
    data, start = _module(lines, owner)
    if _followed(data, owner):
        assert may_hold_module(data, start)


IMPORTS = BINDINGS[-2]
# The analyzer binds nothing for a loop variable, a walrus, a subscript's value or a function's
# local (the hypothesis test still holds the rule to it where it does), nor for a call's result.
NOT_BOUND = ("make", "def f", "for ", ":=", "[0]")
FOLLOWED = [b for b in BINDINGS[:-3] if not any(n in b for n in NOT_BOUND)]


@pytest.mark.parametrize("binding", FOLLOWED)
def test_each_binding_the_resolver_follows_counts(binding: str) -> None:
    """The property above is not vacuous: each of these binds the owner where the resolver
    follows it (with the imports they name), and counts."""
    data, start = _module([IMPORTS, binding], "g")
    assert _followed(data, "g")
    assert may_hold_module(data, start)


@pytest.mark.parametrize(
    "text",
    [
        "from sympy.core.traversal import preorder_traversal\n\n"
        "def f(expr):\n    pot = preorder_traversal(expr)\n    for a in pot:\n        pot.skip()\n",
        '"""\n>>> pt = preorder_traversal((x + y)*z)\n>>> pt.skip()\n"""\n',
        "class A:\n    def f(self):\n        self.skip()\n",
    ],
    ids=["tree-walker", "docstring", "method"],
)
def test_a_call_result_or_a_method_does_not_count(text: str) -> None:
    data = text.encode()
    assert not may_hold_module(data, _owner_start(data))


def _owner_start(data: bytes) -> int:
    """Where the word before the last ``.skip`` of DATA starts."""
    dot = data.rindex(b".skip")
    start = dot
    while start > 0 and (chr(data[start - 1]).isalnum() or data[start - 1] == ord("_")):
        start -= 1
    return start


@pytest.mark.parametrize(
    ("text", "use"),
    [
        ("from support import h\n\ndef t():\n    h.sub.needs_net()\n", b"sub.needs_net"),
        ("import sys\n\ndef t():\n    sys.modules['x'].sub.needs_net()\n", b"sub.needs_net"),
        (
            "from support import h\n\ndef t():\n    (h  # why\n     .sub.needs_net())\n",
            b"sub.needs",
        ),
        ("from support import *\n\ndef t():\n    pot.needs_net()\n", b"pot.needs_net"),
        ("from support import a\n\ndef t():\n    a.мод_g.needs_net()\n".encode(), b"_g.needs"),
        ("from support import мод_g\n\ndef t():\n    мод_g.needs_net()\n".encode(), b"_g.needs"),
    ],
    ids=["chain", "subscript", "comment-in-chain", "star", "non-ascii-middle", "non-ascii-first"],
)
def test_a_chain_is_judged_by_its_first_name(text: str | bytes, use: bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode()
    assert may_hold_module(data, data.rindex(use))
