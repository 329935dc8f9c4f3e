"""A change to the function that computes a conftest's collect_ignore (computed_ignores.py).

``collect_ignore = ignored()`` with ``ignored`` in another module: when that function starts to
return a test file, pytest never collects it, though neither the conftest nor any test changed.
The gate passed such a change (its scope held the changed helper alone). Each tree below is a
real repository run through the real CLI, and real pytest says what it collects at head.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.git_repo import guards_cli, pr_repo
from testing.real_pytest import run_pytest

TEST_A = "def test_a():\n    assert True\n"
TEST_B = "def test_b():\n    assert True\n"
SIBLING = {  # the helper beside the conftest that calls it
    "tests/__init__.py": "",
    "tests/conftest.py": "from tests.helpers import ignored\n\ncollect_ignore = ignored()\n",
    "tests/helpers.py": "def ignored():\n    return []\n",
    "tests/test_a.py": TEST_A,
    "tests/test_b.py": TEST_B,
}
ELSEWHERE = {  # the helper in a folder no conftest is above: found by the conftests' text
    "tools/__init__.py": "",
    "tools/lists.py": "def ignored():\n    return []\n",
    "tests/__init__.py": "",
    "tests/conftest.py": "from tools.lists import ignored\n\ncollect_ignore = ignored()\n",
    "tests/test_a.py": TEST_A,
    "tests/test_b.py": TEST_B,
}
THROUGH = {  # the changed module is two calls away, behind a re-export
    "tools/__init__.py": "from tools.inner import deep\n",
    "tools/outer.py": "from tools import deep\n\n\ndef ignored():\n    return deep()\n",
    "tools/inner.py": "def deep():\n    return []\n",
    "tests/__init__.py": "",
    "tests/conftest.py": "from tools.outer import ignored\n\ncollect_ignore_glob = ignored()\n",
    "tests/test_a.py": TEST_A,
    "tests/test_b.py": TEST_B,
}
NEWLY_IGNORED = [
    ("sibling", SIBLING, {"tests/helpers.py": "def ignored():\n    return ['test_a.py']\n"}),
    ("elsewhere", ELSEWHERE, {"tools/lists.py": "def ignored():\n    return ['test_a.py']\n"}),
    ("through", THROUGH, {"tools/inner.py": "def deep():\n    return ['test_a*']\n"}),
]
SAME_LIST = [  # the helper module changes, what the list comes to does not
    (
        SIBLING,
        {"tests/helpers.py": "def ignored():\n    return []\n\n\ndef other():\n    return 1\n"},
    ),
    (THROUGH, {"tools/inner.py": "# moved down\n\n\ndef deep():\n    return []\n"}),
]


def _collected(path: Path) -> str:
    """What real pytest collects at the checkout PATH."""
    return run_pytest(path, "--collect-only", "-q")


@pytest.mark.parametrize(
    ("name", "base", "head"), NEWLY_IGNORED, ids=[n for n, _, _ in NEWLY_IGNORED]
)
def test_a_helper_that_starts_to_ignore_a_test_fails_the_gate(
    tmp_path: Path, name: str, base: dict[str, str], head: dict[str, str]
) -> None:
    repo, base_sha, head_sha = pr_repo(tmp_path / name, base, head)
    collected = _collected(repo.path)
    assert "test_a.py::test_a" not in collected and "test_b.py::test_b" in collected, collected
    result = guards_cli("run", "--only", "skip-set", "--base", base_sha, "--head", head_sha,
                        "--format", "json", cwd=repo.path)  # fmt: skip # -- one call
    assert result.code == 1, result.stderr
    (finding,) = result.json()["guards"][0]["findings"]
    assert finding["path"] == "tests/test_a.py" and "newly ignored" in finding["message"]


@pytest.mark.parametrize(("base", "head"), SAME_LIST, ids=["sibling", "through"])
def test_a_helper_change_that_leaves_the_list_alone_widens_nothing(
    tmp_path: Path, base: dict[str, str], head: dict[str, str]
) -> None:
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    assert "test_a.py::test_a" in _collected(repo.path)
    result = guards_cli("run", "--only", "skip-set", "--base", base_sha, "--head", head_sha,
                        "--format", "json", cwd=repo.path)  # fmt: skip # -- one call
    assert result.code == 0, result.stderr
    (finding,) = result.json()["guards"][0]["findings"]
    assert finding["message"] == "0 test(s) in scope at head; none newly skipped"


def test_a_list_not_known_in_part_is_in_scope_when_its_helper_changes(tmp_path: Path) -> None:
    """What is unknown may have changed: the tests under its prefix are undecidable, not
    passed."""
    unknown = "import os\n\n\ndef ignored():\n    return ['legacy', os.environ.get({!r}, 'x')]\n"
    base = {**SIBLING, "tests/helpers.py": unknown.format("A")}
    head = {"tests/helpers.py": unknown.format("B")}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    result = guards_cli("run", "--only", "skip-set", "--base", base_sha, "--head", head_sha,
                        "--format", "json", cwd=repo.path)  # fmt: skip # -- one call
    assert result.code == 1, result.stderr
    rules = {f["rule"] for f in result.json()["guards"][0]["findings"] if f["outcome"] == "fail"}
    assert rules == {"skip_set_decidable"}


IMPORTED = {  # the list is another module's: bound there, imported by name or as an attribute
    "tools/__init__.py": "",
    "tools/lists.py": "IGNORED = []\n",
    "tests/__init__.py": "",
    "tests/conftest.py": "import tools.lists as lists\n\ncollect_ignore = lists.IGNORED + []\n",
    "tests/test_a.py": TEST_A,
    "tests/test_b.py": TEST_B,
}


@pytest.mark.parametrize(
    ("head", "code"),
    [
        ({"tools/lists.py": "IGNORED = ['test_a.py']\n"}, 1),
        ({"tools/other.py": "IGNORED = ['test_a.py']\n"}, 0),
    ],
    ids=["its-module-changes", "another-module-changes"],
)
def test_a_list_another_module_binds_is_in_scope_when_that_module_changes(
    tmp_path: Path, head: dict[str, str], code: int
) -> None:
    """``collect_ignore = lists.IGNORED``: the gate passed a change to ``IGNORED`` that made
    pytest ignore a test. The list is not known (any module importing it may change it), so
    its tests are undecidable, not passed, when its module changes; a change elsewhere widens
    nothing."""
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", IMPORTED, head)
    assert ("test_a.py::test_a" in _collected(repo.path)) is (code == 0)
    result = guards_cli("run", "--only", "skip-set", "--base", base_sha, "--head", head_sha,
                        "--format", "json", cwd=repo.path)  # fmt: skip # -- one call
    assert result.code == code, result.stderr
    findings = result.json()["guards"][0]["findings"]
    failed = {f["rule"] for f in findings if f["outcome"] == "fail"}
    assert failed == ({"skip_set_decidable"} if code else set())
    assert code or findings[0]["message"] == "0 test(s) in scope at head; none newly skipped"
