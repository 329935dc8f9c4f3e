"""A changed conftest.py puts its folder's tests in scope only when it changed a fact the linker
reads (sources/conftest_change.py): each change below runs through the real CLI on a real
repository, and the ones that skip or ignore a test are checked against real pytest."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest

from guards.collect.python.parsing import facts
from guards.collect.python.sources.conftest_change import LINE_FIELDS, PAIR_LINES
from testing.git_repo import guards_cli, pr_repo
from testing.real_pytest import run_pytest

CONFTEST = (
    "import pytest\n\n\n@pytest.fixture\ndef answer():\n    return 42\n\n\n"
    "@pytest.fixture(autouse=True)\ndef env(monkeypatch):\n    monkeypatch.setenv('X', '1')\n"
)
BASE = {
    "tests/__init__.py": "",
    "tests/conftest.py": CONFTEST,
    "tests/test_a.py": "def test_a(answer):\n    assert answer == 42\n",
    "tests/test_b.py": "def test_b():\n    assert True\n",
}
SAME = {  # conftests whose facts are the base's, where they sit aside
    "value": CONFTEST.replace("return 42", "return 6 * 7"),
    "moved": "# Fixtures for the tests.\n\n\n" + CONFTEST,
    "comment": CONFTEST + "\n\n# def later():\n#     pytest.skip('not yet')\n",
    "setup": CONFTEST.replace("setenv('X', '1')", "setenv('X', '2')\n    monkeypatch.chdir('.')"),
}
ALTERED = {  # conftests that skip or ignore tests at head: (conftest, the tests, pytest says)
    "fixture skips": (
        CONFTEST.replace("    return 42", "    pytest.skip('later')\n    return 42"),
        ["tests/test_a.py::test_a"],
        "1 passed, 1 skipped",
    ),
    "autouse skips": (
        CONFTEST.replace("monkeypatch.setenv('X', '1')", "pytest.skip('no env')"),
        ["tests/test_a.py::test_a", "tests/test_b.py::test_b"],
        "2 skipped",
    ),
    "ignore list": (
        CONFTEST + "\ncollect_ignore = ['test_b.py']\n",
        ["tests/test_b.py::test_b"],
        "1 passed in",
    ),
    "hook": (
        CONFTEST + "\n\ndef pytest_collection_modifyitems(items):\n    for item in items:\n"
        "        if 'test_b' in item.nodeid:\n"
        "            item.add_marker(pytest.mark.skip(reason='flaky'))\n",
        ["tests/test_b.py::test_b"],
        "1 passed, 1 skipped",
    ),
}


def _run(repo: Path, base: str, head: str) -> tuple[int, dict[str, typing.Any]]:
    result = guards_cli("run", "--only", "skip-set", "--base", base, "--head", head,
                        "--format", "json", cwd=repo)  # fmt: skip # -- one call
    return result.code, result.json()["guards"][0]


def _ran(repo: Path) -> str:
    """What real pytest runs and skips at REPO's checkout."""
    return run_pytest(repo, "-q", "-rs", "tests")


@pytest.mark.parametrize("name", list(SAME))
def test_a_conftest_change_that_changes_no_fact_puts_no_test_in_scope(
    tmp_path: Path, name: str
) -> None:
    repo, base, head = pr_repo(tmp_path / "repo", BASE, {"tests/conftest.py": SAME[name]})
    assert "2 passed" in _ran(repo.path)
    code, guard = _run(repo.path, base, head)
    assert code == 0, guard
    (finding,) = guard["findings"]
    assert finding["message"] == "0 test(s) in scope at head; none newly skipped"


@pytest.mark.parametrize("name", list(ALTERED))
def test_a_conftest_change_that_skips_a_test_still_fails(tmp_path: Path, name: str) -> None:
    conftest, tests, said = ALTERED[name]
    repo, base, head = pr_repo(tmp_path / "repo", BASE, {"tests/conftest.py": conftest})
    assert said in _ran(repo.path)
    code, guard = _run(repo.path, base, head)
    assert code == 1, guard
    assert [f["test"] for f in guard["findings"] if f["outcome"] == "fail"] == tests


def test_a_change_to_a_conftest_whose_facts_leave_something_out_is_in_scope(
    tmp_path: Path,
) -> None:
    """A hook the collector does not understand is the same fact whatever its body does."""
    hook = CONFTEST + "\n\ndef pytest_ignore_collect(collection_path, config):\n    return {}\n"
    base = {**BASE, "tests/conftest.py": hook.format("None")}
    head = {"tests/conftest.py": hook.format("'test_b' in str(collection_path) or None")}
    repo, base_sha, head_sha = pr_repo(tmp_path / "repo", base, head)
    assert "1 passed" in _ran(repo.path)
    code, guard = _run(repo.path, base_sha, head_sha)
    assert code == 1, guard
    assert {f["rule"] for f in guard["findings"] if f["outcome"] == "fail"} == {
        "skip_set_decidable"
    }


def test_every_positional_field_of_the_facts_is_named_and_no_other_int_is() -> None:
    """A record gaining an ``int`` field must be sorted here: positional (set aside, named in
    LINE_FIELDS or PAIR_LINES) or not (then named below, with why)."""
    semantic: set[str] = set()  # no int of the facts is a value today
    found = {name for cls in _records(facts.Module) for name in _int_fields(cls)}
    assert found == LINE_FIELDS | set(PAIR_LINES) | semantic


def _records(root: type) -> list[type]:
    seen: list[type] = []
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.append(cls)
        for hint in typing.get_type_hints(cls, vars(facts)).values():
            todo += [t for t in _parts(hint) if isinstance(t, type) and dataclasses.is_dataclass(t)]
    return seen


def _int_fields(cls: type) -> list[str]:
    hints = typing.get_type_hints(cls, vars(facts))
    return [f.name for f in dataclasses.fields(cls) if int in _parts(hints[f.name])]


def _parts(hint: object) -> list[object]:
    return [hint, *(p for arg in typing.get_args(hint) for p in _parts(arg))]
