"""tests-with-code end to end (real repositories, the real CLI) and its pure readers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from guards.checks.tests_with_code.scanner import tokens
from guards.checks.tests_with_code.source import read_source
from guards.checks.tests_with_code.trivial import broad_exception, trivially_true
from testing.git_repo import CliResult, GitRepo, guards_cli, pr_repo

CALC = "def add(a, b):\n    return a + b\n"
TEST = "from src.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
BASE = {
    "src/calc.py": CALC,
    "tests/test_calc.py": TEST,
    "README.md": "calc\n",
    "guards.yaml": "tests-with-code: {}\n",  # opt-in
}
CHANGED = {"src/calc.py": CALC + "\n\ndef sub(a, b):\n    return a - b\n"}
NEW_TEST = TEST + "\n\ndef test_sub():\n    from src.calc import sub\n\n    assert sub(3, 1) == 2\n"


def run(repo: GitRepo, base: str, head: str, *extra: str) -> CliResult:
    return guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head,
        "--only", "tests-with-code", "--format", "json", *extra,
    )  # fmt: skip # -- a packed call reads better here


def failing(result: CliResult) -> list[tuple[str, str | None]]:
    (guard,) = result.json()["guards"]
    return [(f["rule"], f["path"]) for f in guard["findings"] if f["outcome"] == "fail"]


def test_src_only_change_fails(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, CHANGED)
    result = run(repo, b, h)
    assert result.code == 1, result.stderr
    assert failing(result) == [("code_changes_have_tests", "src/calc.py")]


def test_real_test_change_passes(tmp_path: Path) -> None:
    repo, b, h = pr_repo(tmp_path / "r", BASE, {**CHANGED, "tests/test_calc.py": NEW_TEST})
    result = run(repo, b, h)
    assert result.code == 0, result.stdout
    assert result.json()["guards"][0]["status"] == "pass"


def test_assert_true_replacement_fails(tmp_path: Path) -> None:
    weakened = TEST.replace("assert add(1, 2) == 3", "assert True")
    repo, b, h = pr_repo(tmp_path / "r", BASE, {"tests/test_calc.py": weakened})
    result = run(repo, b, h)
    assert result.code == 1
    assert failing(result) == [("tests_not_weakened", "tests/test_calc.py")]
    (finding,) = result.json()["guards"][0]["findings"]
    assert finding["test"] == "tests/test_calc.py::test_add" and finding["line"] == 4


def test_several_commits_are_one_change(tmp_path: Path) -> None:
    """The verdict is on base...head, whatever the commits in between did."""
    repo, b, _ = pr_repo(tmp_path / "r", BASE, CHANGED)
    repo.write({"tests/test_calc.py": NEW_TEST})
    head = repo.commit("second")
    assert run(repo, b, head).code == 0


def test_map_in_config_read_at_base(tmp_path: Path) -> None:
    """A PR cannot drop the map it is judged by: guards.yaml comes from base."""
    config = "tests-with-code:\n  map:\n    'src/**': ['tests/test_calc*.py']\n"
    head = {**CHANGED, "guards.yaml": "tests-with-code: {}\n", "tests/test_other.py": NEW_TEST}
    repo, b, h = pr_repo(tmp_path / "r", {**BASE, "guards.yaml": config}, head)
    result = run(repo, b, h)
    assert result.code == 1
    assert failing(result) == [("code_changes_have_tests", "src/calc.py")]


def test_bad_config_is_exit_2(tmp_path: Path) -> None:
    base = {**BASE, "guards.yaml": "tests-with-code:\n  map: [src]\n"}
    repo, b, h = pr_repo(tmp_path / "r", base, CHANGED)
    result = run(repo, b, h)
    assert result.code == 2 and "tests-with-code.map" in result.stderr


def test_scope_file_tests_must_be_a_list(tmp_path: Path) -> None:
    base = {**BASE, "scope/FR-1.yaml": "allow: ['**']\ntests: tests/x.py\n"}
    repo, b, h = pr_repo(tmp_path / "r", base, {**CHANGED, "tests/test_calc.py": NEW_TEST})
    result = run(repo, b, h, "--ticket", "FR-1")
    assert result.code == 2 and "scope/FR-1.yaml" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("source", "trivial"),
    [
        ("assert True", True),
        ("assert 1", True),
        ("assert 'text'", True),
        ("assert (x, 'message')", True),
        ("assert x == x", True),
        ("assert x is x", True),
        ("assert not False", True),
        ("assert x or True", True),
        ("assert x == y", False),
        ("assert not x", False),
        ("assert None", False),
        ("assert ()", False),
        ("assert x == x + 1", False),
        # constants folded, bounded; a self-evident shape
        ("assert 1 + 1 == 2", True),
        ("assert not not True", True),
        ("assert 'a' in 'abc'", True),
        ("assert 1 < 2 < 3", True),
        ("assert 3 < 2 < 4", False),
        ("assert 1 / 0", False),  # raises: it fails
        ("assert 'x' * 10**9", False),  # not built: too large to fold, so not known true
        ("assert 2 ** 10**9", False),
        ("assert x in (x, y)", True),
        ("assert x in [y]", False),
        ("assert isinstance(result, object)", True),
        ("assert isinstance(result, int)", False),
        ("assert len(result) >= 0", True),
        ("assert 0 <= len(result)", True),
        ("assert len(result) > 0", False),
    ],
)
def test_trivially_true(source: str, trivial: bool) -> None:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.Assert)
    assert trivially_true(node.test) is trivial


@pytest.mark.parametrize(
    ("source", "broad"),
    [("Exception", True), ("BaseException", True), ("builtins.Exception", True),
     ("(ValueError, Exception)", True), ("ValueError", False), ("(KeyError, ValueError)", False)],
)  # fmt: skip # -- a packed call reads better here
def test_broad_exception(source: str, broad: bool) -> None:
    expr = ast.parse(source, mode="eval").body
    assert broad_exception(expr) is broad


@pytest.mark.parametrize(
    ("text", "rust", "expected"),
    [
        ("a // c\nb", False, ["a", "b"]),
        ("a /* c */ b", False, ["a", "b"]),
        ("s = 'http://x' // c", False, ["s", "=", "'http://x'"]),
        ('s = "/* not */"', False, ["s", "=", '"/* not */"']),
        ("t = `a // b`", False, ["t", "=", "`a // b`"]),
        ("a /* x /* y */ z */ b", True, ["a", "b"]),
        ("f<'a>(s: &'a str)", True, ["f", "<", "'a", ">", "(", "s", ":", "&", "'a", "str", ")"]),
        ('r#"a // b"# c', True, ['r#"a // b"#', "c"]),
    ],
)  # fmt: skip # -- a packed call reads better here
def test_scanner_strips_only_comments(text: str, rust: bool, expected: list[str]) -> None:
    assert [t.text for t in tokens(text, rust=rust)] == expected


def test_python_reading_ignores_comments_docstrings_and_layout() -> None:
    before = read_source("src/a.py", b"def f(a, b):\n    return a + b\n")
    after = read_source(
        "src/a.py", b'def f(a,\n      b):  # sum\n    """Sum."""\n    return (a + b)\n'
    )
    assert before.code == after.code


def test_helpers_count_only_when_called() -> None:
    text = (
        "def _never():\n    assert f() == 1\n\n\ndef _called():\n    assert f() == 2\n\n\n"
        "def test_a():\n    _called()\n\n\ndef test_b():\n    f()\n"
    )
    units = {u.name: u.real for u in read_source("tests/test_h.py", text.encode()).units}
    assert units == {"test_a": 1, "test_b": 0}


def test_rust_test_module_is_not_implementation() -> None:
    base = (
        b"pub fn f() -> i32 { 1 }\n#[cfg(test)]\nmod t {\n"
        b"    #[test]\n    fn a() { assert_eq!(f(), 1); }\n}\n"
    )
    head = base.replace(b"assert_eq!(f(), 1);", b"assert_eq!(f(), 1); assert!(f() > 0);")
    old, new = read_source("src/lib.rs", base), read_source("src/lib.rs", head)
    assert old.code == new.code
    assert [(u.name, u.real) for u in new.units] == [("a", 2)]


def test_oversized_file_is_not_parsed_and_any_change_counts(tmp_path: Path) -> None:
    big = "X = 1\n" * 400_000  # 2.4 MB: over the parse bound, so only a comment changes
    repo, b, h = pr_repo(tmp_path / "r", {**BASE, "src/big.py": big}, {"src/big.py": big + "# c\n"})
    result = run(repo, b, h)
    assert result.code == 1
    assert failing(result) == [("code_changes_have_tests", "src/big.py")]
    assert "not parsed" in result.stdout


def test_the_guard_is_opt_in(tmp_path: Path) -> None:
    """Without a tests-with-code section at base the guard does not apply (exit 0)."""
    bare = {k: v for k, v in BASE.items() if k != "guards.yaml"}
    repo, b, h = pr_repo(tmp_path / "r", bare, CHANGED)
    result = run(repo, b, h)
    assert result.code == 0, result.stdout
    assert result.json()["guards"][0]["status"] == "not-applicable"


def test_a_python_file_is_read_as_its_cookie_decodes_it() -> None:
    """Under ``# coding: utf-7``, ``+AGE-ssert`` is ``assert``: the file's units are the ones
    Python runs, and a utf-7 test is no removed test. Bytes the cookie cannot decode are read
    unparsed (any change counts)."""
    utf7 = read_source("tests/test_a.py", b"# coding: utf-7\ndef test_a():\n    +AGE-ssert f(1)\n")
    plain = read_source("tests/test_a.py", b"def test_a():\n    assert f(1)\n")
    assert utf7.parsed and utf7.code == plain.code
    assert [(u.name, u.real, u.fingerprint) for u in utf7.units] == [
        (u.name, u.real, u.fingerprint) for u in plain.units
    ]
    assert not read_source("t.py", "# coding: ascii\nx = 'é'\n".encode()).parsed
