"""The Go collector's pure parts (build constraints, subtest names, test names) and the
constructs it cannot decide, which stop the verdict (exit 2) instead of passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect import go
from guards.collect.go import constraints
from guards.collect.go.tests import is_test_name, rewrite
from guards.collect.model import NotParsable, Undecidable
from testing.git_repo import GitRepo
from tests.lang_support import RevFiles, kinds_of


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("linux", True),
        ("windows", False),
        ("linux && amd64", True),
        ("linux && arm64", False),
        ("!windows", True),
        ("windows || linux", True),
        ("!(linux || darwin)", False),
        ("unix && !plan9", True),
        ("integration", False),
        ("ignore", False),
        ("go1.18", True),
        ("cgo", True),
        ("gc && !gccgo", True),
        ("(linux || darwin) && !integration", True),
    ],
)
def test_go_build_expressions(expr: str, value: bool) -> None:
    assert constraints.evaluate(expr) is value


@pytest.mark.parametrize("expr", ["(linux", "linux &&", "&& linux", "linux )", "a ^ b"])
def test_malformed_go_build_is_an_error(expr: str) -> None:
    with pytest.raises(ValueError):
        constraints.evaluate(expr)


@pytest.mark.parametrize(
    ("name", "excluded"),
    [
        ("a_test.go", False),
        ("a_linux_test.go", False),
        ("a_windows_test.go", True),
        ("a_arm64_test.go", True),
        ("a_linux_amd64_test.go", False),
        ("a_linux_arm64_test.go", True),
        ("windows_test.go", False),
        ("_a_test.go", True),
        (".a_test.go", True),
        ("a_darwin.go", True),
        ("a_unix_test.go", False),
    ],
)
def test_file_name_constraints(name: str, excluded: bool) -> None:
    assert bool(constraints.name_excludes(name)) is excluded


@pytest.mark.parametrize(
    ("header", "excluded"),
    [
        ("// +build ignore\n\npackage a\n", True),
        ("// +build linux,amd64 darwin\n\npackage a\n", False),
        ("// +build linux\n// +build arm64\n\npackage a\n", True),
        ("// Doc.\n// +build ignore\npackage a\n", False),  # no blank line: package doc
        ("//go:build linux\n// +build ignore\n\npackage a\n", False),  # go:build wins
        ("package a\n\n//go:build ignore\n", False),  # after the package clause
    ],
)
def test_header_constraints(header: str, excluded: bool) -> None:
    assert bool(constraints.header_excludes(header)) is excluded


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("TestX", True),
        ("Test", True),
        ("Test_x", True),
        ("Testx", False),
        ("TestMain", False),
        ("BenchmarkX", True),
        ("FuzzX", True),
        ("Fuzzy", False),
        ("Helper", False),
    ],
)
def test_test_names(name: str, ok: bool) -> None:
    assert is_test_name(name) is ok


def test_subtest_names_as_go_rewrites_them() -> None:
    assert rewrite("two words here", "a_test.go", 1) == "two_words_here"
    with pytest.raises(Undecidable):
        rewrite("tab\there", "a_test.go", 1)


def _repo(tmp_path: Path, files: dict[str, str]) -> RevFiles:
    repo = GitRepo(tmp_path / "r")
    repo.write(files)
    repo.commit()
    return RevFiles(repo.path)


MOD = "module example.com/m\n\ngo 1.21\n"


def test_computed_subtest_names_keep_the_parent_only(tmp_path: Path) -> None:
    src = (
        'package a\n\nimport "testing"\n\nfunc TestT(t *testing.T) {\n'
        '\tfor _, n := range []string{"a"} {\n\t\tt.Run(n, func(t *testing.T) {})\n\t}\n}\n'
    )
    files = _repo(tmp_path, {"go.mod": MOD, "a/a_test.go": src})
    assert kinds_of(go.collect(files, ["a/a_test.go"])) == {"example.com/m/a::TestT": []}


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            {"a/a_test.go": 'package a\n\nimport "testing"\n\nfunc TestA(t *testing.T) {}\n'},
            Undecidable,
        ),  # no go.mod: GOPATH mode
        ({"go.mod": MOD, "a/a_test.go": "//go:build (linux\n\npackage a\n"}, Undecidable),
        ({"go.mod": MOD, "a/a_test.go": "package a\n\nfunc TestA(t *testing.T) {\n"}, NotParsable),
        ({"go.mod": "go 1.21\n", "a/a_test.go": "package a\n"}, Undecidable),
    ],
    ids=["no-go-mod", "malformed-go-build", "syntax-error", "no-module-line"],
)
def test_undecidable_inputs_stop_the_verdict(
    tmp_path: Path, files: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        go.collect(_repo(tmp_path, files), ["a/a_test.go"])


def test_claims() -> None:
    assert go.claims("a/b_test.go") and go.claims("a/helper.go")
    assert not go.claims("a/testdata/x_test.go") and not go.claims("vendor/x/y_test.go")
    assert not go.claims("a/b.rs") and not go.claims("_tools/x_test.go")
