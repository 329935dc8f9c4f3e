"""The classes real projects showed (issue 19): reordering hooks, computed collect_ignore,
module-conditional fixture skips, tests built at import, plugins. Unit level, on real parses;
the probes (tests/probes/skip-set/real-*.yaml) run the same classes through the guard."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from guards.collect.model import Undecidable
from guards.collect.python.collector import Collector, Request
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.linking.generated import check_generated
from guards.collect.python.linking.reorder import only_reorders
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import Module
from guards.collect.python.sources import plugin_chain
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo
from tests.collect_support import kinds
from tests.test_collect_adversarial import agree, real_outcomes


def parsed(source: str, path: str = "tests/conftest.py") -> Module:
    return analyze(path, textwrap.dedent(source).encode())


def reorders(body: str) -> bool:
    func = ast.parse(textwrap.dedent(body)).body[0]
    assert isinstance(func, ast.FunctionDef)
    last = [s for s in func.body if isinstance(s, ast.Assign)][-1]
    return only_reorders(func, last)


BUCKETS = """
def pytest_collection_modifyitems(items):
    fast, slow = [], []
    for item in items:
        {body}
    items[:] = fast + slow
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("if item.name: fast.append(item)\n        else: slow.append(item)", True),
        ("if item.name: fast.append(item)", False),  # an item in no bucket is dropped
        ("fast.append(item)\n        slow.append(item)", False),  # duplicated
        ("if item.name: continue\n        fast.append(item)", False),
        ("try: fast.append(item)\n        except Exception: slow.append(item)", False),
    ],
)
def test_only_a_bucket_pattern_that_keeps_every_item_reorders(body: str, expected: bool) -> None:
    assert reorders(BUCKETS.format(body=body)) is expected


def test_sorted_and_reversed_reorder_but_a_filter_does_not() -> None:
    head = "def pytest_collection_modifyitems(items):\n    items[:] = "
    assert reorders(head + "sorted(items, key=lambda i: i.name)\n")
    assert reorders(head + "list(reversed(items))\n")
    assert not reorders(head + "[i for i in items if i.name]\n")
    assert not reorders(head + "sorted(items)[1:]\n")


def test_computed_collect_ignore_is_evaluated() -> None:
    module = parsed("""
        import os, sys

        def extra():
            found = []
            for i in range(1, 3):
                found.append("gen_" + str(i) + ".py")
            if sys.platform == "win32":
                found.append("posix_only")
            return found

        collect_ignore = ["a"] + extra()
        collect_ignore += [f"b/{'c'}.py"]
        if sys.version_info < (3, 9):
            collect_ignore.extend(["old"])
    """)
    listed = module.conftest.collect_ignore if module.conftest else None
    assert listed is not None
    assert listed.paths == ("a", "gen_1.py", "gen_2.py", "b/c.py", "old")
    assert listed.gaps == ()


def test_an_unknown_entry_is_a_gap_under_its_literal_prefix() -> None:
    module = parsed("""
        import os
        collect_ignore = [os.path.join("generated", os.environ["FLAVOR"]), "a"]
        collect_ignore.remove("a")
    """)
    listed = module.conftest.collect_ignore if module.conftest else None
    assert listed is not None
    assert [(g.prefix, g.line) for g in listed.gaps] == [("generated/", 3), ("a", 4)]
    assert module.undecidable == ()


def test_a_call_to_another_module_is_left_for_linking() -> None:
    module = parsed("from pkg.lists import blacklist\ncollect_ignore = blacklist()\n")
    listed = module.conftest.collect_ignore if module.conftest else None
    assert listed is not None and listed.calls == (("pkg.lists.blacklist", 2),)


CHECK_DISABLED = """
    import pytest

    @pytest.fixture(autouse=True)
    def check_disabled(request):
        if getattr(request.module, "disabled", False):
            pytest.skip("requirements not met")
"""


@pytest.mark.parametrize(
    ("module_head", "skipped"),
    [
        ("", False),
        ("disabled = True\n", True),
        ("disabled = False\n", False),
        ("import os\ndisabled = os.environ.get('X')\n", True),  # not a literal: counts
        ("from helpers import *\n", True),  # may arrive by star import
        # sympy's test_repr.py: a star import exec'd in a new dict binds nothing here
        ("ENV = {}\nexec('from helpers import *', ENV)\n", False),
        ("ENV: dict = {}\nexec('import os\\nfrom helpers import *', ENV, {})\n", False),
        ("exec('from helpers import *', {})\n", False),
        # ... but an exec that may bind the module's names still counts
        ("exec('from helpers import *')\n", True),
        ("ENV = globals()\nexec('from helpers import *', ENV)\n", True),
        ("ENV = {}\nENV = globals()\nexec('from helpers import *', ENV)\n", True),
        ("ENV = {}\nexec('from helpers import *', ENV, locals())\n", True),
        ("ENV = {}\nexec('disabled = True', ENV)\n", True),  # code that is not an import
        ("ENV = {}\nCODE = 'x'\nexec(CODE, ENV)\n", True),
        ("ENV = {}\nexec = print\nexec('from helpers import *', ENV)\n", True),
        ("ENV = {}\nfor ENV in [globals()]:\n    pass\nexec('import os', ENV)\n", True),
        ("import helpers as ENV\nENV = {}\nexec('from helpers import *', ENV)\n", True),
        (
            "ENV = {}\nclass K:\n    global ENV\n    ENV = globals()\n"
            "exec('from helpers import *', ENV)\n",
            True,
        ),
        (
            "ENV = {}\ndef rebind():\n    global ENV\n    ENV = globals()\n"
            "rebind()\nexec('from helpers import *', ENV)\n",
            True,
        ),
    ],
)
def test_a_fixture_skip_on_the_module_flag_is_decided_per_module(
    module_head: str, skipped: bool
) -> None:
    conftest = parsed(CHECK_DISABLED)
    found = kinds(module_head + "def test_a():\n    pass\n", conftests=[conftest])
    assert (found["test_a"] == {"fixture-skip"}) is skipped


FLAG_IN_FUNCTIONS = [
    # an assignment in a function binds a local: the module has no ``disabled``
    ("def helper():\n    disabled = True\n    return disabled\n", False),
    ("class TestK:\n    def test_m(self):\n        disabled = 1\n        assert disabled\n", False),
    ("def helper():\n    def inner():\n        disabled = 1\n    return inner\n", False),
    ("def helper():\n    global_flag = 1  # global\n    disabled = global_flag\n", False),
    # ... unless the function says ``global``, and runs (here at import)
    ("def setflag():\n    global disabled\n    disabled = True\n\n\nsetflag()\n", True),
    (
        "def setflag():\n    def inner():\n        global disabled\n        disabled = 1\n"
        "    inner()\n\n\nsetflag()\n",
        True,
    ),
]


# A flag assigned a falsy literal, then bound otherwise: its literal is not what the fixture reads.
FLAG_REBOUND = [
    ("disabled = False\ndisabled += 1\n", True),
    ("disabled = False\n\n\ndef disabled():\n    pass\n", True),
    ("disabled = False\nfrom os import sep as disabled\n", True),
    ("disabled = False\nif (disabled := 1):\n    pass\n", True),
    ("disabled = False\nfor disabled in [1]:\n    pass\n", True),
    ("import sys\n\ndisabled = False\nsys.modules[__name__].disabled = True\n", True),
    ("import sys\n\nsetattr(sys.modules[__name__], 'disabled', 1)\n", True),
    (
        "disabled = False\n\n\ndef setup_module():\n    global disabled\n    disabled = True\n",
        True,
    ),
    # a class attribute, a parameter or a default is no module name
    ("disabled = False\n\n\nclass K:\n    disabled = True\n", False),
    ("disabled = False\n\n\ndef helper(disabled=True):\n    return disabled\n", False),
]


@pytest.mark.parametrize(("module_head", "skipped"), FLAG_IN_FUNCTIONS + FLAG_REBOUND)
def test_a_name_a_function_assigns_is_the_modules_only_where_it_says_global(
    module_head: str, skipped: bool, tmp_path: Path
) -> None:
    """Checked against real pytest: the fixture skips only where the module holds the flag."""
    source = module_head + "\n\ndef test_a():\n    pass\n"
    conftest = parsed(CHECK_DISABLED)
    found = kinds(source, conftests=[conftest])
    assert (found["test_a"] == {"fixture-skip"}) is skipped
    tree = tmp_path / "tree"
    (tree / "tests").mkdir(parents=True)
    (tree / "tests" / "conftest.py").write_text(textwrap.dedent(CHECK_DISABLED))
    (tree / "tests" / "test_a.py").write_text(source)
    outcome = real_outcomes(tree, tmp_path)["tests/test_a.py::test_a"]
    assert (outcome == "skipped") is skipped


def test_a_fixture_skip_not_on_the_module_still_counts() -> None:
    conftest = parsed(CHECK_DISABLED.replace('getattr(request.module, "disabled", False)', "X"))
    assert kinds("def test_a():\n    pass\n", conftests=[conftest]) == {"test_a": {"fixture-skip"}}


@pytest.mark.parametrize(
    "source",
    [
        "import unittest\nTestMade = type('TestMade', (unittest.TestCase,), {})\n",
        "from suite import SUITE\nTestDraft7 = SUITE.to_unittest_testcase()\n",
        "for n in range(3):\n    globals()['test_%d' % n] = lambda: None\n",
        "import sys\nsetattr(sys.modules[__name__], 'test_x', lambda: None)\n",
    ],
)
def test_tests_built_at_import_make_the_module_undecidable(source: str) -> None:
    module = parsed(source, "tests/test_gen.py")
    with pytest.raises(Undecidable):
        check_generated(module, PytestConfig())


def test_data_bound_to_test_like_names_is_not_a_test() -> None:
    module = parsed(
        "import json\ntest_cases = [1, 2]\nTEST_MAP = dict(a=1)\ntest_j = json.loads('[]')\n",
        "tests/test_data.py",
    )
    check_generated(module, PytestConfig())  # raises Undecidable if any counted
    assert module.generated == ()


PATHS = "import os\nfrom pathlib import Path\nimport pathlib as pl\n"


@pytest.mark.parametrize(
    "value",
    [
        "(Path(__file__) / '..' / 'test_apps').resolve()",  # flask's tests/test_cli.py
        "Path(__file__).parent",
        "pl.Path(__file__).resolve().parent.parent",
        "Path(__file__).with_suffix('.json').read_text().strip()",
        "os.path.join(os.path.dirname(__file__), 'd').replace('a', 'b')",
        "'{}-{}'.format(1, 2).upper()",
        "f'{__name__}'.split('.')",
        "b'a,b'.split(b',')",
    ],
)
def test_strings_and_paths_and_what_their_methods_make_are_not_tests(value: str) -> None:
    module = parsed(f"{PATHS}test_value = {value}\n", "tests/test_data.py")
    check_generated(module, PytestConfig())  # raises Undecidable if counted
    assert module.generated == ()


@pytest.mark.parametrize(
    "value",
    [
        "Path(__file__).resolve",  # a bound method: pytest unwraps it to a function
        "'x'.__class__",
        "Path(__file__).__getattribute__('resolve')",
        "make_path().resolve()",  # a path? make_path may return anything
        "(1).bit_length()",
        "{'k': lambda: None}.get('k')",
        "Path(__file__).parent.test",  # no property of a path
    ],
)
def test_a_value_no_string_or_path_makes_is_still_built_at_import(value: str) -> None:
    module = parsed(f"{PATHS}test_value = {value}\n", "tests/test_data.py")
    with pytest.raises(Undecidable, match="built at import"):
        check_generated(module, PytestConfig())


def test_pytest_plugins_are_read_from_a_conftest() -> None:
    module = parsed('pytest_plugins = ["tests.plugins.a", "pytester"]\n')
    assert module.conftest is not None
    assert module.conftest.plugins == (("tests.plugins.a", 1), ("pytester", 1))
    computed = parsed("import os\npytest_plugins = [os.environ['P']]\n")
    assert any("pytest_plugins" in w for _, w in computed.undecidable)


def test_exec_inside_a_test_function_does_not_make_module_names_dynamic() -> None:
    module = parsed("def test_a():\n    exec('x = 1')\n", "tests/test_a.py")
    assert module.names_dynamic is False
    assert parsed("exec('disabled = True')\n", "tests/test_b.py").names_dynamic is True


NESTED_PLUGINS = {
    "conftest.py": 'pytest_plugins = ["tests.plugins.outer"]\n',
    "tests/__init__.py": "",
    "tests/plugins/__init__.py": "",
    "tests/plugins/outer.py": 'pytest_plugins = ["tests.plugins.inner", "tests.plugins.outer"]\n',
    "tests/plugins/inner.py": (
        "import pytest\n\n\ndef pytest_collection_modifyitems(items):\n    for item in items:\n"
        "        if 'logout' in item.nodeid:\n"
        "            item.add_marker(pytest.mark.skip(reason='slow'))\n"
    ),
    "tests/test_a.py": "def test_login():\n    pass\n\n\ndef test_logout():\n    pass\n",
}


def test_a_plugin_a_plugin_lists_is_read_like_a_conftest(tmp_path: Path) -> None:
    """pytest registers a plugin, then the ones its own ``pytest_plugins`` lists (a plugin that
    lists itself is registered once); the hook two plugins down skips, checked against real
    pytest."""
    runs, kept, absent = agree(tmp_path, NESTED_PLUGINS)
    assert runs == {"tests/test_a.py::test_login"}
    assert kept == {"tests/test_a.py::test_logout"} and not absent


def test_a_chain_of_plugins_past_the_bound_is_undecidable(tmp_path: Path) -> None:
    depth = plugin_chain.MAX_DEPTH + 2
    files = {f"p{n}.py": f'pytest_plugins = ["p{n + 1}"]\n' for n in range(depth)}
    files |= {f"p{depth}.py": "", "conftest.py": 'pytest_plugins = ["p0"]\n'}
    repo = GitRepo(tmp_path / "repo")
    repo.write({**files, "test_a.py": "def test_a():\n    pass\n"})
    sha = repo.commit("deep")
    with pytest.raises(Undecidable, match="more than 8 deep"):
        Collector(Revision(Git(str(repo.path)), sha)).collect(Request(("test_a.py",)))


def _same_name_fixtures(first: str, second: str, skipping: str) -> str:
    def fixture(name: str) -> str:
        body = "pytest.skip('guarded')" if name == skipping else "pass"
        return f"@pytest.fixture(autouse=True, name='guard')\ndef {name}():\n    {body}\n\n\n"

    return "import pytest\n\n\n" + fixture(first) + fixture(second) + "def test_a():\n    pass\n"


@pytest.mark.parametrize(
    ("first", "second", "skipping", "skipped"),
    [
        ("alpha", "zeta", "zeta", True),  # the greater name is used, wherever it stands
        ("zeta", "alpha", "zeta", True),
        ("aaa_first", "zzz_second", "aaa_first", False),
        ("zzz_second", "aaa_first", "aaa_first", False),
    ],
)
def test_of_two_fixtures_of_one_name_the_greater_function_name_is_used(
    first: str, second: str, skipping: str, skipped: bool, tmp_path: Path
) -> None:
    """pytest registers a module's fixtures by ``dir()``, alphabetically, and uses the last of
    one name: checked against real pytest."""
    runs, kept, absent = agree(
        tmp_path, {"test_a.py": _same_name_fixtures(first, second, skipping)}
    )
    assert (kept == {"test_a.py::test_a"}) is skipped and (runs == set()) is skipped
    assert not absent
