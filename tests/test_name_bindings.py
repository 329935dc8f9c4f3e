"""A module whose import-time code binds a name only as a class is not analyzed to learn that the
name is no fixture (parsing/name_bindings.py, Revision.fixture_module): every binding the
analyzer sees is read, and the fixtures a conftest imports are found as before."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from guards.collect.python.collector import Collector, Request
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.name_bindings import bound_otherwise
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo

PACKAGE = Path(__file__).parent.parent / "guards"


def bound(source: str) -> frozenset[str] | None:
    return bound_otherwise(ast.parse(textwrap.dedent(source)))


@pytest.mark.parametrize(
    "source",
    [
        "N = 1",
        "N: int = 1",
        "N += 1",
        "del N",
        "a, (b, N) = 1, (2, 3)",
        "[N, *rest] = range(3)",
        "def N(): pass",
        "async def N(): pass",
        "import N",
        "import N.sub",
        "import other as N",
        "from pkg import N",
        "from pkg import other as N",
        "for N in range(3): pass",
        "with open('f') as N: pass",
        "try:\n    pass\nexcept ValueError as N:\n    pass",
        "print(N := 3)",
        "xs = [N := i for i in range(3)]",
        "def f(x=(N := 1)): pass",
        "@(N := staticmethod)\ndef f(): pass",
        "match 1:\n    case N:\n        pass",
        "match [1]:\n    case [*N]:\n        pass",
        "match {}:\n    case {**N}:\n        pass",
        "class C:\n    N = 1",
        "if False:\n    N = 1",
        "class N:\n    pass\n\nN = staticmethod(N)",
    ],
)
def test_every_binding_but_a_class_statement_is_read(source: str) -> None:
    found = bound(source)
    assert found is not None and "N" in found


@pytest.mark.parametrize(
    "source",
    [
        "class N:\n    pass",
        "class N(Base):\n    def method(self):\n        N = 1\n        return N",
        "def f():\n    N = 1",
        "f = lambda: (N := 1)",
        "x = N\nprint(N.attr, N())",
        "obj.N = 1\nitems[N] = 2",
        "if TYPE_CHECKING:\n    pass\nelse:\n    class N:\n        pass",
        "def f():\n    global N\n    N = 1",
    ],
)
def test_a_class_statement_uses_and_function_bodies_bind_nothing_else(source: str) -> None:
    found = bound(source)
    assert found is not None and "N" not in found


@pytest.mark.parametrize(
    "source",
    [
        "from pkg import *",
        "exec('N = 1')",
        "eval(compile('N', 'x', 'eval'))",
        "globals()['N'] = 1",
        "setattr(sys.modules[__name__], 'N', 1)",
        "vars().update(N=1)",
        "class C:\n    exec('N = 1')",
        "def f(x=exec('N = 1')): pass",
        "run = exec",
        "from builtins import exec as run",
        "import builtins",
        "import builtins as b",
        "__builtins__.exec('N = 1')",
        "__import__('builtins').exec('N = 1')",
        "sys.modules['builtins'].exec('N = 1')",
    ],
)
def test_code_that_may_bind_any_name_at_import_binds_every_name(source: str) -> None:
    assert bound(source) is None


def test_a_name_bound_only_as_a_class_is_never_a_fixture_the_analysis_finds() -> None:
    """Over every module of this package: a name the parse says is bound only as a class (or not
    at all) is neither a fixture function of the module nor an export that leads to one, which
    is all linking/imported_fixtures.py asks of the module."""
    checked = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        data = path.read_bytes()
        names = bound_otherwise(ast.parse(data))
        module = analyze(str(path), data)
        for name in _names_of(module):
            if names is not None and name not in names:
                checked += 1
                assert not _leads_to_a_fixture(module, name), (path, name)
    assert checked > 200


def _names_of(module: Module) -> set[str]:
    return {*module.exports, *(f.name for f in module.functions), *(k.name for k in module.classes)}


def _leads_to_a_fixture(module: Module, name: str) -> bool:
    own = any(f.name == name for f in module.functions)
    further = module.exports.get(name, "")
    return own or ("." in further and ":" not in further)


HELPERS = """\
    import pytest


    class Server:
        pass


    @pytest.fixture(autouse=True)
    def offline():
        return "up"
"""
SKIPPING = HELPERS.replace('return "up"', 'pytest.skip("no network")')
TEST = "def test_fetch():\n    pass\n"


def revision(tmp_path: Path, conftest: str, helpers: str = HELPERS) -> Revision:
    repo = GitRepo(tmp_path)
    repo.write(
        {
            "tests/__init__.py": "",
            "tests/helpers.py": textwrap.dedent(helpers),
            "tests/conftest.py": conftest,
            "tests/test_a.py": TEST,
        }
    )
    sha = repo.commit("tree")
    git = Git(repo.path)
    return Revision(git, sha, git.list_files(sha))


def skipped(rev: Revision) -> list[str]:
    results = Collector(rev).collect(Request(tuple(rev.files or ())))
    return [t.nodeid for r in results.values() for t in r.tests if t.skips]


def test_a_class_asked_for_as_a_fixture_leaves_its_module_unanalyzed(tmp_path: Path) -> None:
    rev = revision(tmp_path, "from tests.helpers import Server\n")
    assert rev.fixture_module("tests.helpers", "tests/conftest.py", "Server") is None
    assert rev.known("tests/helpers.py") is None
    found = rev.fixture_module("tests.helpers", "tests/conftest.py", "offline")
    assert found is not None and rev.known("tests/helpers.py") is found
    assert skipped(rev) == []


def test_a_fixture_imported_beside_a_class_is_found(tmp_path: Path) -> None:
    conftest = "from tests.helpers import Server, offline\n"
    rev = revision(tmp_path, conftest, SKIPPING)
    assert skipped(rev) == ["tests/test_a.py::test_fetch"]


def test_a_class_name_defined_again_as_a_fixture_is_analyzed(tmp_path: Path) -> None:
    again = '\n\n@pytest.fixture(autouse=True)\ndef Server():\n    pytest.skip("down")\n'
    helpers = textwrap.dedent(HELPERS) + again
    rev = revision(tmp_path, "from tests.helpers import Server\n", helpers)
    assert rev.fixture_module("tests.helpers", "tests/conftest.py", "Server") is not None
    assert skipped(rev) == ["tests/test_a.py::test_fetch"]
