"""Parametrize ids computed statically, as pytest's IdMaker makes them (pure tables)."""

from __future__ import annotations

import pytest

from guards.collect.python.parsing.id_values import ascii_escaped, unique
from tests.collect_support import items

CASES = [
    ('"x", [1, 2]', ["1", "2"]),
    ('"x", ["", "b"]', ["", "b"]),
    ('"x", [-1, 2.5, 1j, True, None]', ["-1", "2.5", "1j", "True", "None"]),
    ('"x", ["a b", "caf\\u00e9", b"\\xff", "t\\tab"]', ["a b", "caf\\xe9", "\\xff", "t\\tab"]),
    ('"x", [[1], (1, 2), {"k": 1}, {1}]', ["x0", "x1", "x2", "x3"]),
    ('"x", [int, len, helper]', ["int", "len", "helper"]),
    ('"x", [lambda: 1]', ["<lambda>"]),
    ('"x", [1, 1, 2]', ["1_0", "1_1", "2"]),
    ('"x", ["a", "a"]', ["a0", "a1"]),
    ('"a,b", [(1, 2), (3, 4)]', ["1-2", "3-4"]),
    ('("a", "b"), [[1, 2]]', ["1-2"]),
    ('"a, b ,", [(1, 2)]', ["1-2"]),
    ('"x,", [(1,), (2,)]', ["1", "2"]),
    ('"x", [1, 2], ids=["one", None]', ["one", "2"]),
    ('"x", [1, 2], ids=[10, 20]', ["10", "20"]),
    ('"x", [pytest.param(1, id="p"), pytest.param(2)]', ["p", "2"]),
    ('"x", CASES', ["7", "8"]),
    ('"x", []', ["NOTSET"]),
    ('"x", ["y" * 3]', ["yyy"]),
    ('"x", ["y" * 10**9]', None),
    (
        '"x", [f"e:{os.sep}", ">=" + "1" * 3, -(-3), b"a" * 2, f"{1.5:.1f}"]',
        ["e:/", ">=111", "3", "aa", "1.5"],
    ),
    ('"x", [f"{helper}"]', None),  # never a made-up id (it once read x0)
    ('"x", [f"{UNKNOWN}"]', None),
    ('"x", [2 ** 3]', None),
    ('"x", [Color.RED]', None),
    ('"x", range(3)', None),
    ('"x", [1], ids=str', None),
    ('"x", [make()]', None),
]


@pytest.mark.parametrize(("args", "ids"), CASES)
def test_ids(args: str, ids: list[str] | None) -> None:
    source = f"""
        import os

        import pytest

        CASES = [7, 8]


        def helper():
            pass


        @pytest.mark.parametrize({args})
        def test_f(x=None, a=None, b=None):
            pass
    """
    found = items(source)
    if ids is None:
        assert [t.nodeid for t in found] == ["tests/test_x.py::test_f"]
        assert found[0].by_function
    else:
        assert [t.nodeid.split("[", 1)[1][:-1] for t in found] == ids
        assert not any(t.by_function for t in found)


def test_long_strings_fall_back_to_the_argument_name() -> None:
    long = "z" * 101
    found = items(
        f'import pytest\n@pytest.mark.parametrize("s", ["{long}", "short"])\ndef test_s(s): pass\n'
    )
    assert [t.nodeid.rsplit("[", 1)[1] for t in found] == ["s0]", "short]"]


def test_stacked_parametrize_puts_the_nearest_decorator_first() -> None:
    source = """
        import pytest

        @pytest.mark.parametrize("outer", [1, 2])
        @pytest.mark.parametrize("inner", ["a"])
        def test_f(outer, inner):
            pass
    """
    assert sorted(t.nodeid.split("[")[1] for t in items(source)) == ["a-1]", "a-2]"]


def test_class_parametrize_comes_after_the_method_own() -> None:
    source = """
        import pytest

        @pytest.mark.parametrize("c", [0])
        class TestK:
            @pytest.mark.parametrize("m", ["x"])
            def test_f(self, c, m):
                pass
    """
    assert [t.nodeid for t in items(source)] == ["tests/test_x.py::TestK::test_f[x-0]"]


def test_a_literal_parametrized_fixture_expands_node_ids() -> None:
    source = """
        import pytest

        @pytest.fixture(params=[1, 2])
        def number(request):
            return request.param

        def test_f(number):
            pass
    """
    assert [t.nodeid for t in items(source)] == [
        "tests/test_x.py::test_f[1]",
        "tests/test_x.py::test_f[2]",
    ]


def test_a_fixture_with_computed_params_keys_tests_by_function() -> None:
    source = """
        import pytest

        @pytest.fixture(params=list(range(2)))
        def number(request):
            return request.param

        def test_f(number):
            pass
    """
    (found,) = items(source)
    assert found.nodeid == "tests/test_x.py::test_f"
    assert "parametrized fixture 'number'" in found.by_function


def test_fixtures_whose_order_pytest_versions_disagree_on_key_by_function() -> None:
    """Depth first (pytest 9) gives a-c-b, breadth first (pytest 8) a-b-c: no id is emitted."""
    source = """
        import pytest

        @pytest.fixture(params=[1])
        def c(request):
            return 1

        @pytest.fixture(params=[1])
        def a(request, c):
            return 1

        @pytest.fixture(params=[1])
        def b(request):
            return 1

        def test_f(a, b):
            pass
    """
    (found,) = items(source)
    assert "order" in found.by_function


def test_a_fixture_with_a_callable_scope_keys_by_function_when_order_matters() -> None:
    source = """
        import pytest

        @pytest.fixture(params=[1], scope=lambda fixture_name, config: "module")
        def a(request):
            return 1

        @pytest.fixture(params=[2])
        def b(request):
            return 1

        def test_f(b, a):
            pass

        def test_g(a):
            pass
    """
    f, g = items(source)
    assert "scope" in f.by_function
    assert g.nodeid == "tests/test_x.py::test_g[1]"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain", "plain"),
        ("\n", "\\n"),
        ("\x00", "\\x00"),
        ("\u2603", "\\u2603"),
        (b"\x01a", "\\x01a"),
    ],
)
def test_ascii_escaped(value: str | bytes, escaped: str) -> None:
    assert ascii_escaped(value) == escaped


def test_unique_suffixes_like_pytest() -> None:
    assert unique(["a", "a", "a0"]) == ["a1", "a2", "a0"]
    assert unique(["x1", "x1"]) == ["x1_0", "x1_1"]
    assert unique(["p", "q"]) == ["p", "q"]


def test_an_enum_member_is_named_only_when_the_class_is_a_plain_enum_still_bound() -> None:
    source = """
        import enum
        import pytest

        class Color(enum.Enum):
            RED = 1

        class Rebound(enum.Enum):
            A = 1

        Rebound = dict(A=2)

        def wrap(cls):
            return cls

        @wrap
        class Wrapped(enum.Enum):
            B = 1

        @pytest.mark.parametrize("c", [Color.RED])
        def test_plain(c):
            pass

        @pytest.mark.parametrize("c", [Rebound.A])
        def test_rebound(c):
            pass

        @pytest.mark.parametrize("c", [Wrapped.B])
        def test_wrapped(c):
            pass
    """
    found = {t.nodeid.split("::")[1]: t.by_function for t in items(source)}
    assert found["test_plain[Color.RED]"] == ""
    assert found["test_rebound"] and found["test_wrapped"]
