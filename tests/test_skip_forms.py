"""Every skip form of the reference table, recognized statically (pure tables, no git).

Snippets live in strings: this project's own tests never carry a literal skip.
"""

from __future__ import annotations

import pytest

from guards.collect.model import NotParsable
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.parsing.analyze import analyze
from tests.collect_support import Memory, items, kinds

P = "import pytest\n"
U = "import unittest\n"
FORMS = [
    (P + "@pytest.mark.skip\ndef test_a(): pass", {"test_a": {"skip"}}),
    (P + "@pytest.mark.skip(reason='r')\ndef test_a(): pass", {"test_a": {"skip"}}),
    (P + "@pytest.mark.skipif(False, reason='r')\ndef test_a(): pass", {"test_a": {"skipif"}}),
    (
        P + "@pytest.mark.skipif('sys.platform == \"x\"')\ndef test_a(): pass",
        {"test_a": {"skipif"}},
    ),
    (P + "@pytest.mark.xfail(run=False)\ndef test_a(): pass", {"test_a": {"xfail"}}),
    (P + "s = pytest.mark.skip\n@s\ndef test_a(): pass", {"test_a": {"skip"}}),
    (
        P + "n = pytest.mark.skipif(True, reason='x')\n@n\ndef test_a(): pass",
        {"test_a": {"skipif"}},
    ),
    ("from pytest import mark\n@mark.xfail\ndef test_a(): pass", {"test_a": {"xfail"}}),
    ("from pytest import mark as m\n@m.skip\ndef test_a(): pass", {"test_a": {"skip"}}),
    ("import pytest as pt\n@pt.mark.skip\ndef test_a(): pass", {"test_a": {"skip"}}),
    ("import _pytest.mark as pm\n@pm.MARK_GEN.skip\ndef test_a(): pass", {"test_a": {"skip"}}),
    (P + "a, b = pytest.mark.skip, pytest.mark.slow\n@a\ndef test_a(): pass", {"test_a": {"skip"}}),
    (
        P + "@pytest.mark.slow\n@pytest.mark.xfail\n@pytest.mark.skip\ndef test_a(): pass",
        {"test_a": {"skip", "xfail"}},
    ),
    (
        P + "@pytest.mark.skip\nclass TestK:\n    def test_a(self): pass",
        {"TestK::test_a": {"skip"}},
    ),
    (
        P + "class TestK:\n    pytestmark = [pytest.mark.xfail]\n    def test_a(self): pass",
        {"TestK::test_a": {"xfail"}},
    ),
    (
        P + "pytestmark = pytest.mark.skipif(True, reason='r')\ndef test_a(): pass",
        {"test_a": {"skipif"}},
    ),
    (
        P + "pytestmark = [pytest.mark.slow, pytest.mark.xfail]\ndef test_a(): pass",
        {"test_a": {"xfail"}},
    ),
    (
        P + "MARKS = [pytest.mark.skip]\npytestmark = MARKS\ndef test_a(): pass",
        {"test_a": {"skip"}},
    ),
    (
        P + "@pytest.mark.parametrize('x', [1, pytest.param(2, marks=pytest.mark.skip)])\n"
        "def test_a(x): pass",
        {"test_a[1]": set(), "test_a[2]": {"skip"}},
    ),
    (
        P + "@pytest.mark.parametrize('x', [pytest.param(2, marks=[pytest.mark.xfail])])\n"
        "def test_a(x): pass",
        {"test_a[2]": {"xfail"}},
    ),
    (P + "def test_a():\n    pytest.skip('r')", {"test_a": {"runtime-skip"}}),
    (P + "def test_a():\n    if True:\n        pytest.xfail('r')", {"test_a": {"runtime-xfail"}}),
    (P + "def test_a():\n    np = pytest.importorskip('numpy')", {"test_a": {"importorskip"}}),
    (P + "def test_a():\n    raise pytest.skip.Exception('r')", {"test_a": {"runtime-skip"}}),
    (P + "def test_a():\n    def inner():\n        pytest.skip()\n", {"test_a": {"runtime-skip"}}),
    (
        P + "def test_a(request):\n    request.node.add_marker(pytest.mark.xfail)",
        {"test_a": {"runtime-xfail"}},
    ),
    ("from pytest import skip\ndef test_a():\n    skip()", {"test_a": {"runtime-skip"}}),
    (
        "import sys\nimport pytest\ndef test_a():\n    sys.modules['pytest'].skip()",
        {"test_a": {"runtime-skip"}},
    ),
    (
        "import importlib\ndef test_a():\n    importlib.import_module('pytest').skip()",
        {"test_a": {"runtime-skip"}},
    ),
    (
        P + "def h():\n    pytest.skip()\ndef g():\n    h()\ndef test_a():\n    g()",
        {"test_a": {"runtime-skip"}},
    ),
    (
        P + "pytest.skip('r', allow_module_level=True)\ndef test_a(): pass",
        {"test_a": {"module-skip"}},
    ),
    (
        P + "try:\n    import numpy\nexcept ImportError:\n"
        "    pytest.skip('r', allow_module_level=True)\n"
        "def test_a(): pass",
        {"test_a": {"module-skip"}},
    ),
    (
        P + "np = pytest.importorskip('numpy', minversion='1')\ndef test_a(): pass",
        {"test_a": {"importorskip"}},
    ),
    (U + "raise unittest.SkipTest('r')\ndef test_a(): pass", {"test_a": {"module-skip"}}),
    (
        U + "class C(unittest.TestCase):\n    @unittest.skip('r')\n    def test_a(self): pass",
        {"C::test_a": {"unittest-skip"}},
    ),
    (
        U + "class C(unittest.TestCase):\n    @unittest.skip\n    def test_a(self): pass",
        {"C::test_a": {"unittest-skip"}},
    ),
    (
        U + "class C(unittest.TestCase):\n    @unittest.skipIf(False, 'r')\n"
        "    def test_a(self): pass",
        {"C::test_a": {"unittest-skipif"}},
    ),
    (
        "from unittest import TestCase, skipUnless\nclass C(TestCase):\n    @skipUnless(1, 'r')\n"
        "    def test_a(self): pass",
        {"C::test_a": {"unittest-skipunless"}},
    ),
    (
        U
        + "class C(unittest.TestCase):\n    @unittest.expectedFailure\n    def test_a(self): pass",
        {"C::test_a": {"expected-failure"}},
    ),
    (
        U + "@unittest.skip('r')\nclass C(unittest.TestCase):\n    def test_a(self): pass",
        {"C::test_a": {"unittest-skip"}},
    ),
    (
        U + "class C(unittest.TestCase):\n    def test_a(self):\n        self.skipTest('r')",
        {"C::test_a": {"runtime-skip"}},
    ),
    (
        "from unittest import SkipTest\ndef test_a():\n    raise SkipTest",
        {"test_a": {"runtime-skip"}},
    ),
    (
        U + "class C(unittest.TestCase):\n    @classmethod\n    def setUpClass(cls):\n"
        "        raise unittest.SkipTest('r')\n    def test_a(self): pass",
        {"C::test_a": {"runtime-skip"}},
    ),
    (U + "class C(unittest.TestCase):\n    def runTest(self): pass", {"C::runTest": set()}),
    (
        P
        + "@pytest.fixture\ndef db():\n    pytest.skip()\ndef test_a(db): pass\ndef test_b(): pass",
        {"test_a": {"fixture-skip"}, "test_b": set()},
    ),
    (
        P + "@pytest.fixture(name='d')\ndef _db():\n    pytest.skip()\n"
        "@pytest.mark.usefixtures('d')\ndef test_a(): pass",
        {"test_a": {"fixture-skip"}},
    ),
    (
        P + "@pytest.fixture(autouse=True)\ndef gate():\n    pytest.skip()\ndef test_a(): pass",
        {"test_a": {"fixture-skip"}},
    ),
    (
        P + "class TestK:\n    @pytest.fixture(autouse=True)\n"
        "    def gate(self):\n        pytest.skip()\n"
        "    def test_a(self): pass\ndef test_b(): pass",
        {"TestK::test_a": {"fixture-skip"}, "test_b": set()},
    ),
    (
        P + "def test_a(request):\n    request.getfixturevalue('db')\n"
        "@pytest.fixture\ndef db():\n    pytest.skip()",
        {"test_a": {"fixture-skip"}},
    ),
    (
        "class TestK:\n    __test__ = False\n    def test_a(self): pass",
        {"TestK::test_a": {"not-collected"}},
    ),
    ("def test_a(): pass\ntest_a.__test__ = False", {"test_a": {"not-collected"}}),
    (
        "class TestK:\n    def __init__(self): pass\n    def test_a(self): pass",
        {"TestK::test_a": {"not-collected"}},
    ),
    (
        "class Base:\n    __test__ = False\nclass TestK(Base):\n    def test_a(self): pass",
        {"TestK::test_a": {"not-collected"}},
    ),
    (
        "class Base:\n    __test__ = False\nclass TestK(Base):\n    __test__ = True\n"
        "    def test_a(self): pass",
        {"TestK::test_a": set()},
    ),
    (
        P + "# pytest.skip()\ndef test_a():\n    '''@pytest.mark.skip'''\n    x = 'pytest.skip()'",
        {"test_a": set()},
    ),
    (
        P + "@pytest.mark.slow\ndef test_a(): pass\ndef helper():\n    pytest.skip()",
        {"test_a": set()},
    ),
]


@pytest.mark.parametrize(("source", "expected"), FORMS, ids=[f"form{i}" for i in range(len(FORMS))])
def test_skip_forms(source: str, expected: dict[str, set[str]]) -> None:
    assert kinds(source) == expected


def test_skip_lines_and_details() -> None:
    (item,) = items("import pytest\n\n\ndef test_a():\n    x = 1\n    pytest.skip('later')\n")
    (skip,) = item.skips
    assert (skip.kind, skip.line, skip.describe()) == (
        "runtime-skip",
        6,
        "pytest.skip() in body, line 6",
    )


def test_names_follow_python_classes_and_functions() -> None:
    cfg = PytestConfig(python_classes=("Check", "*Suite"), python_functions=("it_", "*_should"))
    source = (
        "class CheckA:\n    def it_a(self): pass\n    def test_b(self): pass\n"
        "class MySuite:\n    def x_should(self): pass\ndef test_c(): pass\ndef it_d(): pass"
    )
    assert set(kinds(source, cfg=cfg)) == {"CheckA::it_a", "MySuite::x_should", "it_d"}


def test_nested_inherited_and_async_tests() -> None:
    source = """
        import pytest

        class TestBase:
            def test_base(self): pass

        class TestChild(TestBase):
            async def test_own(self): pass

            class TestInner:
                def test_deep(self): pass

        def test_fixture_named_test(): pass

        @pytest.fixture
        def test_data(): pass
    """
    assert set(kinds(source)) == {
        "TestBase::test_base",
        "TestChild::test_base",
        "TestChild::test_own",
        "TestChild::TestInner::test_deep",
        "test_fixture_named_test",
    }


def test_unittest_classes_collect_test_methods_whatever_their_name() -> None:
    source = (
        "import unittest\nclass Checks(unittest.TestCase):\n"
        "    def test_a(self): pass\n    def helper(self): pass\n"
    )
    assert set(kinds(source, cfg=PytestConfig(python_classes=("Nope",)))) == {"Checks::test_a"}


def test_marks_and_helpers_imported_from_repository_modules() -> None:
    helpers = analyze(
        "tests/marks.py",
        b"import pytest\nneeds = pytest.mark.skipif(True, reason='r')\n"
        b"def gate():\n    pytest.skip()\n",
    )
    world = Memory({"marks": helpers})
    source = (
        "from marks import needs, gate\n@needs\ndef test_a(): pass\ndef test_b():\n    gate()\n"
    )
    assert kinds(source, world=world) == {"test_a": {"skipif"}, "test_b": {"runtime-skip"}}


def test_a_file_that_does_not_parse_is_an_error() -> None:
    with pytest.raises(NotParsable, match=r"tests/test_x\.py:1"):
        items("def test_a(:\n")


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\nname = 'skip'\ndeco = getattr(pytest.mark, name)\n",
        "import pytest\nMARKS = {'a': 1}\nregister(pytest.mark.skip)\n",
    ],
)
def test_dynamic_constructs_are_undecidable(source: str) -> None:
    module = analyze("tests/test_x.py", source.encode())
    assert module.undecidable


def test_the_pytest_plugin_knows_the_marks_of_the_skip_forms_table() -> None:
    """pytest_plugin.py runs inside pytest and keeps its own copy: it must not drift."""
    from guards.collect.python.oracle import pytest_plugin
    from guards.collect.python.skip_forms import PYTEST_MARKS

    assert tuple(pytest_plugin.MARKS) == PYTEST_MARKS
