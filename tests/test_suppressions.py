"""suppressions end to end (real repositories, the real CLI) and its pure parts as tables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from guards.checks.suppressions import cfgfacts, compare, extract, loosen
from guards.checks.suppressions.model import Suppression
from guards.errors import GuardsError
from testing.git_repo import CliResult, guards_cli, pr_repo

ROOT = Path(__file__).resolve().parent.parent
REASON = re.compile(r"\s--\s+\S").search
HASH = "#"  # spelled apart, as NOQA
NOQA = "#" + " noqa"  # spelled apart: the project's own line check reads this file as code
IGNORE = "#" + " type:"  # the same
PYPROJECT = '[project]\nname = "app"\n\n[tool.ruff]\nline-length = 100\n'
BASE = {"pyproject.toml": PYPROJECT, "src/app.py": "X = 1\n", "web/app.ts": "const a = 1;\n"}


def run(tmp: Path, head: dict[str, str | None], *extra: str) -> CliResult:
    _, base_sha, head_sha = pr_repo(tmp / "repo", BASE, head)
    args = ["run", "--repo", str(tmp / "repo"), "--base", base_sha, "--head", head_sha]
    return guards_cli(*args, "--only", "suppressions", *extra)


def three(reason: str) -> dict[str, str | None]:
    return {
        "pyproject.toml": PYPROJECT + 'ignore = ["E501"]\n',
        "src/app.py": f"import os  {NOQA}{reason}\nX = 1\n",
        "web/app.ts": f"// @ts-ignore{reason}\nconst a: number = 'x';\n",
    }


def test_bare_suppressions_and_a_loosened_config_fail(tmp_path: Path) -> None:
    result = run(tmp_path, three(""), "--format", "json")
    assert result.code == 1, result.stderr
    findings = result.json()["guards"][0]["findings"]
    assert {(f["rule"], f["path"]) for f in findings} == {
        ("suppressions_not_grown", "src/app.py"),
        ("suppressions_not_grown", "web/app.ts"),
        ("checks_not_loosened", "pyproject.toml"),
    }


def test_reasons_leave_only_the_config_finding(tmp_path: Path) -> None:
    result = run(tmp_path, three(" -- the import registers a plugin"), "--format", "json")
    assert result.code == 1, result.stderr
    findings = result.json()["guards"][0]["findings"]
    assert [(f["rule"], f["message"]) for f in findings] == [
        ("checks_not_loosened", "ruff ignores E501")
    ]


def test_clean_change_passes_with_text_output(tmp_path: Path) -> None:
    result = run(tmp_path, {"src/app.py": "X = 2\n"})
    assert result.code == 0, result.stdout + result.stderr
    assert "ok  suppressions" in result.stdout and "all guards pass" in result.stdout


def test_unparsable_python_fails_closed(tmp_path: Path) -> None:
    result = run(tmp_path, {"src/app.py": "def broken(:\n"})
    assert result.code == 2
    assert "src/app.py" in result.stdout + result.stderr
    assert "suppressions.exclude" in result.stdout + result.stderr  # black's test data


def test_a_head_whose_suppressions_all_have_reasons_never_reads_its_base(tmp_path: Path) -> None:
    """The base side is read only where a head suppression lacks a reason (the only kind that
    can be new or stripped): a base that does not parse, fixed by the change, is then no error."""
    base = {**BASE, "src/app.py": f"import os  {NOQA}\ndef broken(:\n"}
    fixed = {"src/app.py": f"import os  {NOQA} -- registers a plugin\nX = 1\n"}
    _, b, h = pr_repo(tmp_path / "repo", base, fixed)
    args = ["run", "--repo", str(tmp_path / "repo"), "--base", b, "--head", h]
    result = guards_cli(*args, "--only", "suppressions", "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    bare = {"src/app.py": f"import os  {NOQA}\nX = 1\n"}  # unreasoned: the base is read, and fails
    _, b, h = pr_repo(tmp_path / "again", base, bare)
    args = ["run", "--repo", str(tmp_path / "again"), "--base", b, "--head", h]
    result = guards_cli(*args, "--only", "suppressions")
    assert result.code == 2 and "cannot parse Python" in result.stdout + result.stderr


def test_test_data_that_is_no_python_by_design_is_excluded(tmp_path: Path) -> None:
    """black's tests/data/cases/*.py: listed in suppressions.exclude, not read."""
    base = {**BASE, "guards.yaml": "suppressions:\n  exclude: ['tests/data/**']\n"}
    _, b, h = pr_repo(tmp_path / "repo", base, {"tests/data/cases/t.py": "print 'py2'\n"})
    result = guards_cli(
        "run", "--repo", str(tmp_path / "repo"), "--base", b, "--head", h, "--only", "suppressions"
    )
    assert result.code == 0, result.stdout + result.stderr


@pytest.mark.parametrize("pattern", ["(", "(?<=--)\\s"])  # lookbehind: RE2 has none
def test_bad_reason_pattern_is_a_config_error(tmp_path: Path, pattern: str) -> None:
    guards_yaml = f"suppressions:\n  reason-pattern: '{pattern}'\n"
    _, b, h = pr_repo(tmp_path / "r", {"guards.yaml": guards_yaml}, {})
    result = guards_cli("run", "--repo", str(tmp_path / "r"), "--base", b, "--head", h)
    assert result.code == 2 and "reason-pattern" in result.stderr


def test_a_reason_pattern_meets_a_hostile_comment_in_linear_time(tmp_path: Path) -> None:
    """``(a+)+$`` against a comment of 40 a's and a bang: Python's engine backtracks for hours;
    RE2, which reads the pattern, answers at once (the CLI's subprocess has a time bound)."""
    guards_yaml = "suppressions:\n  reason-pattern: '(a+)+$'\n"
    head = {"src/app.py": f"import os  {NOQA}  {'a' * 40}!\nX = 1\n"}
    _, b, h = pr_repo(tmp_path / "r", {**BASE, "guards.yaml": guards_yaml}, head)
    args = ["run", "--repo", str(tmp_path / "r"), "--base", b, "--head", h, "--format", "json"]
    result = guards_cli(*args, "--only", "suppressions")
    assert result.code == 1, result.stderr
    (finding,) = result.json()["guards"][0]["findings"]
    assert (finding["rule"], finding["path"]) == ("suppressions_not_grown", "src/app.py")


FORMS = [
    ("a.py", f"x = 1  {NOQA}: E501, F401\n", [("noqa", ("E501", "F401"))]),
    ("a.py", "x = 1  #NOQA\n", [("noqa", ())]),
    (
        "a.py",
        f"x = f()  {IGNORE}  ignore[attr-defined, misc]\n",
        [("type-ignore", ("attr-defined", "misc"))],
    ),
    ("a.py", f"x = '{IGNORE} ignore'\n", []),
    ("a.py", "x = 1  # pylint: disable=invalid-name\n", [("pylint-disable", ("invalid-name",))]),
    (
        "a.py",
        "# mypy: disable-error-code=attr-defined\n",
        [("mypy-file", ("disable-error-code=attr-defined",))],
    ),
    (
        "a.ts",
        "f(); // eslint-disable-line no-undef, no-alert -- why\n",
        [("eslint-disable-line", ("no-alert", "no-undef"))],
    ),
    ("a.ts", "const s = `// @ts-ignore`;\n", []),
    # ESLint: a directive at a comment's start only; a rule setting off in a block comment
    ("a.ts", "f(); // note: eslint-disable-line is gone\n", []),
    ("a.ts", "/** eslint-disable */\n", []),
    ("a.ts", "f(); /*eslint-disable-line*/\n", [("eslint-disable-line", ())]),
    (
        "a.ts",
        '/* eslint no-console: "off", eqeqeq: [0] -- old */\n',
        [("eslint-disable", ("eqeqeq", "no-console"))],
    ),
    (
        "a.ts",
        '/* eslint quotes: ["error", {"avoidEscape": 0}], semi: off */\n',
        [("eslint-disable", ("semi",))],
    ),
    ("a.ts", '/* eslint eqeqeq: "error" */\n// eslint no-console: "off"\n', []),
    (
        "a.go",
        "package a\n\nvar x = 1 //nolint:gochecknoglobals\n",
        [("nolint", ("gochecknoglobals",))],
    ),
    ("a.rs", '#[allow(dead_code, reason = "ffi")]\nfn f() {}\n', [("allow", ("dead_code",))]),
    # rustc reads tokens: comments between them, spacing and raw identifiers change nothing
    ("a.rs", "#[expect(dead_code)]\nfn f() {}\n", [("allow", ("dead_code",))]),
    ("a.rs", "#[r#allow(r#dead_code)]\nfn f() {}\n", [("allow", ("dead_code",))]),
    ("a.rs", "# /* a */ ! [allow /* b */ (unused)]\n", [("allow", ("unused",))]),
    (
        "a.rs",
        "#[allow(clippy :: unwrap_used,\n    clippy::r#all)]\nfn f() {}\n",
        [("allow", ("clippy::all", "clippy::unwrap_used"))],
    ),
    ("a.rs", '#[derive(Debug)]\nstruct S; // "#[allow(x)]"\n', []),
    ("A.java", '/** Avoid {@code @SuppressWarnings("all")}. */\nclass A {}\n', []),
    (
        "A.java",
        'class A { @ /* x */ java . lang . SuppressWarnings("all") void f() {} }\n',
        [("SuppressWarnings", ("all",))],
    ),
    (
        "A.java",
        'class A { @SuppressWarnings({"unchecked", "rawtypes"}) void f() {} }\n',
        [("SuppressWarnings", ("rawtypes", "unchecked"))],
    ),
    (  # javac translates Unicode escapes first: these are the annotation (core/java_text.py)
        "A.java",
        'class A { \\u0040SuppressWarnings("unchecked") void f() {} }\n',
        [("SuppressWarnings", ("unchecked",))],
    ),
    (
        "A.java",
        'class A { @Suppress\\uu0057arnings("all") void f() {} }\n',
        [("SuppressWarnings", ("all",))],
    ),
    ("A.java", 'class A { String s = "\\\\u0040SuppressWarnings(\\"x\\")"; }\n', []),
    (
        "a.kt",
        '@file:Suppress("MagicNumber")\npackage a\n',
        [("SuppressWarnings", ("MagicNumber",))],
    ),
    (
        "a.rb",
        "x = '# rubocop:disable Foo' # rubocop:disable Style/Bar\n",
        [("rubocop-disable", ("Style/Bar",))],
    ),
    (
        "a.sh",
        "echo '# shellcheck disable=SC1'\n# shellcheck disable=SC2086,SC2034\n",
        [("shellcheck-disable", ("SC2034", "SC2086"))],
    ),
    # as ShellCheck 0.9 and RuboCop 1.39 read them (each case run through the tool itself)
    ("a.sh", "# shellcheck source=x.sh disable=2086\n", [("shellcheck-disable", ("SC2086",))]),
    ("a.sh", "# note: shellcheck disable=SC2086\n# ShellCheck disable=SC1\n", []),
    (
        "a.sh",
        "# shellcheck disable=SC2086# why disable=SC1\n",
        [("shellcheck-disable", ("SC2086",))],
    ),
    ("a.rb", "x = 1 # note: rubocop:disable Foo/Bar\ny # RuboCop:disable A/B\n", []),
    ("a.rb", "x = 1 #rubocop : disable Foo/Bar, Baz\n", [("rubocop-disable", ("Baz", "Foo/Bar"))]),
    ("a.py", "x = 1  # a `# fmt: off` region, yapf: disable-ish\n", []),  # prose (black)
    ("a.py", "x = 1  # fmt:off\n", [("fmt-off", ("off",))]),
    ("a.py", "x = [1]  # aligned; fmt: skip\n", [("fmt-off", ("skip",))]),
    ("a.py", f"x = [1]  {NOQA}: E501 # fmt: skip\n", [("noqa", ("E501",)), ("fmt-off", ("skip",))]),
    ("a.py", "x = [1]  # fmt: skip -- aligned\n", [("fmt-off", ("skip",))]),
    # Biome and istanbul read a directive where their parsers look (each case run through them)
    ("a.ts", "// note: biome-ignore lint/a/b: prose\n", []),
    ("a.ts", "// BIOME-IGNORE lint/a/b: upper\n", []),
    (
        "a.ts",
        "/*\n * biome-ignore lint/a/b lint/c/d: x\n */\n",
        [("biome-ignore", ("lint/a/b", "lint/c/d"))],
    ),
    ("a.js", "// do not add istanbul ignore next here\n", []),
    ("a.js", "/** istanbul ignore next */\n", []),
    ("a.js", "/* istanbul ignore nextTick */\n", []),
    ("a.js", "/* ISTANBUL ignore next */\n", []),
    ("a.js", "/*\u00a0istanbul ignore next */\n", [("istanbul-ignore", ("next",))]),
    ("a.js", "/* istanbul ignore next\u00e9 */\n", [("istanbul-ignore", ("next",))]),
    ("notes.md", f"{NOQA}\n", []),
    ("a.py", "# mypy: strict, warn-unreachable\n", []),
]


# Each comment above `const a: number = "x";` in a .ts file, and whether TypeScript 5.9 (tsc
# --strict) then reports the error: a directive silences it, anything else does not.
TS_DIRECTIVES = [
    ("// @ts-ignore\n", "ignore"),
    ("/// @ts-ignore\n", "ignore"),
    ("//@ts-ignore\n", "ignore"),
    ("//\t@ts-ignore\n", "ignore"),
    ("// @ts-ignored\n", "ignore"),
    ("// @ts-expect-error\n", "expect-error"),
    ("/* @ts-ignore */\n", "ignore"),
    ("/** @ts-ignore */\n", "ignore"),
    ("/* because\n * @ts-ignore */\n", "ignore"),
    ("// @ts-nocheck\n", "nocheck"),
    ("// @TS-NOCHECK\n", "nocheck"),
    ("// @ts-nocheck: legacy\n", "nocheck"),
    ("// header\n\n/* x */\n// @ts-nocheck\n", "nocheck"),
    ("#!/usr/bin/env node\n// @ts-nocheck\n", "nocheck"),
    ("//// @ts-ignore\n", None),
    ("// do not use @ts-ignore here\n", None),
    ("// @TS-IGNORE\n", None),
    ("// see @ts-expect-error\n", None),
    ("/* @ts-ignore\n   because */\n", None),
    ("/* not @ts-ignore */\n", None),
    ("const b = 1;\n// @ts-nocheck\n", None),
    ("/* @ts-nocheck */\n", None),
    ("/**\n * File.\n * @ts-nocheck\n */\n", None),
    ("// not @ts-nocheck\n", None),
    ("// @ts-nocheckx\n", None),
]


# Whether a suppression's own syntax gives its reason, each case run through the tool that reads
# it: typescript-eslint 8.74 (``ban-ts-comment``, ``allow-with-description``: 3 characters as
# ``Intl.Segmenter`` counts them, after JavaScript's trim), Biome 2.6.9 (``biome lint``: it
# refuses a suppression without a reason), istanbul-lib-instrument 6.0.3 and
# eslint-plugin-istanbul's ``prefer-ignore-reason``, ShellCheck 0.11 (``-- why`` is a parse
# error there). A tuple: (comment, tool, reasoned).
OWN_REASONS = [
    ("// @ts-expect-error ES2021 API", "ts-ignore", True),  # vuejs/core b6191cbf95
    ("// @ts-expect-error ok", "ts-ignore", False),
    ("// @ts-expect-error    ab    ", "ts-ignore", False),
    ("// @ts-ignore -- x", "ts-ignore", True),
    ("// @ts-ignore --", "ts-ignore", False),
    ("// @ts-expect-error: a", "ts-ignore", True),
    ("/* @ts-expect-error block reason */", "ts-ignore", True),
    ("/* why\n * @ts-ignore */", "ts-ignore", False),  # its last line says nothing after it
    ("// @ts-expect-error \U0001f468\u200d\U0001f469\u200d\U0001f467", "ts-ignore", False),
    ("// @ts-expect-error \U0001f1fa\U0001f1f8\U0001f1eb\U0001f1f7", "ts-ignore", False),
    (
        "// @ts-expect-error \U0001f1fa\U0001f1f8\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea",
        "ts-ignore",
        True,
    ),
    ("// @ts-expect-error \U0001f44d\U0001f3fd\U0001f44d\U0001f3fd", "ts-ignore", False),
    ("// @ts-expect-error e\u0301e\u0301", "ts-ignore", False),
    ("// @ts-expect-error e\u0301e\u0301e", "ts-ignore", True),
    ("// @ts-expect-error \ufeffab\ufeff", "ts-ignore", False),  # a BOM is JavaScript space
    ("// @ts-expect-error x\x1cy", "ts-ignore", True),  # U+001C is none
    ("// biome-ignore lint/suspicious/noDebugger: needed here", "biome-ignore", True),
    ("// biome-ignore lint/suspicious/noDebugger:", "biome-ignore", False),
    ("// biome-ignore lint/suspicious/noDebugger", "biome-ignore", False),
    ("/* biome-ignore lint/suspicious/noDebugger: */", "biome-ignore", False),
    ("/** biome-ignore lint/suspicious/noDebugger: jsdoc */", "biome-ignore", True),
    ("/*\n * biome-ignore lint/a/b lint/c/d: both\n */", "biome-ignore", True),
    ("// biome-ignore lint/a/b(x:y): value", "biome-ignore", True),
    ("/* istanbul ignore next */", "istanbul-ignore", False),
    ("/* istanbul ignore next: covered in e2e */", "istanbul-ignore", True),
    ("// istanbul ignore else: later", "istanbul-ignore", True),
    ("/* istanbul ignore file - */", "istanbul-ignore", False),
    ("# shellcheck disable=SC2086 # the glob is wanted", "shellcheck-disable", True),
    ("# shellcheck disable=SC2086#why", "shellcheck-disable", True),
    ("# shellcheck disable=SC2086 #", "shellcheck-disable", False),
    ("# shellcheck disable=SC2086 source=x.sh # why", "shellcheck-disable", True),
]


@pytest.mark.parametrize(("comment", "tool", "reasoned"), OWN_REASONS)
def test_a_tools_own_reason_is_read_as_its_tool_reads_it(
    comment: str, tool: str, reasoned: bool
) -> None:
    path, code = ("a.sh", "echo $1") if comment.startswith("# ") else ("a.ts", "const a = 1;")
    found = extract.suppressions(path, f"{comment}\n{code}\n".encode(), REASON)
    assert [(s.tool, s.reasoned) for s in found] == [(tool, reasoned)]


@pytest.mark.parametrize(("comment", "code"), TS_DIRECTIVES)
def test_typescript_directives_read_as_tsc_reads_them(comment: str, code: str | None) -> None:
    text = f'{comment}const a: number = "x";\n'
    found = [(s.tool, s.codes) for s in extract.suppressions("a.ts", text.encode(), REASON)]
    assert found == ([("ts-ignore", (code,))] if code else [])


@pytest.mark.parametrize(("path", "text", "expected"), FORMS)
def test_forms_are_read_from_comments_only(path: str, text: str, expected: list[Any]) -> None:
    found = extract.suppressions(path, text.encode(), REASON)
    assert [(s.tool, s.codes) for s in found] == expected


@pytest.mark.parametrize(
    ("path", "text", "reasoned"),
    [
        ("a.go", "var x = 1 //nolint:gosec // G703: the user's own path\n", True),  # cobra
        ("a.go", "var x = 1 //nolint // generated\n", True),
        ("a.go", "var x = 1 //nolint:gosec,errcheck -- why\n", True),  # reason-pattern's own
        ("a.go", "var x = 1 //nolint:gosec //   \n", False),
        ("a.go", "var x = 1 //nolint:gosec\n", False),
        # golangci-lint cuts the linters at "//", and nolintlint reads the rest as the reason
        ("a.go", "var x = 1 //nolint:gosec// why\n", True),
        ("a.go", "var x = 1 //nolint: gosec, errcheck // why\n", True),
        ("a.rs", '#[allow(dead_code, reason = "ffi")]\nfn f() {}\n', True),
        ("a.rs", '#[allow(dead_code, reason = "")]\nfn f() {}\n', False),
    ],
)
def test_a_tools_own_reason_syntax_counts(path: str, text: str, reasoned: bool) -> None:
    (found,) = extract.suppressions(
        path, ("package a\n\n" * path.endswith(".go") + text).encode(), REASON
    )
    assert found.reasoned is reasoned


def test_enclosing_definition_names_the_method() -> None:
    text = f"class A:\n    @dec\n    def f(self):\n        return 1  {NOQA}\n"
    (found,) = extract.suppressions("a.py", text.encode(), REASON)
    assert found.scope == "A.f" and found.line == 4


def sup(codes: tuple[str, ...] = (), scope: str = "f", reasoned: bool = False) -> Suppression:
    return Suppression("a.py", scope, "noqa", codes, 1, "", reasoned)


COMPARE = [
    ("same one moved", [sup()], [sup()._replace(line=9)], 0, 0),
    ("one more in the same function", [sup()], [sup(), sup()], 1, 0),
    ("widened to everything", [sup(("E501",))], [sup()], 1, 0),
    ("narrowed to one code", [sup()], [sup(("E501",))], 0, 0),
    ("new with a reason", [], [sup(reasoned=True)], 0, 0),
    ("reason taken away", [sup(reasoned=True)], [sup()], 0, 1),
    ("traded between functions", [sup(scope="f")], [sup(scope="g")], 1, 0),
]


@pytest.mark.parametrize(("case", "base", "head", "new", "stripped"), COMPARE)
def test_compare(case: str, base: Any, head: Any, new: int, stripped: int) -> None:
    verdict = compare.compare(base, head)
    assert (len(verdict.new), len(verdict.stripped)) == (new, stripped), case


FLASK_FILES = "    # __init__ exports names\n    src/flask/__init__.py: F401\n"
FLASK_IGNORED = ["flake8 per-file-ignores adds src/flask/__init__.py:F401"]
FLAKE8_IGNORES = ["flake8 ignores E203, E402"]
LOOSEN = [
    (
        "pyproject.toml",
        "[tool.coverage.report]\nfail_under = 90\n",
        "",
        ["coverage fail_under 90 is removed"],
    ),
    (
        "setup.cfg",
        "[mypy]\nstrict = True\n",
        "[mypy]\nstrict = False\n",
        ["mypy strict is switched off"],
    ),
    (
        "mypy.ini",
        "[mypy]\n",
        "[mypy]\n[mypy-pkg.*]\nignore_errors = True\n",
        ["mypy ignore_errors is on for mypy-pkg.*"],
    ),
    (
        ".eslintrc.yml",
        "rules:\n  eqeqeq: error\n",
        "rules:\n  eqeqeq: [off]\n",
        ["eslint turns off eqeqeq"],
    ),
    (
        "package.json",
        '{"eslintConfig": {"rules": {}}}',
        '{"eslintConfig": {"rules": {"semi": 0}}}',
        ["eslint turns off semi"],
    ),
    (
        "tsconfig.app.json",
        '{"compilerOptions": {"strict": true}}',
        "{}",
        ["tsconfig switches off strict"],
    ),
    (
        "pyproject.toml",
        '[tool.ruff.lint]\nignore = ["E501"]\n',
        '[tool.ruff.lint]\nignore = ["E501"]\n',
        [],
    ),
    # as pylint 4 reads them: its own rcfile's every section, [tool.pylint.*], setup.cfg's
    # [pylint.*] sections only
    (".pylintrc", "[MAIN]\n", "[MESSAGES CONTROL]\ndisable=W0611\n", ["pylint disables W0611"]),
    (
        ".pylintrc.toml",
        "[tool.pylint.main]\n",
        '[tool.pylint]\ndisable = "W0611"\n',
        ["pylint disables W0611"],
    ),
    ("setup.cfg", "[metadata]\n", "[MESSAGES CONTROL]\ndisable=W0611\n", []),
    # paths a checker stops reading (each checked with ruff, flake8, mypy and pylint themselves)
    ("ruff.toml", "", '[lint]\nexclude = ["a.py"]\n', ["ruff excludes a.py"]),
    (".flake8", "[flake8]\n", "[flake8]\nextend-exclude = a.py\n", ["flake8 excludes a.py"]),
    ("mypy.ini", "[mypy]\n", "[mypy]\nexclude = ^a\\.py$\n", ["mypy excludes ^a\\.py$"]),
    ("pylintrc", "[MAIN]\n", "[MAIN]\nignore-paths=a.py\n", ["pylint ignores a.py"]),
    (".eslintignore", "dist/\n", "dist/\n# x\na/**\n", ["eslint ignores a/**"]),
    (
        "eslint.config.js",
        "export default [];",
        'export default [{ignores: ["a/**"]}];',
        ["eslint ignores a/**"],
    ),
    ("tsconfig.json", "{}", '{"exclude": ["a"]}', ["tsconfig excludes a"]),
    ("ruff.toml", 'extend-exclude = ["a", "b"]\n', 'extend-exclude = ["a"]\n', []),
    ("ruff.toml", 'extend-exclude = ["a/"]\n', 'extend-exclude = ["a"]\n', []),  # pydantic
    # flake8 reads an INI list split at commas and whitespace, per-file-ignores as groups of
    # "files: codes" (flask's .flake8, comment lines and all); each checked with flake8 7
    (".flake8", "[flake8]\nextend-ignore = E203 E402\n", "[flake8]\nextend-ignore = E203\n", []),
    (".flake8", "[flake8]\n", "[flake8]\nextend-ignore = E203 E402\n", FLAKE8_IGNORES),
    (".flake8", "[flake8]\n", f"[flake8]\nper-file-ignores =\n{FLASK_FILES}", FLASK_IGNORED),
    (".flake8", f"[flake8]\nper-file-ignores = {FLASK_FILES}", f"[flake8]\nper-file-ignores ="
     f" {FLASK_FILES}", []),
    ("setup.cfg", "[flake8]\n", "[flake8]\nper-file-ignores = a.py b.py: E1,W2 c.py:F4\n",
     ["flake8 per-file-ignores adds a.py:E1, a.py:W2, b.py:E1, b.py:W2, c.py:F4"]),
]  # fmt: skip # -- the flake8 rows read best as packed as the INI they hold


@pytest.mark.parametrize(
    ("path", "text", "words"),
    [
        (".flake8", "[flake8]\nper-file-ignores = a.py\n", "[flake8] per-file-ignores"),
        (".flake8", "[flake8]\nper-file-ignores = E1 : a.py\n", "[flake8] per-file-ignores"),
        ("ruff.toml", 'per-file-ignores = "a.py"\n', "per-file-ignores is a string"),
        ("pyproject.toml", "[tool.ruff]\nlint = 3\n", "tool.ruff.lint is a number"),
        ("pyproject.toml", "[tool.mypy]\noverrides = [1]\n", "tool.mypy.overrides[0] is a number"),
        (".coveragerc", "[report]\nfail_under = most\n", "fail_under is a string"),
        (".eslintrc.json", '{"rules": ["no-console"]}', "rules is an array"),
        ("tsconfig.json", '{"compilerOptions": true}', "compilerOptions is a boolean"),
        # YAML a pull request writes is read strictly: an alias is a bomb or a cycle
        (".eslintrc.yml", "overrides: &o\n  - overrides: *o\n", "line 1: defines an anchor"),
        (".eslintrc.yml", "rules: {}\nrules: {x: off}\n", "line 2: gives the key 'rules' twice"),
    ],
)
def test_a_config_in_a_shape_its_checker_refuses_is_refused(
    path: str, text: str, words: str
) -> None:
    read = cfgfacts.reader(path)
    assert read is not None
    with pytest.raises(GuardsError, match=re.escape(f"{path}: {words}")):
        read(text.encode(), path)


def test_a_refused_config_is_exit_2_naming_file_and_key(tmp_path: Path) -> None:
    result = run(tmp_path, {".flake8": "[flake8]\nper-file-ignores =\n    a.py\n"})
    assert result.code == 2, result.stdout + result.stderr
    assert ".flake8: [flake8] per-file-ignores is not the 'files: codes' mapping" in result.stdout
    assert "internal error" not in result.stdout


@pytest.mark.parametrize(("path", "before", "after", "expected"), LOOSEN)
def test_loosened(path: str, before: str, after: str, expected: list[str]) -> None:
    read = cfgfacts.reader(path)
    assert read is not None
    base = read(before.encode(), path)
    assert list(loosen.loosened(base, read(after.encode(), path))) == expected


def test_the_projects_own_suppressions_carry_reasons() -> None:
    bare = [
        f"{path.relative_to(ROOT)}:{s.line}"
        for folder in ("guards", "tests", "testing", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
        and not {"probes", "fixtures"} & set(path.parts)
        and extract.language(str(path))
        for s in extract.suppressions(str(path), path.read_bytes(), REASON)
        if not s.reasoned
    ]
    assert not bare, f"suppressions without a reason: {bare}"


@pytest.mark.parametrize(
    ("path", "text", "count"),
    [
        ("a.js", "/* eslint " + " -- x" * 200_000 + " *", 0),  # unterminated: every -- a try
        ("a.go", "package a\n\nvar x = 1 //nolint:gosec" + " " * 1_000_000 + "x\n", 1),
        ("a.ts", "/*" + " " * 1_000_000 + "x */\n", 0),  # a block comment's last line
        ("a.ts", "/*" + " \n" * 500_000 + " * x */\n", 0),
        ("a.ts", "/*" + " /" * 500_000 + " @ts-ignor */\n", 0),
        ("a.ts", "/*\n" + " " * 1_000_000 + "x */\n", 0),  # Biome reads every line's start
        ("a.ts", "// biome-ignore lint" + "(" * 1_000_000 + "\n", 1),  # no value closes
        ("a.ts", "/* istanbul ignore next" + " " * 1_000_000 + "*/\n", 1),
        # many directives side by side: each read once, never each against the others
        ("a.py", HASH + "noqa" * 100_000 + "\n", 1),
        ("a.py", '"' + HASH * 100_000 + "\n", 0),  # a "#" everywhere, no hint word: no parse
        ("a.js", "/*eslint-disable*/" * 20_000, 20_000),
        ("a.rs", "#[allow(x)]" * 20_000 + "\nfn a() {}\n", 20_000),
    ],
)
def test_a_hostile_comment_is_read_in_linear_time(path: str, text: str, count: int) -> None:
    """Megabyte comments, and thousands of directives side by side, that quadratic reading
    would take minutes over; the reading here is linear, so the answer comes at once."""
    try:
        found = extract.suppressions(path, text.encode(), REASON)
    except GuardsError:  # not Python: refused, and as quickly
        found = []
    assert len(found) == count
    assert not any(s.reasoned for s in found)
