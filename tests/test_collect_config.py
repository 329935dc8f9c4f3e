"""pytest configuration, addopts, -k/-m expressions and file discovery (pure tables)."""

from __future__ import annotations

import pytest

from guards.collect.model import Undecidable
from guards.collect.python.config import addopts
from guards.collect.python.config import match_expr as matchexpr
from guards.collect.python.config import pytest_config as pyconfig
from guards.collect.python.config.paths import decide, fnmatch_ex, name_matches
from guards.collect.python.config.roots import glob_match


def load(files: dict[str, str]) -> pyconfig.PytestConfig:
    return pyconfig.load(lambda name: files[name].encode() if name in files else None)


@pytest.mark.parametrize(
    ("files", "source", "python_files"),
    [
        ({}, "", ("test_*.py", "*_test.py")),
        (
            {"pytest.ini": "[pytest]\npython_files = a_*.py b_*.py\n"},
            "pytest.ini",
            ("a_*.py", "b_*.py"),
        ),
        (
            {"pytest.ini": "# no section\n", "tox.ini": "[pytest]\npython_files=t_*.py\n"},
            "pytest.ini",
            ("test_*.py", "*_test.py"),
        ),
        (
            {"pyproject.toml": '[tool.pytest.ini_options]\npython_files = ["p_*.py"]\n'},
            "pyproject.toml",
            ("p_*.py",),
        ),
        (
            {"pyproject.toml": '[tool.pytest]\npython_files = ["n_*.py"]\n'},
            "pyproject.toml",
            ("n_*.py",),
        ),
        (
            {
                "pyproject.toml": '[project]\nname = "x"\n',
                "setup.cfg": "[tool:pytest]\npython_files = s_*.py\n",
            },
            "setup.cfg",
            ("s_*.py",),
        ),
        (
            {"tox.ini": "[tox]\nenvlist = py\n", "setup.cfg": "[metadata]\nname = x\n"},
            "",
            ("test_*.py", "*_test.py"),
        ),
        (
            {"pytest.toml": '[pytest]\npython_files = ["q_*.py"]\n', "pytest.ini": "[pytest]\n"},
            "pytest.toml",
            ("q_*.py",),
        ),
    ],
)
def test_config_file_order(
    files: dict[str, str], source: str, python_files: tuple[str, ...]
) -> None:
    cfg = load(files)
    assert (cfg.source, cfg.python_files) == (source, python_files)


def test_config_keys() -> None:
    cfg = load(
        {
            "pytest.ini": "[pytest]\ntestpaths = tests\n  more\nnorecursedirs = legacy\n"
            "addopts = -q --deselect 'a b'\nempty_parameter_set_mark = xfail\n"
        }
    )
    assert cfg.testpaths == ("tests", "more")
    assert cfg.norecursedirs == ("legacy",)
    assert cfg.addopts == ("-q", "--deselect", "a b")
    assert cfg.empty_parameter_set_mark == "xfail"


def test_broken_config_is_undecidable() -> None:
    with pytest.raises(Undecidable, match=r"pyproject\.toml"):
        load({"pyproject.toml": "[tool.pytest\n"})


@pytest.mark.parametrize(
    ("opts", "field", "value"),
    [
        ("--deselect a::b --deselect=c", "deselect", ("a::b", "c")),
        ("--ignore=x --ignore y", "ignore", ("x", "y")),
        ("--ignore-glob '*_old.py'", "ignore_glob", ("*_old.py",)),
        ("-k 'not slow' -k fast", "keyword", "fast"),
        ("-knot_slow", "keyword", "not_slow"),
        ("-m 'not db'", "markexpr", "not db"),
        ("-q tests/unit", "args", ("tests/unit",)),
        ("-o python_files=x_*.py", "overrides", {"python_files": "x_*.py"}),
        ("-ra -vv --tb=short -n 4 --cov=src --strict-markers -p no:cacheprovider", "args", ()),
        # pydantic: a plugin's option and its value; the value may be a path argument instead
        ("--benchmark-columns min,mean --benchmark-disable", "maybe_values", ("min,mean",)),
        ("--benchmark-columns min,mean --benchmark-disable t", "args", ("min,mean", "t")),
        ("--benchmark-warmup=on t", "maybe_values", ()),
        ("--tb short t", "maybe_values", ()),
    ],
)
def test_addopts(opts: str, field: str, value: object) -> None:
    sel = addopts.parse(tuple(pyconfig._args("x", "addopts", opts)), "pytest.ini")
    assert getattr(sel, field) == value


@pytest.mark.parametrize(
    "opts",
    [
        "-c other.ini",
        "--rootdir=x",
        "--pyargs",
        "--lf",
        "-p no:unittest",
        "--noconftest",
        "--only-rerun x",
        "-Z",
        "--deselect",
    ],
)
def test_addopts_that_cannot_be_followed(opts: str) -> None:
    with pytest.raises(Undecidable):
        addopts.parse(tuple(opts.split()), "pytest.ini")


@pytest.mark.parametrize(
    ("expr", "names", "result"),
    [
        ("login", {"test_login"}, True),
        ("LOGIN", {"test_login"}, True),
        ("not login", {"test_login"}, False),
        ("a and not b", {"xa", "yb"}, False),
        ("a or (b and c)", {"b", "c"}, True),
        ("", {"a"}, False),
    ],
)
def test_keyword_expressions(expr: str, names: set[str], result: bool) -> None:
    assert (
        matchexpr.evaluate(matchexpr.parse(expr), matchexpr.keyword_matcher(frozenset(names)))
        is result
    )


@pytest.mark.parametrize("expr", ["a and", "(a", "a b", "not", "device(serial='1')"])
def test_bad_expressions(expr: str) -> None:
    with pytest.raises(ValueError):
        matchexpr.parse(expr)


def test_mark_expressions_are_exact() -> None:
    match = matchexpr.mark_matcher(frozenset({"slow"}))
    assert matchexpr.evaluate(matchexpr.parse("slow and not db"), match)
    assert not matchexpr.evaluate(matchexpr.parse("slo"), match)


@pytest.mark.parametrize(
    ("pattern", "path", "result"),
    [
        ("test_*.py", "a/b/test_x.py", True),
        ("*_test.py", "a/x_test.py", True),
        ("tests/*.py", "tests/a.py", True),
        ("tests/*.py", "src/tests/a.py", True),
        ("tests/*.py", "src/a.py", False),
        (".*", "a/.hidden", True),
    ],
)
def test_fnmatch_ex(pattern: str, path: str, result: bool) -> None:
    assert fnmatch_ex(pattern, path) is result


def test_name_patterns_are_prefixes_or_globs() -> None:
    assert name_matches("test_a", ("test",))
    assert name_matches("check_it", ("*_it",))
    assert not name_matches("it_check", ("*_it",))


def no_ignores(_: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    return (), (), ""


@pytest.mark.parametrize(
    ("path", "cfg", "opts", "roots", "status"),
    [
        ("tests/test_a.py", {}, "", (), "collect"),
        ("tests/helper.py", {}, "", (), "excluded"),
        ("tests/data.json", {}, "", (), "excluded"),
        ("build/test_a.py", {}, "", (), "excluded"),
        (".venv/lib/test_a.py", {}, "", (), "excluded"),
        ("tests/__pycache__/test_a.py", {}, "", (), "excluded"),
        ("legacy/test_a.py", {"norecursedirs": "legacy"}, "", (), "excluded"),
        ("tests/test_a.py", {}, "", ("tests",), "collect"),
        ("other/test_a.py", {}, "", ("tests",), "excluded"),
        ("tests/test_a.py", {}, "--ignore=tests", (), "ignored"),
        ("tests/test_a.py", {}, "--ignore-glob=*/test_a.py", (), "ignored"),
        ("tests/check_a.py", {}, "", ("tests/check_a.py",), "collect"),
    ],
)
def test_discovery(
    path: str, cfg: dict[str, str], opts: str, roots: tuple[str, ...], status: str
) -> None:
    config = pyconfig.from_values(cfg, "pytest.ini")
    sel = addopts.parse(tuple(opts.split()), "pytest.ini")
    assert decide(path, config, sel, roots, no_ignores).status == status


def test_collect_ignore_from_the_nearest_conftest() -> None:
    def ignores(folder: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
        return ("tests/old",), ("tests/*_slow.py",), "tests/conftest.py"

    sel = addopts.Selection()
    cfg = pyconfig.PytestConfig()
    assert (
        decide("tests/old/test_a.py", cfg, sel, (), ignores).why
        == "listed in collect_ignore in tests/conftest.py"
    )
    assert decide("tests/test_a_slow.py", cfg, sel, (), ignores).status == "ignored"
    assert decide("tests/test_b.py", cfg, sel, (), ignores).status == "collect"


@pytest.mark.parametrize(
    ("pattern", "path", "result"),
    [
        ("tests/*", "tests/unit", True),
        ("tests/*", "tests/a/b", False),
        ("**/unit", "a/b/unit", True),
    ],
)
def test_testpaths_globs(pattern: str, path: str, result: bool) -> None:
    assert glob_match(pattern, path) is result
