"""A helper a test module calls at import skips the whole module (parsing/import_calls.py).

pytest imports a test module to collect it: a repository helper called at import that skips
(``pytest.skip(allow_module_level=True)``, ``importorskip``) skips every test of the module, which
real pytest confirms below. Only calls count: a helper named but not called at import, or called
inside a lambda, a function or a block that never runs under pytest (``__main__``), does not.
"""

from __future__ import annotations

from pathlib import Path

from guards.collect.python.collector import Collector, Request
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.skip_sets import skipped
from guards.collect.python.sources.revision import Revision
from guards.core.git import Git
from testing.git_repo import GitRepo
from testing.real_pytest import run_pytest

HELPER = "import pytest\n\n\ndef whole():\n    pytest.skip('no gpu', allow_module_level=True)\n"
TREE = {
    "helpers/__init__.py": "",
    "helpers/gpu.py": HELPER,
    "tests/__init__.py": "",
    "tests/test_alias.py": (
        "from helpers.gpu import whole as w\n\nw()\n\n\ndef test_a():\n    pass\n"
    ),
    "tests/test_under_if.py": (
        "import sys\nfrom helpers import gpu\n\nif sys.platform:\n    gpu.whole()\n\n\n"
        "def test_b():\n    pass\n"
    ),
    "tests/test_class_body.py": (
        "from helpers.gpu import whole\n\n\nclass TestC:\n    whole()\n\n    def test_c(self):\n"
        "        pass\n"
    ),
    "tests/test_assigned.py": (
        "from helpers.gpu import whole\n\nready = whole()\n\n\ndef test_d():\n    pass\n"
    ),
    "tests/test_not_called.py": (
        "from helpers.gpu import whole\n\nCHECKS = [whole]\nlater = lambda: whole()\n\n\n"
        "def helper():\n    whole()\n\n\nif __name__ == '__main__':\n    whole()\n\n\n"
        "def test_e():\n    pass\n"
    ),
}
SKIPPED = {"test_alias.py", "test_under_if.py", "test_class_body.py", "test_assigned.py"}


def test_only_the_calls_import_time_code_makes_are_kept() -> None:
    source = (
        TREE["tests/test_not_called.py"] + "\n\nclass TestX:\n    class Inner:\n        whole()\n"
    )
    module = analyze("tests/test_not_called.py", source.encode())
    inner = source.splitlines().index("        whole()") + 1  # the nested class body's call
    assert [(r.line, r.target) for r in module.import_calls] == [(inner, "helpers.gpu.whole")]


def test_a_helper_called_at_import_skips_its_module(tmp_path: Path) -> None:
    """The listing, the gate's collector and real pytest agree, module by module."""
    repo = GitRepo(tmp_path)
    repo.write(TREE)
    sha = repo.commit("at import")
    listed = {t.nodeid.split("::")[0].rsplit("/", 1)[1] for t in skipped(Git(tmp_path), sha, ())}
    assert listed == SKIPPED
    tests = tuple(p for p in TREE if p.startswith("tests/test_"))
    every = Collector(Revision(Git(tmp_path), sha)).collect(Request(tests, defs=True))
    assert {p.rsplit("/", 1)[1] for p, r in every.items() if any(t.skips for t in r.tests)} == (
        SKIPPED
    )
    assert (
        "whole() at import uses pytest.skip()"
        in every["tests/test_alias.py"].tests[0].skips[0].detail
    )
    ran = run_pytest(tmp_path, "-q", "-rs", "tests")
    assert "1 passed, 4 skipped" in ran, ran
