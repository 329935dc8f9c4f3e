"""A module constant is its literal only where nothing can have changed it (settled.py).

``SKIP = []`` then ``SKIP.append("test_two")`` in a conftest whose hook skips ``item.name in
SKIP``: the gate read ``[]`` and passed the change; real pytest skips test_two. Pydantic's
``self_types = []`` appended to under a version check was read as an empty parameter set.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from guards.collect.python.parsing.settled import unsettled
from testing.git_repo import CliResult, guards_cli, pr_repo
from testing.real_pytest import run_pytest

CASES = [
    ("SKIP = []\nSKIP.append('a')\n", {"SKIP"}),
    ("SKIP = []\nSKIP += ['a']\n", {"SKIP"}),
    ("SKIP = []\nSKIP[0:0] = ['a']\n", {"SKIP"}),
    ("SKIP = ['a']\ndel SKIP[0]\n", {"SKIP"}),
    ("SKIP = []\nalias = SKIP\n", {"SKIP"}),
    ("SKIP = []\nhelper(SKIP)\n", {"SKIP"}),
    ("SKIP = []\ndef f():\n    global SKIP\n    SKIP = ['a']\n", {"SKIP"}),
    ("SKIP = []\nfrom elsewhere import SKIP\n", {"SKIP"}),
    ("SKIP = []\nfor SKIP in [['a']]:\n    pass\n", {"SKIP"}),
    ("SKIP = []\nif (SKIP := ['a']):\n    pass\n", {"SKIP"}),
    ("SKIP = []\ndef hook(item):\n    SKIP.append(item)\n", {"SKIP"}),
    ("SKIP = ['a']\ndef hook(item):\n    return item.name in SKIP\n", set()),
    ("SKIP = ['a']\nfor name in SKIP:\n    print(name)\nfirst = SKIP[0]\n", set()),
    ("SKIP = ['a']\nBOTH = {*SKIP, 'b'}\nSEEN = set(SKIP)\nN = len(SKIP)\n", set()),
    ("SKIP = ['a']\nwhere = SKIP.index('a')\n", set()),
    ("CASES = [1, 2]\n@pytest.mark.parametrize('x', CASES, ids=CASES)\ndef test(x): pass\n", set()),
    ("if c:\n    SKIP = ['a']\nelse:\n    SKIP = []\n", set()),  # the last plain one: a gap
    ("SKIP = 'a'\nBOTH = [SKIP, SKIP + 'b']\nhelper(SKIP)\n", set()),  # a str: never changed
    ("SKIP = 'a'\nSKIP += 'b'\n", {"SKIP"}),  # ... but rebound
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_a_constant_is_unsettled_where_its_value_may_differ(
    source: str, expected: set[str]
) -> None:
    tree = ast.parse(source)
    consts = {
        t.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id in ("SKIP", "CASES")
    }
    assert unsettled(tree, consts) == expected


CONFTEST = """
import pytest

SKIP = []


def pytest_runtest_setup(item):
    if item.name in SKIP:
        pytest.skip("listed")
"""
TESTS = "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n"


def _gated(tmp_path: Path, head: str, outcome: str) -> CliResult:
    """The gate on a change of the conftest to HEAD, where real pytest says OUTCOME."""
    base = {"tests/conftest.py": CONFTEST, "tests/test_a.py": TESTS}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, {"tests/conftest.py": head})
    assert outcome in run_pytest(repo.path, "-q", "tests")
    return guards_cli("run", "--only", "skip-set", "--base", base_sha, "--head", head_sha,
                      "--format", "json", cwd=repo.path)  # fmt: skip # -- one call


def test_a_list_a_hook_reads_changed_in_place_is_not_its_literal(tmp_path: Path) -> None:
    head = CONFTEST.replace("SKIP = []\n", 'SKIP = []\nSKIP.append("test_two")\n')
    result = _gated(tmp_path, head, "1 skipped")
    assert result.code == 1, result.stderr
    failed = [f for f in result.json()["guards"][0]["findings"] if f["outcome"] == "fail"]
    assert {f["rule"] for f in failed} == {"skip_set_decidable"}
    assert "item.name in SKIP" in failed[0]["message"]


def test_a_hook_condition_not_read_is_undecidable_only_where_it_decides(tmp_path: Path) -> None:
    """sympy's ``item.nodeid in veryslow_group and config.getvalue("runquick")``: without the
    flag the condition is false whatever the group holds, so no test is undecidable."""
    gated = CONFTEST.replace(
        "    if item.name in SKIP:",
        '    if item.name in SKIP and item.config.getvalue("runquick"):',
    ).replace("SKIP = []\n", "SKIP = []\nSKIP.append('test_two')\n")
    gated += (
        '\n\ndef pytest_addoption(parser):\n    parser.addoption("--quick", dest="runquick",'
        ' action="store_true")\n'
    )
    result = _gated(tmp_path, gated, "2 passed")
    assert result.code == 0, result.stdout
