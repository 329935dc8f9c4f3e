"""Hooks a conftest gets other than by ``def``: the reader never sees their bodies, so the tests
under the conftest are undecidable, not passed (each of these passed the gate, while real
pytest ran the hook and dropped or skipped a test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.model import Undecidable
from testing.git_repo import guards_cli, pr_repo
from testing.real_pytest import run_pytest
from tests.test_collect_adversarial import build, static_items

TESTS = "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n"
MADE = """
def _ignoring(name):
    def hook(collection_path, config):
        return True if collection_path.name == name else None

    return hook


pytest_ignore_collect = _ignoring("test_b.py")
"""
LAMBDA = (
    "pytest_ignore_collect = lambda collection_path, config: "
    "True if collection_path.name == 'test_b.py' else None\n"
)
REGISTERED = """
class Plugin:
    def pytest_collection_modifyitems(self, items):
        items[:] = [i for i in items if i.name != "test_two"]


def pytest_configure(config):
    config.pluginmanager.register(Plugin())
"""


@pytest.mark.parametrize(
    ("conftest", "what"),
    [
        (MADE, "bound other than by def"),
        (LAMBDA, "decides per path"),  # read as the def it stands for (lambdas.py)
        (REGISTERED, "registered at run time"),
    ],
    ids=["assigned", "lambda", "registered"],
)
def test_a_hook_the_reader_never_sees_is_undecidable(
    tmp_path: Path, conftest: str, what: str
) -> None:
    files = {"tests/conftest.py": conftest, "tests/test_a.py": TESTS, "tests/test_b.py": TESTS}
    tree, sha = build(tmp_path, files)
    assert "4 passed" not in run_pytest(tree, "-q", "tests")  # pytest ran the hook
    with pytest.raises(Undecidable, match=what):
        static_items(tree, sha)


def test_a_hook_imported_from_a_helper_that_changes_alone_is_in_scope(tmp_path: Path) -> None:
    """``from tools.hooks import pytest_collection_modifyitems`` in the conftest: a change to
    the helper's hook, neither the conftest nor a test touched, drops test_two."""
    base = {
        "tools/__init__.py": "",
        "tools/hooks.py": "def pytest_collection_modifyitems(items):\n    pass\n",
        "tests/conftest.py": "from tools.hooks import pytest_collection_modifyitems\n",
        "tests/test_a.py": TESTS,
    }
    dropping = (
        "def pytest_collection_modifyitems(items):\n"
        '    items[:] = [i for i in items if i.name != "test_two"]\n'
    )
    head = {"tools/hooks.py": dropping}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    assert "1 passed" in run_pytest(repo.path, "-q", "-p", "no:randomly", "tests")
    result = guards_cli("run", "--only", "skip-set", "--base", base_sha, "--head", head_sha,
                        "--format", "json", cwd=repo.path)  # fmt: skip # -- one call
    assert result.code == 1, result.stderr
    failed = {f["rule"] for f in result.json()["guards"][0]["findings"] if f["outcome"] == "fail"}
    assert failed == {"skip_set_decidable"}
