"""Which function bodies a listing reads (guards/collect/python/parsing/skip_reach.py): a body
whose text names a skip word or a name known to skip (as part of a word, in any script), a
lookup or a hot function of its module (as a word), and no other; the same with RE2 as with
Python's engine (which serves where RE2 refuses the pattern)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from guards.collect.python import collector
from guards.collect.python.collector import Collector, Request
from guards.collect.python.parsing import skip_reach
from guards.collect.python.parsing.analyze import Analyzer
from guards.collect.python.parsing.options import AnalysisOptions
from guards.collect.python.parsing.skip_reach import hot_functions, reaching_names
from guards.collect.python.skip_sets import skipped
from guards.collect.python.sources.reach import modules_named
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo

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

def skip_word_in_a_word():
    return importorskip_later

def runs_code():
    return eval(CODE)

def lookup_in_an_attribute():
    return sys.modules

def lookup_as_part_of_a_word():
    return expr.evalf() + recompile + sys_exit_code

def skip_as_a_default(stop=skip):
    stop("x")

def annotated_only(x: skip):
    return x

def looks_up_its_module():
    return globals()[NAME]("x")

def looks_up_a_function_module():
    return looks_up_a_function_module.__globals__[NAME]("x")

def only_catches():
    with pytest.raises(ValueError):
        int("x")
"""
KNOWN = ("needs_gpu", "пропуск")
HOT = {
    "uses_token",
    "uses_known",
    "uses_cyrillic",
    "calls_hot",
    "calls_hot_twice_removed",
    "skip_word_in_a_word",
    "runs_code",
    "lookup_in_an_attribute",
    "skip_as_a_default",  # a default is read by the body that calls its parameter
    "looks_up_its_module",
    "looks_up_a_function_module",
}


def hot_names() -> set[str]:
    tree = ast.parse(SOURCE)
    hot = hot_functions(tree, SOURCE.encode(), KNOWN)
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


ALIASED = """\
from helpers.gpu import needs_gpu as ng
from helpers.base import Base

later = ng


def uses_alias():
    ng()


def uses_alias_of_alias():
    later()


def helper():
    ng()


run = helper


def uses_local_alias():
    run()


class Open(Base):
    def uses_self(self):
        self.needs()

    def ignores_its_instance(me, x=None):
        return x


class Closed:
    def m(self):
        return self.other()

    def other(self):
        return 2


class Sub(Closed):
    def n(self):
        self.m()


def uses_open_class():
    Open().needs()


def uses_closed_class():
    Closed().m()


def annotated_only(x: ng = None):
    return x
"""
ALIASED_HOT = {
    "uses_alias",
    "uses_alias_of_alias",
    "helper",
    "uses_local_alias",
    "uses_self",
    "uses_open_class",
}


def test_a_body_that_reaches_a_skip_under_another_name_is_read() -> None:
    """An alias of a name known to skip, of such an alias or of a hot function; a method that
    may be a base class's from elsewhere (``self.needs()`` in an open class); an open class.
    A closed class's methods, a signature's annotation: not."""
    tree = ast.parse(ALIASED)
    options = AnalysisOptions(lazy_bodies=True, known=("needs_gpu",))
    analyzer = Analyzer("tests/test_a.py", tree, options, ALIASED.encode())
    analyzer.run()
    hot = analyzer.hot or set()
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert {n.name for n in functions if id(n) in hot} == ALIASED_HOT


LISTED = {
    "helpers/__init__.py": "",
    "helpers/gpu.py": "import pytest\n\n\ndef needs_gpu():\n    pytest.skip('no gpu')\n",
    "helpers/base.py": (
        "import pytest\n\n\nclass Base:\n    def needs(self):\n        pytest.skip('no')\n"
    ),
    "tests/test_x.py": ALIASED.replace("def uses_", "def test_").replace("uses_", "test_")
    + "\n\nclass TestOpen(Base):\n    def test_inherited(self):\n        self.needs()\n",
}


def test_a_listing_finds_the_skips_a_change_finds_through_aliases(tmp_path: Path) -> None:
    """``guards skips list`` (lazy bodies, the reach's names) and the gate's collector (every
    body) list the same skipped tests of a module that reaches its skips under other names."""
    repo = GitRepo(tmp_path)
    repo.write(LISTED)
    sha = repo.commit("aliases")
    listed = {t.nodeid for t in skipped(Git(tmp_path), sha, ())}
    request = Request(("tests/test_x.py",), defs=True)
    every = Collector(Revision(Git(tmp_path), sha)).collect(request)["tests/test_x.py"].tests
    assert listed == {t.nodeid for t in every if t.skips}
    assert {n.rsplit("::", 1)[1] for n in listed} == {
        "test_alias", "test_alias_of_alias", "test_local_alias", "test_open_class",
        "test_inherited",
    }  # fmt: skip # -- one set


def test_a_part_that_names_a_module_of_the_tree_is_that_module() -> None:
    """sympy's ``sympy/testing/pytest.py`` says ``import pytest``, so ``pytest`` is a name known;
    ``raises`` imported from that module is not bound to it, while a name the module binds,
    a module that skips whatever is asked of it and any part without MODULES still are."""
    bound = {
        "raises": "sympy.testing.pytest.raises",
        "sp": "sympy.testing.pytest",
        "online": "sympy.testing.pytest.needs_net",
        "check": "sympy.testing.pytest.pytest.skip_helper",  # the module's own ``pytest``
        "lazy": "pkg.dyn.anything",  # pkg/dyn.py skips in its ``__getattr__``: not in MODULES
        "first": "pytest.approx",  # a first part is never a module's
    }
    known = ("dyn", "needs_net", "pytest")
    modules = ("sympy.testing.pytest", "other.pytest")
    assert set(reaching_names(bound, known, modules)) == {"online", "check", "lazy", "first"}
    assert set(reaching_names(bound, known)) == set(bound)


MODULE_NAMED = {
    "pkg/__init__.py": "",
    "pkg/testing/__init__.py": "",
    "pkg/testing/pytest.py": (
        "import pytest\n\n\ndef needs_net():\n    pytest.skip('offline')\n\n\n"
        "def raises(kind, func):\n    try:\n        func()\n    except kind:\n        return True\n"
        "    return False\n"
    ),
    "pkg/dyn.py": "import pytest\n\n\ndef __getattr__(name):\n    pytest.skip(name)\n",
    "tests/test_m.py": (
        "from pkg.testing.pytest import raises, needs_net as online\n"
        "from pkg.testing import pytest as pt\nfrom pkg import dyn as d\n\n"
        "check = pt.needs_net\n\n\n"
        "def test_raises():\n    assert raises(ZeroDivisionError, lambda: 1 / 0)\n\n\n"
        "def test_alias():\n    online()\n\n\ndef test_module_attribute():\n    check()\n\n\n"
        "def test_module_getattr():\n    d.anything()\n"
    ),
}


def test_a_listing_reads_a_module_named_like_a_name_known_as_that_module(tmp_path: Path) -> None:
    """The listing (lazy bodies, the tree's modules named like a name known) and the gate's
    collector (every body) list the same skipped tests; ``raises`` of a module named ``pytest``
    is no way to a skip."""
    repo = GitRepo(tmp_path)
    repo.write(MODULE_NAMED)
    sha = repo.commit("a module named pytest")
    listed = {t.nodeid.rsplit("::", 1)[1] for t in skipped(Git(tmp_path), sha, ())}
    request = Request(("tests/test_m.py",), defs=True)
    every = Collector(Revision(Git(tmp_path), sha)).collect(request)["tests/test_m.py"].tests
    assert listed == {t.nodeid.rsplit("::", 1)[1] for t in every if t.skips}
    assert listed == {"test_alias", "test_module_attribute", "test_module_getattr"}
    rev = Revision(Git(tmp_path), sha, Git(tmp_path).list_files(sha), whole=True)
    assert rev.reach is not None
    assert modules_named(rev.reach, rev.files or ()) == ("pkg.testing.pytest",)


INDIRECT = {
    "helpers/__init__.py": "",
    "helpers/gpu.py": "import pytest\n\n\ndef needs_gpu():\n    pytest.skip('no gpu')\n",
    "helpers/marks.py": "import pytest\n\ngpu_only = pytest.mark.skipif(True, reason='gpu')\n",
    "tests/__init__.py": "",
    "tests/support.py": (
        "from helpers.gpu import needs_gpu as check\nfrom helpers import gpu as g\n"
    ),
    "tests/base.py": (
        "from tests.support import check\n\n\nclass Base:\n    def setup_method(self):\n"
        "        check()\n"
    ),
    "tests/conftest.py": (
        "import pytest\nfrom tests.support import check\n\n\n@pytest.fixture\ndef gpu():\n"
        "    check()\n"
    ),
    "tests/test_a.py": "from tests.support import check\n\n\ndef test_a():\n    check()\n",
    "tests/test_b.py": "from tests.support import g\n\n\ndef test_b():\n    g.needs_gpu()\n",
    "tests/test_c.py": "from tests import support\n\n\ndef test_c():\n    support.check()\n",
    "tests/test_d.py": "import tests.support as s\n\n\ndef test_d():\n    s.check()\n",
    "tests/test_e.py": (
        "from tests.base import Base\n\n\nclass TestE(Base):\n    def test_e(self):\n        pass\n"
    ),
    "tests/test_f.py": "from tests.support import *\n\n\ndef test_f():\n    check()\n",
    "tests/test_g.py": "def test_g(gpu):\n    pass\n",
    "tests/test_i.py": (
        "from helpers.marks import gpu_only\n\n\n@gpu_only\ndef test_i():\n    pass\n"
    ),
    "tests/test_j.py": (
        "from helpers.marks import gpu_only as go\n\n\n@go\ndef test_j():\n    pass\n"
    ),
    "tests/test_k.py": (
        "import helpers.marks\n\n\n@helpers.marks.gpu_only\ndef test_k():\n    pass\n"
    ),
    "tests/test_l.py": "from helpers import marks as m\n\n\n@m.gpu_only\ndef test_l():\n    pass\n",
    "tests/test_n.py": (
        "from helpers.marks import gpu_only as go\n\npytestmark = [go]\n\n\ndef test_n():\n"
        "    pass\n"
    ),
    "tests/test_o.py": "from tests.test_a import check as c2\n\n\ndef test_o():\n    c2()\n",
    "tests/test_p.py": (
        "from tests import support as sup\n\nrun = sup.check\n\n\ndef test_p():\n    run()\n"
    ),
    "tests/test_q.py": (
        "from tests.support import check\n\n\nclass Helper:\n    def go(self):\n"
        "        check()\n\n\nh = Helper()\n\n\ndef test_q():\n    h.go()\n"
    ),
    "tests/test_r.py": (
        "from tests.base import Base\n\n\nclass Mid(Base):\n    pass\n\n\nclass TestR(Mid):\n"
        "    def test_r(self):\n        self.setup_method()\n"
    ),
}


SETUPS = {
    "helpers/__init__.py": "",
    "helpers/gpu.py": INDIRECT["helpers/gpu.py"],
    "helpers/marks.py": (
        "import pytest\n\n\nclass Marks:\n    later = pytest.mark.skip(reason='later')\n"
    ),
    "tests/__init__.py": "",
    "tests/support.py": (
        "from helpers.gpu import needs_gpu as check\n\n\ndef setup_module():\n    check()\n"
    ),
    "tests/base.py": (
        "import pytest\nfrom tests.support import check\n\n\nclass AutoBase:\n"
        "    @pytest.fixture(autouse=True)\n    def _gate(self):\n        check()\n\n\n"
        "class UnitBase:\n    @classmethod\n    def setUpClass(cls):\n        check()\n"
    ),
    "tests/shared.py": "from tests.support import check\n\n\ndef test_common():\n    check()\n",
    "tests/conftest.py": INDIRECT["tests/conftest.py"],
    "tests/test_a.py": (
        "from helpers.marks import Marks\n\n\n@Marks.later\ndef test_a():\n    pass\n"
    ),
    "tests/test_c.py": (
        "import pytest\n\n\n@pytest.mark.usefixtures('gpu')\nclass TestC:\n"
        "    def test_c(self):\n        pass\n"
    ),
    "tests/test_d.py": (
        "from tests.base import AutoBase\n\n\nclass TestD(AutoBase):\n    def test_d(self):\n"
        "        pass\n"
    ),
    "tests/test_e.py": "from tests.support import setup_module\n\n\ndef test_e():\n    pass\n",
    "tests/test_f.py": (
        "import unittest\nfrom tests.base import UnitBase\n\n\n"
        "class TestF(UnitBase, unittest.TestCase):\n    def test_f(self):\n        pass\n"
    ),
    "tests/test_g.py": "def test_g(request):\n    request.getfixturevalue('gpu')\n",
    "tests/test_i.py": "from tests.shared import test_common\n",
    "tests/test_j.py": "from tests.test_d import TestD as TestJ\n",
    "tests/test_n.py": (
        "from helpers.gpu import needs_gpu as ng\n\n\nclass TestN:\n"
        "    def setup_method(self, method):\n        ng()\n\n    def test_n(self):\n        pass\n"
    ),
    "tests/test_o.py": (
        "from helpers.gpu import needs_gpu as ng\n\n\ndef setup_function(function):\n    ng()\n"
        "\n\ndef test_o():\n    pass\n"
    ),
    "tests/test_p.py": (
        "import unittest\nfrom helpers.gpu import needs_gpu as ng\n\n\ndef setUpModule():\n"
        "    ng()\n\n\nclass TestP(unittest.TestCase):\n    def test_p(self):\n        pass\n"
    ),
}


NAMED = (
    "import pytest\nfrom helpers.gpu import needs_gpu as ng\n\n\n@pytest.fixture(name={!r})\n"
    "def _impl():\n    ng()\n"
)
FIXTURES = {
    "helpers/__init__.py": "",
    "helpers/gpu.py": INDIRECT["helpers/gpu.py"],
    "pytest.ini": "[pytest]\naddopts = -p tests.plugin2\n",
    "tests/__init__.py": "",
    "tests/plugin.py": NAMED.format("gpu5"),
    "tests/plugin2.py": NAMED.format("gpu6"),
    "tests/fixtures.py": NAMED.format("gpu4").replace("_impl", "_gpu4"),
    "tests/conftest.py": "pytest_plugins = ['tests.plugin']\nfrom tests.fixtures import _gpu4\n",
    "tests/test_c.py": "def test_c(gpu4):\n    pass\n",
    "tests/test_h.py": "def test_h(gpu5):\n    pass\n",
    "tests/test_i.py": "def test_i(gpu6):\n    pass\n",
}


HOOK = (
    "import pytest\n\n\ndef pytest_collection_modifyitems(config, items):\n"
    "    for item in items:\n        if {!r} in item.{}:\n"
    "            item.add_marker(pytest.mark.skip(reason='r'))\n"
)
HOOKS = {
    "pytest.ini": "[pytest]\naddopts = -p tests.hookplugin\n",
    "tests/__init__.py": "",
    "tests/hookplugin.py": HOOK.format("slow", "keywords"),
    "tests/hookplugin2.py": HOOK.format("db", "nodeid"),
    "tests/conftest.py": "pytest_plugins = ['tests.hookplugin2']\n",
    "tests/test_a.py": "import pytest\n\n\n@pytest.mark.slow\ndef test_a():\n    pass\n",
    "tests/test_db.py": "def test_b():\n    pass\n",
}


CASE = "import pytest\n\n\n@pytest.fixture(params={})\ndef {}(request):\n    return request.param\n"
PARAMETRIZED = {
    "pytest.ini": "[pytest]\naddopts = -p tests.plug\n",
    "tests/__init__.py": "",
    "tests/plug.py": CASE.format("[1, pytest.param(2, marks=pytest.mark.xfail)]", "pp"),
    "tests/conftest.py": (
        CASE.format("[pytest.param(0, marks=pytest.mark.skip)]", "cp")
        + "\n\n@pytest.fixture\ndef gpu():\n    pytest.skip('no gpu')\n"
    ),
    "tests/fx.py": (
        CASE.format("[]", "none")
        + "\n\n@pytest.fixture\ndef dep(gpu):\n    return 1\n"
        + "\n\n@pytest.fixture\ndef dep2(none):\n    return 1\n"
    ),
    "tests/test_a.py": "def test_a(pp):\n    pass\n\n\ndef test_plain():\n    pass\n",
    "tests/test_b.py": "def test_b(cp):\n    pass\n",
    "tests/test_c.py": "from tests.fx import none\n\n\ndef test_c(none):\n    pass\n",
    "tests/test_e.py": (
        "import pytest\n\n\n@pytest.fixture\ndef dep(cp):\n    return cp\n\n\n"
        "def test_e(dep):\n    pass\n"
    ),
    "tests/test_f.py": CASE.format("[]", "local") + "\n\ndef test_f(local):\n    pass\n",
    "tests/test_g.py": "from tests.fx import dep\n\n\ndef test_g(dep):\n    pass\n",
    "tests/test_h.py": "from tests.fx import dep2, none\n\n\ndef test_h(dep2):\n    pass\n",
}


AUTOUSE = {
    "pytest.ini": "[pytest]\naddopts = -p tests.auto\n",
    "tests/__init__.py": "",
    "tests/auto.py": (
        "import pytest\n\n\n@pytest.fixture(autouse=True)\ndef gate():\n    pytest.skip('all')\n"
    ),
    "tests/test_a.py": "def test_a():\n    pass\n",
    "tests/test_b.py": "import os\n\n\ndef test_b():\n    assert os.sep\n",
}


@pytest.mark.parametrize(
    "tree",
    [INDIRECT, SETUPS, FIXTURES, HOOKS, PARAMETRIZED, AUTOUSE],
    ids=["helpers", "setups", "named", "hooks", "parametrized", "plugin autouse"],
)
def test_a_listing_follows_a_skip_through_other_modules_as_a_change_does(
    tree: dict[str, str], tmp_path: Path
) -> None:
    """Helpers and marks reached through another module's alias, a module alias, a star import,
    a base class, a conftest fixture, a test module's import, an instance; setup functions and
    methods, autouse fixtures of a base, imported tests: every test module of each tree skips,
    and the listing says so of each as the gate's collector does (before this, it missed
    ``c2()`` imported from a test module, ``run = sup.check``, the three setups that call
    an alias, ``ng()``, and the fixtures named other than their function that a conftest
    imports or a plugin defines, and the hooks of plugins: its prefilter read the conftests
    alone, and knew only their own fixtures by name; and a fixture whose parametrization may
    skip a case, or an imported one that requests a skipping fixture by name: the prefilter
    and the reach knew only fixtures whose bodies skip). The gate's collector itself missed
    ``test_h``: a test module's imported fixture that requests another it imports
    (imported_fixtures.imported_by_test), which real pytest skips ("got empty parameter set")."""
    repo = GitRepo(tmp_path)
    repo.write(tree)
    sha = repo.commit("indirect")
    listed = {t.nodeid for t in skipped(Git(tmp_path), sha, ())}
    tests = tuple(sorted(p for p in tree if p.startswith("tests/test_")))
    every = Collector(Revision(Git(tmp_path), sha)).collect(Request(tests, defs=True))
    assert listed == {t.nodeid for r in every.values() for t in r.tests if t.skips}
    assert {n.split("::")[0] for n in listed} == set(tests)


HELPER_IN_A_TEST = {
    "tests/__init__.py": "",
    "tests/test_shared.py": (
        "import pytest\n\n\ndef needs_net():\n    pytest.skip('offline')\n\n\n"
        "def test_shared():\n    needs_net()\n"
    ),
    "tests/test_user.py": (
        "from tests.test_shared import needs_net as online\n\n\ndef test_user():\n    online()\n"
    ),
}


def test_a_test_module_reach_read_whole_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reach reads a test module another test imports a helper from with every body; the
    listing links those facts (what its lazy reading would find, and more) instead of reading
    the module again, and lists what the gate's collector lists."""
    monkeypatch.setenv("GUARDS_CACHE_DIR", "off")
    repo = GitRepo(tmp_path)
    repo.write(HELPER_IN_A_TEST)
    sha = repo.commit("a helper in a test module")
    asked: list[str] = []
    real = collector.analyze_all

    def recorded(work: list[tuple[str, bytes]], options: AnalysisOptions) -> object:
        asked.extend(path for path, _ in work)
        return real(work, options)

    monkeypatch.setattr(collector, "analyze_all", recorded)
    listed = {t.nodeid for t in skipped(Git(tmp_path), sha, ())}
    assert asked == ["tests/test_user.py"]
    paths = ("tests/test_shared.py", "tests/test_user.py")
    every = Collector(Revision(Git(tmp_path), sha)).collect(Request(paths, defs=True))
    assert listed == {t.nodeid for r in every.values() for t in r.tests if t.skips}
    assert listed == {"tests/test_shared.py::test_shared", "tests/test_user.py::test_user"}
