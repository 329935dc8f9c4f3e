"""Conftest hooks and ignore lists read into rules, and their conditions evaluated (pure)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from guards.collect.model import Undecidable
from guards.collect.python.linking.hook_eval import ItemView, evaluate
from guards.collect.python.linking.select import apply_hooks
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import Module
from tests.collect_support import items
from tests.test_collect_adversarial import real_outcomes

ITEM = ItemView(
    nodeid="tests/test_a.py::test_login[1]",
    name="test_login[1]",
    path="tests/test_a.py",
    keywords=frozenset({"test_login[1]", "tests", "test_a.py", "slow"}),
    marks=frozenset({"slow"}),
)


def conftest(source: str) -> Module:
    return analyze("tests/conftest.py", textwrap.dedent(source).encode())


def rules_apply(condition: str) -> bool:
    module = conftest(f"""
        import pytest
        import sys

        SKIPS = ["tests/test_a.py::test_login[1]"]


        def pytest_collection_modifyitems(config, items):
            for item in items:
                if {condition}:
                    item.add_marker(pytest.mark.skip(reason="r"))
    """)
    assert module.conftest is not None and not module.undecidable, module.undecidable
    (rule,) = module.conftest.hooks
    return evaluate(rule.cond, ITEM, {})


@pytest.mark.parametrize(
    ("condition", "result"),
    [
        ('"slow" in item.keywords', True),
        ('"db" in item.keywords', False),
        ('item.get_closest_marker("slow") is not None', True),
        ('item.get_closest_marker("db")', False),
        ('"login" in item.nodeid', True),
        ('item.nodeid.startswith(("src", "tests/"))', True),
        ('item.name.endswith("]")', True),
        ('item.originalname == "test_login"', True),
        ("item.nodeid in SKIPS", True),
        ('item.path.name == "test_b.py"', False),
        ('config.getoption("--runslow")', True),
        ('not config.getoption("--runslow")', True),
        ('sys.platform == "win32" and "db" in item.keywords', False),
        ('"db" in item.keywords or not config.getoption("--all")', True),
        ('not ("slow" in item.keywords)', False),
    ],
)
def test_hook_conditions(condition: str, result: bool) -> None:
    assert rules_apply(condition) is result


def test_early_continue_narrows_what_follows() -> None:
    module = conftest("""
        import pytest

        def pytest_collection_modifyitems(items):
            for item in items:
                if "gpu" not in item.keywords:
                    continue
                item.add_marker(pytest.mark.xfail)
    """)
    assert module.conftest is not None
    (rule,) = module.conftest.hooks
    assert not evaluate(rule.cond, ITEM, {})


HOOK = "def pytest_collection_modifyitems(items):\n"
BUCKETS = (
    "    fast, slow = [], []\n    for item in items:\n        if item.name == 'test_b':\n"
    "            item = items[0]\n            slow.append(item)\n        else:\n"
    "            fast.append(item)\n    items[:] = fast + slow\n"
)
FILTERS = "def sorted(items, key=None):\n    return [i for i in items if i.name != 'test_b']\n"
# Hooks that look like a reordering or leave the list alone, and drop test_b (real pytest
# drops it: test_shapes_that_drop_items_drop_them_under_real_pytest).
SHAPES_THAT_DROP = [
    (FILTERS + HOOK + "    items[:] = sorted(items, key=lambda i: i.name)\n", "rewrites"),
    (
        HOOK + "    reversed = lambda xs: [i for i in xs if i.name != 'test_b'][::-1]\n"
        "    items[:] = list(reversed(items))\n",
        "rewrites",
    ),
    (
        "from tests.helpers import *\n" + HOOK + "    items[:] = sorted(items, key=len)\n",
        "rewrites",
    ),
    (HOOK + "    items.__init__([i for i in items if i.name != 'test_b'])\n", "removes"),
    (HOOK + "    list.remove(items, items[-1])\n", "removes"),
    (HOOK + "    items *= 0\n", "removes"),
    (HOOK + BUCKETS, "rewrites"),
]
TWO_TESTS = "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n"
# Conftests that patch pytest or a helper, so that test_b (``@pytest.mark.slow``, calling
# ``helpers.need()``) is skipped: test_a_conftest_that_patches_skips_under_real_pytest.
PATCHES = [
    "import pytest\npytest.mark.slow = pytest.mark.skip\n",
    "from pytest import mark\nmark.slow = mark.skip(reason='patched')\n",
    "import pytest\nimport tests.helpers as helpers\n\n\ndef pytest_configure(config):\n"
    "    helpers.need = lambda: pytest.skip('patched')\n",
]
PATCHED_TESTS = (
    "import pytest\nfrom tests import helpers\n\n\ndef test_a():\n    pass\n\n\n"
    "@pytest.mark.slow\ndef test_b():\n    helpers.need()\n"
)


def ran_in_tests(tmp_path: Path, conftest: str, tests: str, helpers: str) -> dict[str, str]:
    """Real pytest's outcomes for a ``tests`` package of CONFTEST, test_a.py holding TESTS and
    helpers.py holding HELPERS."""
    tree = tmp_path / "tree"
    (tree / "tests").mkdir(parents=True)
    files = {"conftest.py": conftest, "test_a.py": tests, "helpers.py": helpers}
    for name, text in {**files, "__init__.py": ""}.items():
        (tree / "tests" / name).write_text(text)
    return real_outcomes(tree, tmp_path, {"PYTEST_ADDOPTS": "-p no:warnings"})


@pytest.mark.parametrize("source", PATCHES)
def test_a_conftest_that_patches_skips_under_real_pytest(source: str, tmp_path: Path) -> None:
    ran = ran_in_tests(tmp_path, source, PATCHED_TESTS, "def need():\n    pass\n")
    assert ran == {"tests/test_a.py::test_a": "passed", "tests/test_a.py::test_b": "skipped"}


def test_a_conftest_that_writes_its_own_objects_patches_nothing() -> None:
    module = conftest(
        "import sys\nimport pytest\nfrom tests import helpers\nsys.dont_write_bytecode = True\n"
        "helpers.LIMIT = 3\n\n\nclass Box:\n    pass\n\n\nbox = Box()\nbox.skip = pytest.skip\n\n\n"
        "def pytest_configure(config):\n    config.cache_dir = 'x'\n"
    )
    assert module.undecidable == ()


@pytest.mark.parametrize(("source", "what"), SHAPES_THAT_DROP)
def test_shapes_that_drop_items_drop_them_under_real_pytest(
    source: str, what: str, tmp_path: Path
) -> None:
    """Each hook of SHAPES_THAT_DROP runs test_a, never test_b (``items *= 0`` neither)."""
    ran = ran_in_tests(tmp_path, source, TWO_TESTS, FILTERS)
    assert "tests/test_a.py::test_b" not in ran, ran
    assert ("tests/test_a.py::test_a" in ran) is ("*= 0" not in source), ran


# Collection hooks that decide nothing (inert_hooks.py): pypa/packaging's gc switch, and
# others that name no parameter, return no value and carry no decorator.
INERT_HOOKS = [
    "import gc\n\n\ndef pytest_collection():\n    gc.disable()\n",
    "def pytest_collection(session):\n    return None\n",
    "import time\n\n\ndef pytest_runtest_protocol(item, nextitem):\n    time.perf_counter()\n",
    "def pytest_pyfunc_call():\n    if 1:\n        return\n",
    "def pytest_ignore_collect(collection_path, config):\n    pass\n",
]
# ... and the same hooks where they do decide: under real pytest test_b does not run, or
# passes without running (test_decisive_collection_hooks_decide_under_real_pytest).
DECISIVE_HOOKS = [
    "import pytest\n\n\n@pytest.hookimpl(trylast=True)\ndef pytest_collection(session):\n"
    "    session.items[:] = [i for i in session.items if i.name != 'test_b']\n",
    "def pytest_pyfunc_call(pyfuncitem):\n    return pyfuncitem.name == 'test_b' or None\n",
    "def pytest_pyfunc_call():\n    return True\n",
]
FAILING_B = "def test_a():\n    pass\n\n\ndef test_b():\n    assert False\n"


@pytest.mark.parametrize("source", INERT_HOOKS)
def test_collection_hooks_that_decide_nothing_are_followed(source: str, tmp_path: Path) -> None:
    assert conftest(source).undecidable == ()
    ran = ran_in_tests(tmp_path, source, TWO_TESTS, "")
    assert ran == {"tests/test_a.py::test_a": "passed", "tests/test_a.py::test_b": "passed"}


@pytest.mark.parametrize("source", DECISIVE_HOOKS)
def test_decisive_collection_hooks_decide_under_real_pytest(source: str, tmp_path: Path) -> None:
    assert any("hook pytest_" in w for _, w in conftest(source).undecidable)
    ran = ran_in_tests(tmp_path, source, FAILING_B, "")
    assert ran.get("tests/test_a.py::test_b") in (None, "passed"), ran


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\n\n\n@pytest.hookimpl(trylast=True)\ndef pytest_collection():\n    pass\n",
        "def pytest_collection():\n    yield\n",
        "async def pytest_collection():\n    pass\n",
        "def pytest_collection():\n    def inner():\n        return 1\n\n    inner()\n",
        "def pytest_pyfunc_call(pyfuncitem):\n    call = pyfuncitem\n",
        "def pytest_runtest_protocol(*args):\n    print(args)\n",
        "def pytest_collect_file(**hook):\n    return 1\n",
        "def pytest_collection():\n    return 0\n",
        "def pytest_pyfunc_call():\n    (lambda: 1)()\n",
    ],
)
def test_collection_hooks_that_may_decide_stay_undecidable(source: str) -> None:
    assert any("hook pytest_" in w for _, w in conftest(source).undecidable)


@pytest.mark.parametrize(
    ("source", "what"),
    [
        (
            "def pytest_collection_modifyitems(items):\n    items[:] = [i for i in items if i]\n",
            "rewrites",
        ),
        (
            "def pytest_collection_modifyitems(config, items):\n"
            "    config.hook.pytest_deselected(items=items)\n",
            "deselects",
        ),
        (
            "import pytest\ndef pytest_runtest_setup(item):\n"
            "    if item.cls.flag:\n        pytest.skip()\n",
            "not followed",
        ),
        ("def pytest_ignore_collect(collection_path):\n    return True\n", "decides per path"),
        (
            "def pytest_runtest_makereport(item, call):\n    return 'skipped'\n",
            "rewrites test outcomes",
        ),
        (  # the outcome a computed string: no word of it says skip
            "import pytest\n@pytest.hookimpl(hookwrapper=True)\n"
            "def pytest_runtest_makereport(item, call):\n    outcome = yield\n"
            "    rep = outcome.get_result()\n    rep.outcome = 'ski' + 'pped'\n",
            "rewrites test outcomes",
        ),
        (  # the option namespace under another name
            "def pytest_configure(config):\n    opt = config.option\n"
            "    opt.keyword = 'not test_two'\n",
            "sets config.option.keyword",
        ),
        *SHAPES_THAT_DROP,
        *((source, "patches") for source in PATCHES),
        ("import pytest\nsetattr(pytest.mark, 'slow', pytest.mark.skip)\n", "patches"),
    ],
)
def test_constructs_that_cannot_be_followed(source: str, what: str) -> None:
    module = conftest(source)
    assert any(what in w for _, w in module.undecidable), module.undecidable


def test_collect_ignore_values() -> None:
    module = conftest("""
        import os, sys
        collect_ignore = ["a.py"]
        if sys.version_info < (3, 14):
            collect_ignore.extend(["b", os.path.join("c", "d.py")])
        collect_ignore_glob = ["*_old.py"]
    """)
    assert module.conftest.collect_ignore.paths == ("a.py", "b", "c/d.py")
    assert module.conftest.collect_ignore_glob.paths == ("*_old.py",)


def test_data_files_read_by_a_conftest() -> None:
    module = conftest("""
        import json, os
        from pathlib import Path
        A = json.load(open(os.path.join(os.path.dirname(__file__), "skips.json")))
        B = Path(__file__).parent.joinpath("data/list.txt").read_text().splitlines()
        C = json.load(open(os.environ["SKIPS"]))
    """)
    assert [(d.name, d.path) for d in module.conftest.data] == [
        ("A", "tests/skips.json"),
        ("B", "tests/data/list.txt"),
        ("C", ""),
    ]


PREDICATE_HOOK = """
    import pytest


    def is_slow(test_item):
        "Whether the test is marked slow."
        return test_item.get_closest_marker("slow") is not None


    def pytest_collection_modifyitems(config, items):
        skip = pytest.mark.skip(reason="slow")

        def named_login(it):
            return "login" in it.name

        for item in items:
            if is_slow(item) or named_login(item):
                item.add_marker(skip)
"""
PREDICATE_TESTS = (
    "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n\n\n"
    "def test_login():\n    pass\n\n\ndef test_b():\n    pass\n"
)


def skipped_statically_and_by_pytest(tmp_path: Path, hooks: str, tests: str) -> dict[str, bool]:
    """Whether each test of TESTS (tests/test_a.py) is skipped by the conftest HOOKS, as the
    static reading says; asserted first to be what real pytest says."""
    module = conftest(hooks)
    applied = apply_hooks(items(tests, path="tests/test_a.py"), [module], lambda _: {})
    static = {t.nodeid.rsplit("::", 1)[1]: bool(t.skips) for t in applied}
    ran = ran_in_tests(tmp_path, textwrap.dedent(hooks), tests, "")
    assert {n.rsplit("::", 1)[1]: o == "skipped" for n, o in ran.items()} == static, ran
    return static


def test_predicates_a_hook_calls_with_the_item_are_read_as_their_expression(
    tmp_path: Path,
) -> None:
    """tox's ``is_integration(item)``: a function of the module or of the hook whose body
    returns an expression of its parameter; real pytest skips the same two tests."""
    assert conftest(PREDICATE_HOOK).undecidable == ()
    skipped = {"test_a": True, "test_login": True, "test_b": False}
    assert skipped_statically_and_by_pytest(tmp_path, PREDICATE_HOOK, PREDICATE_TESTS) == skipped


MARKING_HOOKS = """
    import pytest


    def pytest_collection_modifyitems(items):
        for item in items:
            if "login" in item.name:
                item.add_marker(pytest.mark.db(reason="needs a database"))
            if item.get_closest_marker("db"):
                item.add_marker(pytest.mark.slow)
            if "legacy" in item.name:
                item.add_marker("slow")
        for item in items:
            if item.get_closest_marker("slow"):
                item.add_marker(pytest.mark.skip(reason="slow"))
"""
MARKED_TESTS = (
    "def test_a():\n    pass\n\n\ndef test_legacy():\n    pass\n\n\ndef test_login():\n    pass\n"
)


def test_a_marker_a_hook_adds_is_seen_by_every_hook_condition(tmp_path: Path) -> None:
    """``add_marker("slow")``, and ``slow`` added for a ``db`` added in turn: each marker a
    hook adds is on the item for the hooks' conditions; real pytest skips the same tests."""
    rules = conftest(MARKING_HOOKS).conftest.hooks
    assert [r.detail for r in rules if r.kind == "adds-mark"] == ["db", "slow", "slow"]
    skipped = {"test_a": False, "test_legacy": True, "test_login": True}
    assert skipped_statically_and_by_pytest(tmp_path, MARKING_HOOKS, MARKED_TESTS) == skipped


UNREAD_MARKER = """
    import pytest


    def pytest_collection_modifyitems(items):
        for item in items:
            if item.module.__file__.startswith(ROOT):
                item.add_marker("plugin_test")
"""


def test_a_marker_added_under_a_condition_not_read_decides_only_where_a_skip_turns_on_it() -> None:
    marking = conftest(UNREAD_MARKER)
    assert marking.undecidable == ()
    found = items("def test_a():\n    pass\n", path="tests/test_a.py")
    assert [t.skips for t in apply_hooks(found, [marking], lambda _: {})] == [()]
    skipping = conftest(
        "import pytest\n\n\ndef pytest_runtest_setup(item):\n"
        "    if 'plugin_test' in item.keywords:\n        pytest.skip('own job')\n"
    )
    with pytest.raises(Undecidable, match=r"item.module.__file__.startswith\(ROOT\)"):
        apply_hooks(found, [marking, skipping], lambda _: {})
    skips_too = conftest(UNREAD_MARKER + "                pytest.skip('no')\n")
    assert [w for _, w in skips_too.undecidable] == [
        "a hook condition on the test item (item.module.__file__.startswith(ROOT)) is not followed"
    ]


@pytest.mark.parametrize(
    "helper",
    [
        "def pick(it):\n    x = it.name\n    return 'login' in x\n",  # more than a return
        "def pick(it, flag=True):\n    return 'login' in it.name\n",  # a default
        "def pick(it):\n    return helpers.pick(it)\n",  # a helper of another module
        "import functools\n\n\n@functools.cache\ndef pick(it):\n    return 'a' in it.name\n",
        "def pick(it):\n    return pick(it)\n",  # calls itself: too deep
    ],
)
def test_predicates_that_cannot_be_read_as_an_expression_stay_undecidable(helper: str) -> None:
    source = (
        "import pytest\nfrom tests import helpers\n\n\n" + helper + "\n\n"
        "def pytest_collection_modifyitems(items):\n    for item in items:\n"
        "        if pick(item):\n            item.add_marker(pytest.mark.skip)\n"
    )
    assert any("pick(item)" in w for _, w in conftest(source).undecidable)


def test_hooks_apply_to_items() -> None:
    module = conftest("""
        import pytest
        def pytest_runtest_setup(item):
            if "login" in item.name:
                pytest.skip("r")
    """)
    found = items("def test_login(): pass\ndef test_logout(): pass\n", path="tests/test_a.py")
    applied = apply_hooks(found, [module], lambda _: {})
    assert {t.nodeid: [s.kind for s in t.skips] for t in applied} == {
        "tests/test_a.py::test_login": ["runtime-skip"],
        "tests/test_a.py::test_logout": [],
    }
