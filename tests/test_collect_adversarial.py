"""Adversarial spellings of "this test does not run", each checked against a real pytest run.

Every case is a small repository; the static collector's verdict per test (runs, or is kept
from running) must be what real pytest does when it runs the tree: tests it passes or fails
ran, tests it skips or xfails did not, tests it never collects are absent. A test defined
under an environment condition is a conditional skip statically; here the condition holds,
so real pytest runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guards.collect.model import TestItem, Undecidable
from guards.collect.python.collector import Collector, Request
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo

PLUGIN = """
import json, os
RESULTS = {}
def pytest_runtest_logreport(report):
    if report.skipped:
        RESULTS[report.nodeid] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
    elif report.failed:
        RESULTS.setdefault(report.nodeid, "failed")
    elif report.when == "call":
        RESULTS.setdefault(report.nodeid, "passed")
def pytest_sessionfinish(session):
    with open(os.environ["ADV_REPORT"], "w") as out:
        json.dump(RESULTS, out)
"""
RAN = {"passed", "failed"}


def real_outcomes(tree: Path, tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Node id -> outcome of a real pytest run of TREE (nothing when the session ended before
    it finished); EXTRA is added to its environment."""
    (tmp / "advplugin.py").write_text(PLUGIN)
    report = tmp / "report.json"
    report.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CI"))}
    env.update(PYTHONPATH=str(tmp), ADV_REPORT=str(report), PYTHONDONTWRITEBYTECODE="1")
    env.update(extra or {})
    args = [sys.executable, "-m", "pytest", "-q", "-p", "advplugin", "-p", "no:cacheprovider"]
    proc = subprocess.run(args, cwd=tree, env=env, capture_output=True, timeout=300, check=False)
    assert proc.returncode in (0, 1, 5), proc.stdout.decode(errors="replace")[-2000:]
    if not report.exists():
        return {}
    loaded: dict[str, str] = json.loads(report.read_text())
    return loaded


def static_items(tree: Path, sha: str) -> list[TestItem]:
    git = Git(tree)
    files = git.list_files(sha)
    results = Collector(Revision(git, sha, files)).collect(Request(tuple(files)))
    return [t for r in results.values() for t in r.tests]


def skip_kinds(tree: Path, sha: str) -> dict[str, set[str]]:
    """Test name (its node id's last part) -> the kinds of skip the static collector gives it."""
    return {t.nodeid.rsplit("::", 1)[1]: {s.kind for s in t.skips} for t in static_items(tree, sha)}


def agreed_kinds(
    tmp: Path, files: dict[str, str]
) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """``agree``'s runs and kept of FILES, and the static collector's skip_kinds of them."""
    runs, kept, _ = agree(tmp, files)
    tree, sha = build(tmp / "again", files)
    return runs, kept, skip_kinds(tree, sha)


def build(tmp: Path, files: dict[str, str]) -> tuple[Path, str]:
    repo = GitRepo(tmp / "repo")
    repo.write({p: textwrap.dedent(t) for p, t in files.items()})
    return repo.path, repo.commit("case")


def verdicts(items: list[TestItem]) -> tuple[set[str], set[str], set[str]]:
    """(runs, kept from running but collected, never collected) by the static collector."""
    runs, kept, absent = set(), set(), set()
    for item in items:
        kinds = {s.kind for s in item.skips} - {"conditional"}
        if kinds & {"not-collected", "ignored", "uncollected"}:
            absent.add(item.nodeid)
        elif kinds:
            kept.add(item.nodeid)
        else:
            runs.add(item.nodeid)
    return runs, kept, absent


def agree(tmp: Path, files: dict[str, str]) -> tuple[set[str], set[str], set[str]]:
    tree, sha = build(tmp, files)
    items = static_items(tree, sha)
    by_function = {t.nodeid for t in items if t.by_function}
    real = {_keyed(n, by_function): o for n, o in real_outcomes(tree, tmp).items()}
    runs, kept, absent = verdicts(items)
    assert runs == {n for n, o in real.items() if o in RAN}
    assert kept == {n for n, o in real.items() if o not in RAN}
    assert not absent & set(real)
    return runs, kept, absent


def _keyed(nodeid: str, by_function: set[str]) -> str:
    """A real node id, keyed by function where the static collector keys the test so."""
    function = nodeid.split("[", 1)[0]
    return function if function in by_function else nodeid


CAUGHT = """
import unittest

import pytest
from _pytest.outcomes import Skipped


def test_raises_skip_exception():
    with pytest.raises(pytest.skip.Exception):
        pytest.skip("asserted, not skipped")


def test_raises_skipped_with_match():
    with pytest.raises(Skipped, match="x"):
        pytest.skip("x")


def test_try_except_skip():
    try:
        pytest.skip("caught")
    except pytest.skip.Exception:
        pass


def test_raises_unittest_then_skips():
    with pytest.raises(unittest.SkipTest):
        raise unittest.SkipTest("caught")
    pytest.skip("this one is real")


def test_raises_other_exception():
    with pytest.raises(ValueError):
        pytest.skip("not caught by ValueError")


def test_raises_base_exception_tuple():
    with pytest.raises((ValueError, BaseException)):
        pytest.skip("caught by BaseException")
"""


def test_a_skip_caught_where_it_is_raised_is_not_a_skip(tmp_path: Path) -> None:
    runs, kept, _ = agree(tmp_path, {"tests/test_caught.py": CAUGHT})
    assert kept == {
        "tests/test_caught.py::test_raises_unittest_then_skips",
        "tests/test_caught.py::test_raises_other_exception",
    }
    assert len(runs) == 4


DYNAMIC = {
    "tests/__init__.py": "",
    "tests/helpers.py": """
        import pytest


        def __getattr__(name):
            return pytest.mark.skip(reason=name)
    """,
    "tests/test_dynamic.py": """
        import importlib

        import pytest
        import tests.helpers as h
        from tests.helpers import later


        @later
        def test_through_module_getattr():
            assert True


        @h.whatever
        def test_through_module_getattr_attribute():
            assert True


        def test_import_module_of_a_constant_expression():
            importlib.import_module("py" + "test").skip("x")


        def test_dunder_import_alias():
            m = __import__("pytest")
            m.skip("x")


        def test_exec_of_a_constant():
            exec("pytest.skip('x')")


        def test_eval_of_compile():
            eval(compile("pytest.skip('x')", "f", "eval"))


        def test_getattr_on_pytest():
            getattr(pytest, "s" "kip")("x")


        def test_exec_that_does_not_skip():
            exec("x = 1")


        def test_plain():
            assert True
    """,
}


def test_dynamic_spellings_of_a_skip_are_followed(tmp_path: Path) -> None:
    runs, kept, _ = agree(tmp_path, DYNAMIC)
    assert runs == {
        "tests/test_dynamic.py::test_exec_that_does_not_skip",
        "tests/test_dynamic.py::test_plain",
    }
    assert len(kept) == 7


UNDECIDABLE = {
    "getattr(pytest.mark, <computed name>)": """
        import pytest

        NAME = "skip".upper().lower()


        @getattr(pytest.mark, NAME)
        def test_a():
            assert True
    """,
    "exec() runs code that is not a constant": """
        import pytest

        CODE = "".join(["pytest.", "skip('x', allow_module_level=True)"])
        exec(CODE)


        def test_a():
            assert True
    """,
    "setattr(test_a, <computed name>, ...) may set __test__": """
        def test_a():
            assert True


        setattr(test_a, "__te" + "st__".strip(), False)
    """,
    "__test__ is set to a computed value": """
        import os

        __test__ = os.environ.get("CI") is None


        def test_a():
            assert True
    """,
}


@pytest.mark.parametrize("what", sorted(UNDECIDABLE))
def test_dynamic_constructs_that_cannot_be_followed_are_undecidable(
    tmp_path: Path, what: str
) -> None:
    tree, sha = build(tmp_path, {"tests/test_u.py": UNDECIDABLE[what]})
    with pytest.raises(Undecidable) as caught:
        static_items(tree, sha)
    assert caught.value.path == "tests/test_u.py"
    assert what in str(caught.value)
    assert caught.value.line > 0


STAR = {
    "tests/__init__.py": "",
    "tests/helpers.py": """
        import pytest
        from pytest import *

        later = pytest.mark.skip(reason="later")


        def needs_db():
            skip("no db")
    """,
    "tests/test_star.py": """
        from tests.helpers import *


        @later
        def test_alias_from_star():
            assert True


        def test_helper_from_star():
            needs_db()


        def test_pytest_name_through_two_stars():
            skip("direct")


        @mark.xfail
        def test_mark_through_two_stars():
            assert False


        def test_plain(tmp_path):
            assert tmp_path


        class TestDictBase(dict):
            def test_not_collected(self):
                assert True
    """,
    "tests/test_pytest_star.py": """
        from pytest import *


        @mark.skip
        def test_star_mark():
            assert True


        def test_star_skip():
            skip("x")


        def test_plain():
            assert True
    """,
}


def test_skip_names_arriving_by_star_import_are_followed(tmp_path: Path) -> None:
    runs, kept, absent = agree(tmp_path, STAR)
    assert runs == {"tests/test_star.py::test_plain", "tests/test_pytest_star.py::test_plain"}
    assert len(kept) == 6
    assert absent == {"tests/test_star.py::TestDictBase::test_not_collected"}


SESSION_END = {
    "tests/conftest.py": """
        import os

        import pytest


        def pytest_configure(config):
            if os.environ.get("CI"):
                pytest.exit("done", returncode=0)
    """,
    "tests/test_a.py": """
        def test_login():
            assert 1 + 1 == 2
    """,
}


def test_a_conftest_that_ends_the_session_on_ci_is_undecidable(tmp_path: Path) -> None:
    """Real pytest runs the test without CI, and nothing (exit 0) with CI set."""
    tree, sha = build(tmp_path, SESSION_END)
    assert real_outcomes(tree, tmp_path) == {"tests/test_a.py::test_login": "passed"}
    assert real_outcomes(tree, tmp_path, {"CI": "true"}) == {}
    with pytest.raises(Undecidable) as caught:
        static_items(tree, sha)
    assert (caught.value.path, caught.value.line) == ("tests/conftest.py", 9)
    assert "pytest.exit() in pytest_configure() may end the test session" in str(caught.value)


def test_a_conftest_that_ends_the_session_at_import_keeps_every_test_from_running(
    tmp_path: Path,
) -> None:
    files = {**SESSION_END, "tests/conftest.py": "import sys\n\nsys.exit(0)\n"}
    tree, sha = build(tmp_path, files)
    assert real_outcomes(tree, tmp_path) == {}
    [item] = static_items(tree, sha)
    assert [(s.kind, s.line, s.path) for s in item.skips] == [
        ("session-exit", 3, "tests/conftest.py")
    ]


CAUGHT_EXIT = {
    "tests/conftest.py": """
        import sys

        import pytest


        def run(args):
            sys.argv = args


        @pytest.fixture
        def cli():
            try:
                run(["tool"])
            except (SystemExit, KeyboardInterrupt) as exc:
                return exc
            except SystemExit:
                raise
    """,
    "tests/test_a.py": """
        def test_login(cli):
            assert cli is None
    """,
}


def test_a_conftest_that_catches_an_exit_ends_no_session(tmp_path: Path) -> None:
    """tox's ``except SystemExit as exception:`` around its own CLI: a handler's exception is
    caught, not raised (a bare ``raise`` raises what the ``try`` raised, read on its own)."""
    tree, sha = build(tmp_path, CAUGHT_EXIT)
    assert real_outcomes(tree, tmp_path) == {"tests/test_a.py::test_login": "passed"}
    assert [t.nodeid for t in static_items(tree, sha)] == ["tests/test_a.py::test_login"]
    raising = {
        **CAUGHT_EXIT,
        "tests/conftest.py": CAUGHT_EXIT["tests/conftest.py"]
        + ("\n\n        def pytest_configure(config):\n            raise SystemExit(0)\n"),
    }
    tree, sha = build(tmp_path / "raising", raising)
    with pytest.raises(Undecidable, match="raise SystemExit in pytest_configure"):
        static_items(tree, sha)


STRING_MARKERS = {
    "tests/conftest.py": """
        import pytest


        def pytest_collection_modifyitems(items):
            for item in items:
                if "flaky" in item.name:
                    item.add_marker("skip")


        @pytest.fixture
        def later(request):
            request.applymarker("xfail")
    """,
    "tests/test_markers.py": """
        def test_flaky_login():
            assert True


        def test_uses_later(later):
            assert False


        def test_marks_itself(request):
            request.node.add_marker("xfail")
            assert False


        def test_other_marker(request):
            request.node.add_marker("slow")


        def test_plain():
            assert True
    """,
}


def test_markers_given_by_name_are_the_marks_they_name(tmp_path: Path) -> None:
    runs, kept, _ = agree(tmp_path, STRING_MARKERS)
    assert runs == {"tests/test_markers.py::test_other_marker", "tests/test_markers.py::test_plain"}
    assert len(kept) == 3


def test_a_marker_given_by_a_computed_name_is_undecidable(tmp_path: Path) -> None:
    conftest = """
        def pytest_collection_modifyitems(items):
            for item in items:
                item.add_marker("sk" + "ip".strip())
    """
    tree, sha = build(
        tmp_path, {"tests/conftest.py": conftest, "tests/test_a.py": "def test_a(): pass\n"}
    )
    with pytest.raises(Undecidable) as caught:
        static_items(tree, sha)
    assert (caught.value.path, caught.value.line) == ("tests/conftest.py", 4)
    assert "getattr(pytest.mark, <computed name>)" in str(caught.value)


def test_the_ini_usefixtures_option_is_followed_like_autouse(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\nusefixtures = not_on_ci clean\n",
        "tests/conftest.py": """
            import pytest


            @pytest.fixture
            def not_on_ci():
                pytest.skip("not on CI")


            @pytest.fixture
            def clean():
                yield
        """,
        "tests/test_a.py": "def test_login():\n    assert True\n",
    }
    _, kept, _ = agree(tmp_path, files)
    assert kept == {"tests/test_a.py::test_login"}


def test_options_rewritten_in_pytest_configure_are_undecidable(tmp_path: Path) -> None:
    files = {
        "tests/conftest.py": """
            def pytest_configure(config):
                config.option.keyword = "not login"
        """,
        "tests/test_a.py": "def test_login():\n    assert True\n",
    }
    tree, sha = build(tmp_path, files)
    assert real_outcomes(tree, tmp_path) == {}  # deselected: it never runs
    with pytest.raises(Undecidable) as caught:
        static_items(tree, sha)
    assert (caught.value.path, caught.value.line) == ("tests/conftest.py", 3)
    assert "config.option.keyword" in str(caught.value)


def test_an_empty_parameter_set_from_pytest_generate_tests_skips(tmp_path: Path) -> None:
    files = {
        "tests/conftest.py": """
            NONE = []


            def pytest_generate_tests(metafunc):
                if "user" in metafunc.fixturenames:
                    metafunc.parametrize("user", NONE)
        """,
        "tests/test_a.py": """
            def pytest_generate_tests(metafunc):
                if "n" in metafunc.fixturenames:
                    metafunc.parametrize(argnames="n", argvalues=[])


            def test_login(user):
                assert user


            def test_count(n):
                assert n


            def test_plain():
                assert True
        """,
    }
    runs, kept, _ = agree(tmp_path, files)
    assert runs == {"tests/test_a.py::test_plain"}
    assert kept == {"tests/test_a.py::test_login", "tests/test_a.py::test_count"}


RUN_TIME_CODE = """
import importlib

import pytest


def test_getattr_on_pytest(name="skip"):
    getattr(pytest, name)("x")


def test_import_module_of_a_computed_name(name="pytest"):
    importlib.import_module(name).skip("x")


def test_exec_of_computed_code(code="pytest.skip('x')"):
    exec(code)


def test_plain():
    assert True
"""


def test_code_chosen_at_run_time_in_a_body_may_skip_that_test_only(tmp_path: Path) -> None:
    """Not the whole file: the other tests of the module are decided as usual."""
    _, kept, kinds = agreed_kinds(tmp_path, {"tests/test_run_time.py": RUN_TIME_CODE})
    assert kinds == {
        "test_getattr_on_pytest": {"dynamic-skip"},
        "test_import_module_of_a_computed_name": {"dynamic-skip"},
        "test_exec_of_computed_code": {"dynamic-skip"},
        "test_plain": set(),
    }
    assert len(kept) == 3


def test_the_table_of_library_bases_with_a_constructor_is_true() -> None:
    """Each stdlib base in the table gives its subclasses an __init__ or __new__ of its own
    (pytest's test); typing_extensions re-exports typing's classes."""
    import importlib
    import types

    from guards.collect.python.parsing.classes import CONSTRUCTOR_BASES

    checked = 0
    for sym in sorted(CONSTRUCTOR_BASES):
        module, _, name = sym.rpartition(".")
        if module == "typing_extensions":
            module = "typing"
        base = getattr(importlib.import_module(module), name)
        klass = types.new_class("TestProbe", (base,), exec_body=_in_this_module)
        own = [getattr(klass, m) is not getattr(object, m) for m in ("__init__", "__new__")]
        assert any(own), sym
        checked += 1
    assert checked == len(CONSTRUCTOR_BASES)


def _in_this_module(namespace: dict[str, object]) -> None:
    namespace["__module__"] = __name__


BRANCH_ALIASES = {
    "conftest.py": """
        import sys

        sys._running_pytest = True
    """,
    "pkg/__init__.py": "",
    "pkg/testing/__init__.py": "",
    "pkg/testing/pytest.py": """
        import sys

        try:
            import pytest
            USE_PYTEST = getattr(sys, "_running_pytest", False)
        except ImportError:
            USE_PYTEST = False

        if USE_PYTEST:
            skip = pytest.skip
            XFAIL = pytest.mark.xfail
            SKIP = pytest.mark.skip
            slow = pytest.mark.slow
        else:
            def XFAIL(func):
                return func

            def skip(reason):
                raise RuntimeError(reason)

            def SKIP(reason):
                return lambda func: func

            def slow(func):
                return func
    """,
    "pkg/tests/__init__.py": "",
    "pkg/tests/test_a.py": """
        from pkg.testing.pytest import SKIP, XFAIL, skip, slow


        @XFAIL
        def test_known_bug():
            assert 1 == 2


        @SKIP("not now")
        def test_skipped():
            assert True


        @slow
        def test_slow():
            assert True


        def test_runtime():
            skip("later")
    """,
}


def test_a_skip_alias_bound_on_one_branch_of_an_if_counts(tmp_path: Path) -> None:
    """sympy/testing/pytest.py: ``if USE_PYTEST: XFAIL = pytest.mark.xfail else: def XFAIL``."""
    runs, kept, _ = agree(tmp_path, BRANCH_ALIASES)
    assert runs == {"pkg/tests/test_a.py::test_slow"}
    assert len(kept) == 3


def test_a_mark_alias_bound_on_one_branch_of_an_if_is_deselected_by_m(tmp_path: Path) -> None:
    """sympy's ``slow = pytest.mark.slow`` (else ``def slow``) with ``-m 'not slow'``: pytest
    deselects the test, and so does the static collector."""
    files = {**BRANCH_ALIASES, "pytest.ini": '[pytest]\naddopts = -m "not slow"\n'}
    tree, sha = build(tmp_path, files)
    kinds = {t.nodeid: {s.kind for s in t.skips} for t in static_items(tree, sha)}
    assert kinds["pkg/tests/test_a.py::test_slow"] == {"deselected"}
    real = real_outcomes(tree, tmp_path)
    assert "pkg/tests/test_a.py::test_slow" not in real
    assert real["pkg/tests/test_a.py::test_known_bug"] == "xfailed"


BOUND_ONCE = """
import marshal

import pytest


def test_compiled_bytes_never_run():
    src = b"def test(): pass\\n"
    assert marshal.dumps(compile(src, "f", "exec"))


def test_exec_of_a_name_bound_to_compiled_code():
    co = compile("x = 1", "f", "exec")
    exec(co)


def test_exec_of_a_name_bound_to_a_compiled_skip():
    co = compile("pytest.skip('x')", "f", "exec")
    exec(co)


def test_exec_of_a_name_bound_to_a_skip():
    src = "pytest.skip('x')"
    exec(src)


def test_a_name_bound_twice_is_computed():
    src = "x = 1"
    src = "pytest.skip('x')"
    exec(src)


def test_a_parameter_of_the_same_name_is_another_variable():
    src = "x = 1"

    def run(src):
        exec(src)

    run("pytest.skip('x')")


def test_a_loop_target_is_computed():
    for src in ["pytest.skip('x')"]:
        exec(src)
"""


def test_a_name_bound_once_runs_the_code_it_holds(tmp_path: Path) -> None:
    """``src = b"..."; compile(src, ...)`` and ``co = compile("..."); exec(co)`` read the code
    (pytest's own test_excinfo.py and test_assertrewrite.py were "code chosen at run time");
    a name bound any other way too stays computed."""
    runs, kept, kinds = agreed_kinds(tmp_path, {"tests/test_bound.py": BOUND_ONCE})
    assert kinds == {
        "test_compiled_bytes_never_run": set(),
        "test_exec_of_a_name_bound_to_compiled_code": set(),
        "test_exec_of_a_name_bound_to_a_compiled_skip": {"runtime-skip"},
        "test_exec_of_a_name_bound_to_a_skip": {"runtime-skip"},
        "test_a_name_bound_twice_is_computed": {"dynamic-skip"},
        "test_a_parameter_of_the_same_name_is_another_variable": {"dynamic-skip"},
        "test_a_loop_target_is_computed": {"dynamic-skip"},
    }
    assert len(runs) == 2 and len(kept) == 5


READ_WHERE_BOUND = """
import pytest

src = "pytest.skip('the module src')"
code = "pytest.skip('the module code')"


def test_a_name_only_a_nested_function_binds_is_the_modules():
    def inner():
        src = "x = 1"

    exec(src)


def test_a_class_bodys_name_is_not_its_methods():
    class Holder:
        code = "x = 1"

        def run(self):
            exec(code)

    Holder().run()


def test_a_nested_function_reads_the_enclosing_binding():
    src = "x = 1"

    def inner():
        exec(src)

    inner()


def test_lines_joined_before_they_change():
    lines = ["if 1:\\n", "    x = 1\\n"]
    co = compile("".join(lines), "f", "exec")
    lines.append("pytest.skip('later')\\n")
    exec(co)


def test_joined_lines_of_a_skip():
    lines = ["pytest.skip(", "'joined')"]
    exec("".join(lines))


def test_lines_changed_before_the_join():
    lines = ["x = 1\\n"]
    lines.append("pytest.skip('appended')\\n")
    exec("".join(lines))


def test_lines_reached_without_their_name():
    lines = ["x = 1\\n"]
    locals()["lines"].append("pytest.skip('through locals')\\n")
    exec("".join(lines))


def test_a_tuple_is_joined_wherever_it_is_read():
    parts = ("pytest.", "skip('tuple')")
    print(parts)
    exec("".join(parts))


def test_a_class_body_rebinds_through_its_namespace():
    class Holder:
        code = "x = 1"
        locals()["code"] = "pytest.skip('rebound')"
        exec(code)


def test_a_repetition_of_constant_code():
    count = 3
    exec("\\n" * count + "x = 1")


def test_a_repetition_of_a_skip():
    exec("pytest.skip('twice');" * 2)


def test_exec_of_what_eval_returns():
    exec(eval("'pytest.' + 'skip(\\"returned\\")'"))


def test_compile_of_what_eval_returns():
    exec(compile(eval("'pytest.skip(\\"compiled\\")'"), "f", "exec"))


def test_eval_of_compiled_code():
    assert eval(compile("1 + 1", "f", "eval")) == 2
"""


def test_a_name_is_read_where_its_one_binding_is_seen(tmp_path: Path) -> None:
    """A name only a nested function or a class body binds is a global to the code around it
    (reading it as that binding's value let a module's skip through); a list joined into code
    is its value only where nothing can have changed it (pytest's own test_findsource was "code
    chosen at run time"); a tuple, a joined literal and a repetition are constants; what an
    eval returns, run as code, is computed (only compile returns the code it is given). Each as
    real pytest runs it."""
    runs, kept, kinds = agreed_kinds(tmp_path, {"tests/test_read.py": READ_WHERE_BOUND})
    assert kinds == {
        "test_a_name_only_a_nested_function_binds_is_the_modules": {"dynamic-skip"},
        "test_a_class_bodys_name_is_not_its_methods": {"dynamic-skip"},
        "test_a_nested_function_reads_the_enclosing_binding": set(),
        "test_lines_joined_before_they_change": set(),
        "test_joined_lines_of_a_skip": {"runtime-skip"},
        "test_lines_changed_before_the_join": {"dynamic-skip"},
        "test_lines_reached_without_their_name": {"dynamic-skip"},
        "test_a_tuple_is_joined_wherever_it_is_read": {"runtime-skip"},
        "test_a_class_body_rebinds_through_its_namespace": {"dynamic-skip"},
        "test_a_repetition_of_constant_code": set(),
        "test_a_repetition_of_a_skip": {"runtime-skip"},
        "test_exec_of_what_eval_returns": {"dynamic-skip"},
        "test_compile_of_what_eval_returns": {"dynamic-skip"},
        "test_eval_of_compiled_code": set(),
    }
    assert len(runs) == 4 and len(kept) == 10


def test_code_past_the_bound_is_computed_before_it_is_built(tmp_path: Path) -> None:
    """A repetition that would spell more than MAX_CODE characters is not built (``"\\n" *
    10**12`` would take the machine's memory): it is code chosen at run time; one under it is
    read."""
    source = 'def test_huge():\n    exec("\\\\n" * 1_000_000_000_000 + "x = 1")\n'
    source += 'def test_under():\n    exec("\\\\n" * 100_000 + "x = 1")\n'
    tree, sha = build(tmp_path, {"tests/test_huge.py": source})
    kinds = skip_kinds(tree, sha)
    assert kinds == {"test_huge": {"dynamic-skip"}, "test_under": set()}


RUNNERS_AS_VALUES = """
import builtins
import functools
import os

import pytest


def test_exec_mapped_over_code():
    list(map(exec, ["pytest.skip('mapped')"]))


def test_exec_taken_from_a_tuple():
    run = (exec,)[0]
    run("pytest.skip('taken')")


def test_exec_in_a_partial():
    functools.partial(exec, "pytest.skip('partial')")()


def test_the_builtins_by_another_name():
    found = __builtins__["exec"] if isinstance(__builtins__, dict) else __builtins__.exec
    found("pytest.skip('another name')")


def test_a_computed_name_of_the_builtins():
    getattr(builtins, os.environ.get("GUARDS_NEVER_SET", "exec"))("pytest.skip('computed')")


def test_a_name_the_function_binds_is_its_own():
    eval = classmethod(lambda cls: None)
    assert eval is not None


def test_the_builtins_module_passed_along(monkeypatch):
    monkeypatch.setattr(builtins, "input", lambda *_: "y")
    assert input() == "y"
"""


def test_exec_eval_or_compile_passed_as_a_value_runs_code_chosen_at_run_time(
    tmp_path: Path,
) -> None:
    """``map(exec, codes)``, ``(exec,)[0]``, ``partial(exec, ...)``, ``__builtins__["exec"]``,
    ``getattr(builtins, name)``: the gate passed each (a skip it never saw); what such a runner
    runs is not known. A local named ``eval`` (sympy's test_function.py) and the builtins
    module handed to monkeypatch run nothing. Each as real pytest runs it."""
    runs, kept, kinds = agreed_kinds(tmp_path, {"tests/test_values.py": RUNNERS_AS_VALUES})
    assert kinds == {
        "test_exec_mapped_over_code": {"dynamic-skip"},
        "test_exec_taken_from_a_tuple": {"dynamic-skip"},
        "test_exec_in_a_partial": {"dynamic-skip"},
        "test_the_builtins_by_another_name": {"dynamic-skip"},
        "test_a_computed_name_of_the_builtins": {"dynamic-skip"},
        "test_a_name_the_function_binds_is_its_own": set(),
        "test_the_builtins_module_passed_along": set(),
    }
    assert len(runs) == 2 and len(kept) == 5


MARKS_BY_HAND = """
import pytest
from _pytest.mark.structures import Mark, MarkDecorator, MarkGenerator


@pytest.mark.__getattr__("skip")
def test_a_mark_looked_up():
    pass


@MarkDecorator(Mark("skip", (), {}))
def test_a_mark_built_by_hand():
    pass


@MarkGenerator(_ispytest=True).xfail(reason="generated")
def test_a_mark_of_a_generator_built_by_hand():
    assert False


@MarkDecorator(Mark("slow", (), {}))
def test_a_mark_that_skips_nothing():
    pass
"""


def test_marks_looked_up_or_built_by_hand_are_the_marks(tmp_path: Path) -> None:
    """``pytest.mark.__getattr__("skip")`` and ``MarkDecorator(Mark("skip", ...))`` skip as
    ``@pytest.mark.skip`` does: the gate passed both (a custom mark named ``__getattr__``, and
    a call of a class). A computed name is undecidable, as ``getattr``'s is. Each as real
    pytest runs it."""
    files = {
        "tests/test_hand.py": MARKS_BY_HAND,
        "pytest.ini": "[pytest]\nmarkers =\n    slow: slow\n",
    }
    runs, kept, kinds = agreed_kinds(tmp_path, files)
    assert kinds == {
        "test_a_mark_looked_up": {"skip"},
        "test_a_mark_built_by_hand": {"skip"},
        "test_a_mark_of_a_generator_built_by_hand": {"xfail"},
        "test_a_mark_that_skips_nothing": set(),
    }
    assert len(runs) == 1 and len(kept) == 3
    computed = 'import pytest\n@pytest.mark.__getattr__("s" + input())\ndef test_x():\n    pass\n'
    tree, sha = build(tmp_path / "computed", {"tests/test_computed.py": computed})
    with pytest.raises(Undecidable, match="computed name"):
        static_items(tree, sha)


CAUGHT_BY_WHAT_IT_RAISES = """
import unittest

import pytest
from _pytest.outcomes import OutcomeException


def test_raises_xfail_lets_a_skip_through():
    with pytest.raises(pytest.xfail.Exception):
        pytest.skip("through")


def test_raises_skiptest_lets_pytest_skip_through():
    with pytest.raises(unittest.SkipTest):
        pytest.skip("through")


def test_an_xfail_handler_lets_a_skip_through():
    try:
        pytest.skip("through")
    except pytest.xfail.Exception:
        pass


def test_exception_catches_skiptest():
    try:
        raise unittest.SkipTest("caught")
    except Exception:
        pass


def test_exception_lets_pytest_skip_through():
    try:
        pytest.skip("through")
    except Exception:
        pass


def test_outcome_exception_catches_xfail():
    with pytest.raises(OutcomeException):
        pytest.xfail("caught")


def test_a_tuple_that_holds_the_skip_catches_it():
    try:
        pytest.skip("caught")
    except (ValueError, pytest.skip.Exception):
        pass
"""


def test_a_skip_is_caught_only_by_what_catches_what_it_raises(tmp_path: Path) -> None:
    """``pytest.raises(pytest.xfail.Exception)`` around ``pytest.skip()`` lets the skip through
    (Skipped is no XFailed): the gate took any skip exception for a catch of every skip. Each
    as real pytest runs it."""
    runs, kept, kinds = agreed_kinds(tmp_path, {"tests/test_caught.py": CAUGHT_BY_WHAT_IT_RAISES})
    assert kinds == {
        "test_raises_xfail_lets_a_skip_through": {"runtime-skip"},
        "test_raises_skiptest_lets_pytest_skip_through": {"runtime-skip"},
        "test_an_xfail_handler_lets_a_skip_through": {"runtime-skip"},
        "test_exception_catches_skiptest": set(),
        "test_exception_lets_pytest_skip_through": {"runtime-skip"},
        "test_outcome_exception_catches_xfail": set(),
        "test_a_tuple_that_holds_the_skip_catches_it": set(),
    }
    assert len(runs) == 3 and len(kept) == 4


HOOK_HELPERS = {
    "tests/conftest.py": """
        import pytest


        def _check(item):
            if item.name == "test_two":
                pytest.skip("through a helper")
            _deeper(item)


        def _deeper(node):
            if node.name.endswith("three"):
                node.add_marker(pytest.mark.xfail(reason="two calls down"))


        def pytest_runtest_setup(item):
            _check(item)
    """,
    "tests/test_hooked.py": """
        def test_one():
            pass


        def test_two():
            pass


        def test_three():
            assert False
    """,
}


def test_a_hook_skips_through_the_functions_of_its_conftest_it_gives_the_item(
    tmp_path: Path,
) -> None:
    """``pytest_runtest_setup(item): _check(item)`` where ``_check`` skips: the gate read the
    hook's own body alone and passed it. Each as real pytest runs it."""
    runs, kept, kinds = agreed_kinds(tmp_path, HOOK_HELPERS)
    assert kinds == {"test_one": set(), "test_two": {"runtime-skip"}, "test_three": {"xfail"}}
    assert len(runs) == 1 and len(kept) == 2


ENDS_SESSION = """
import os

import pytest


def test_ends_the_process():
    os._exit(0)


def test_never_runs():
    assert False
"""
EXITS = """
import pytest


def test_asserts_the_exit():
    with pytest.raises(pytest.exit.Exception):
        pytest.exit("caught")


def test_ends_the_session():
    pytest.exit("bye", returncode=0)


def test_never_runs():
    assert False
"""


RAISED_EXIT = """
import pytest
from _pytest.outcomes import Exit


class Done(Exit):
    pass


def test_asserts_the_exit():
    with pytest.raises(Exit):
        raise Done("caught")


def test_raises_exit():
    raise Exit("bye", returncode=0)


def test_never_runs():
    assert False
"""


ENDERS = [
    (ENDS_SESSION, "test_ends_the_process"),
    (EXITS, "test_ends_the_session"),
    (RAISED_EXIT, "test_raises_exit"),  # pytest.exit's exception, by the name _pytest gives it
]


@pytest.mark.parametrize(("source", "ender"), ENDERS)
def test_a_test_that_ends_the_session_with_success_is_found(
    tmp_path: Path, source: str, ender: str
) -> None:
    """``os._exit(0)`` or ``pytest.exit(..., returncode=0)`` in a test body: every test after
    it never runs and real pytest exits 0, so the run looks green; the gate passed it (only a
    conftest's end was judged). A caught ``pytest.exit`` ends nothing."""
    tree, sha = build(tmp_path, {"tests/test_ends.py": source})
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tree, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip # -- one call
    assert run.returncode == 0 and "failed" not in run.stdout, run.stdout
    kinds = skip_kinds(tree, sha)
    assert kinds[ender] == {"ends-session"}
    assert kinds["test_never_runs"] == set()
    assert kinds.get("test_asserts_the_exit", set()) == set()


LOOKED_UP_BY_OTHER_MEANS = """
import functools
import operator
import unittest

import pytest


def test_a_getter_given_pytest():
    operator.attrgetter("skip")(pytest)("getter")


def test_pytests_namespace():
    pytest.__dict__["skip"]("namespace")


def test_getattribute_of_pytest():
    pytest.__getattribute__("skip")("getattribute")


def test_getattr_folded_over_names():
    functools.reduce(getattr, ["skip"], pytest)("reduce")


def test_getattr_of_a_starred_list():
    getattr(*[pytest, "skip"])("starred")


def test_skiptest_called_on_the_class():
    unittest.TestCase.skipTest(None, "on the class")


def test_an_attribute_set_on_pytest(monkeypatch):
    monkeypatch.setattr(pytest, "recorded", [], raising=False)
    assert pytest.recorded == []
"""


def test_a_skip_looked_up_by_other_means_than_getattr_is_found(tmp_path: Path) -> None:
    """pytest given to a getter, its ``__dict__``, ``__getattribute__``, getattr passed as a
    value or given a starred list, ``TestCase.skipTest`` on the class: the gate passed each.
    An attribute that is no skip's set on pytest runs nothing. Each as real pytest runs it."""
    runs, kept, kinds = agreed_kinds(tmp_path, {"tests/test_other.py": LOOKED_UP_BY_OTHER_MEANS})
    assert kinds == {
        "test_a_getter_given_pytest": {"dynamic-skip"},
        "test_pytests_namespace": {"dynamic-skip"},
        "test_getattribute_of_pytest": {"runtime-skip"},
        "test_getattr_folded_over_names": {"dynamic-skip"},
        "test_getattr_of_a_starred_list": {"dynamic-skip"},
        "test_skiptest_called_on_the_class": {"runtime-skip"},
        "test_an_attribute_set_on_pytest": set(),
    }
    assert len(runs) == 1 and len(kept) == 6


FORKED = """
import os


def test_a_forked_child_exits():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def test_a_child_in_the_else_branch():
    pid, _ = os.forkpty() if False else (os.fork(), None)
    child = os.fork()
    if child:
        os.waitpid(child, 0)
    else:
        os._exit(0)


def test_a_pid_that_is_no_fork_ends_the_session():
    pid = 0
    if pid == 0:
        os._exit(0)
"""


def test_os_exit_in_a_forked_childs_branch_ends_the_child_only(tmp_path: Path) -> None:
    """``pid = os.fork()`` then ``if pid == 0: os._exit(0)``: the child ends, the session goes
    on (this project's own lookahead tests); a name that no fork bound is no child's pid."""
    tree, sha = build(tmp_path, {"tests/test_fork.py": FORKED})
    assert skip_kinds(tree, sha) == {
        "test_a_forked_child_exits": set(),
        "test_a_child_in_the_else_branch": set(),
        "test_a_pid_that_is_no_fork_ends_the_session": {"ends-session"},
    }
