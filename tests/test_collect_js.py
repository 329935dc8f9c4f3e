"""The JS/TS collector: forms, identities, configs, and what stops a verdict (real git, real CLI).

The oracle (test_collect_js_oracle.py) proves the forms against the runners; this file pins
the pieces the runners cannot show: undecidable constructs, syntax errors, config reading,
the glob and ``.each`` formatting tables, and the CLI on PRs and mixed-language trees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect import js, languages
from guards.collect.js import configread, each, globs
from guards.collect.js.syntax import parse
from guards.collect.model import NotParsable, TestItem, Undecidable
from testing.git_repo import GitRepo, guards_cli, pr_repo


class Tree:
    """Files of one revision held in memory (the collector only needs read)."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {k: v.encode() for k, v in files.items()}

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)

    def exists(self, path: str) -> bool:
        return path in self.files

    def list_dir(self, folder: str) -> list[str]:
        return [p for p in self.files if p.rsplit("/", 1)[0] == folder]

    def below(self, folder: str) -> list[str]:
        return [p for p in self.files if not folder or p.startswith(folder + "/")]


def collected(files: dict[str, str], path: str) -> dict[str, list[str]]:
    results = js.collect(Tree(files), [path])
    found: list[TestItem] = [t for r in results for t in r.tests]
    return {t.nodeid: [s.kind for s in t.skips] for t in found}


def in_one_file(source: str) -> dict[str, list[str]]:
    """The kinds of skip of each test SOURCE declares as ``a.test.js``, by its name in the file."""
    found = collected({"a.test.js": source}, "a.test.js")
    return {nodeid.removeprefix("a.test.js > "): kinds for nodeid, kinds in found.items()}


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("**/?(*.)+(spec|test).?([mc])[jt]s?(x)", "/r/src/a.test.ts", True),
        ("**/?(*.)+(spec|test).?([mc])[jt]s?(x)", "/r/src/a.spec.mjs", True),
        ("**/?(*.)+(spec|test).?([mc])[jt]s?(x)", "/r/src/a.ts", False),
        ("**/__tests__/**/*.?([mc])[jt]s?(x)", "/r/__tests__/x.jsx", True),
        ("src/**/*.test.{js,ts}", "src/a/b.test.ts", True),
        ("src/**/*.test.{js,ts}", "lib/b.test.ts", False),
        ("./test/*.{js,cjs,mjs}", "test/a.cjs", True),
        ("./test/*.{js,cjs,mjs}", "test/deep/a.js", False),
        ("**/.{idea,git}/**", "x/.git/y", True),
    ],
)
def test_globs_match_as_micromatch_does(glob: str, path: str, matches: bool) -> None:
    assert globs.matches(glob, path) is matches


def test_a_negated_extglob_is_refused() -> None:
    with pytest.raises(ValueError, match="negated"):
        globs.compile_glob("**/!(a).js")


@pytest.mark.parametrize(
    ("source", "flavor", "expected"),
    [
        ("([[1, 2]])", "jest", ["add 1 2 0"]),
        ("([{a: 'x'}])", "jest", ["add x %i 0"]),
        ("([{a: 'x'}])", "vitest", ["add 'x' %i 0"]),
        ("(['p', 'q'])", "jest", ["add p %i 0", "add q %i 1"]),
        ("([[rows]])", "jest", None),
    ],
)
def test_each_titles(source: str, flavor: str, expected: list[str] | None) -> None:
    root = parse("a.test.js", f"it.each{source}('x', () => {{}});".encode())
    call = root.named_children[0].named_children[0].child_by_field_name("function")
    assert call is not None
    table = call.child_by_field_name("arguments")
    assert table is not None
    template = "add $a %i %#" if "{" in source else "add %s %i %#"
    assert each.titles(template, table, flavor) == expected


def test_identity_is_path_describe_chain_and_title() -> None:
    found = collected(
        {
            "a.test.ts": "describe('s', () => {\n  describe('t', () => {\n"
            "    it('x', () => {});\n  });\n});\n"
        },
        "a.test.ts",
    )
    assert found == {"a.test.ts > s > t > x": []}


def test_a_computed_title_is_keyed_by_its_source_with_a_note() -> None:
    results = js.collect(Tree({"a.test.js": "it.skip(name, () => {});\n"}), ["a.test.js"])
    [item] = results[0].tests
    assert item.nodeid == "a.test.js > name"
    assert "not a literal" in item.by_function


SUITE = "function suite() {\n  it('x', () => {});\n}\n"
HELPER = "function h() {\n  it('x', () => {});\n}\n"


@pytest.mark.parametrize(
    "source",
    [
        "it[mode]('x', () => {});\n",
        "(fast ? it : it.only)('x', () => {});\n",
        "(fast ? it : it.todo)('x', () => {});\n",
        "(fast ? it.skip : it.skip.skip)('x', () => {});\n",
        "(fast ? it.each : it.skip.each)([1])('x', () => {});\n",
        "(fast ? it : test.skip)('x', () => {});\n",
        "let t = it;\nt = it.skip;\nt('x', () => {});\n",
        "function shared() {\n  it('x', () => {});\n}\n",
        "describe('s', body);\n",
        # a suite's named callback that runs elsewhere too, or is not the file's own
        f"describe('a', suite);\ndescribe('b', suite);\n{SUITE}",
        f"describe('a', suite);\nsuite();\n{SUITE}",
        f"describe('a', suite);\nmodule.exports = {{ suite }};\n{SUITE}",
        f"describe('a', suite);\nexport {SUITE}",
        f"describe('a', suite);\nif (x) {{\n  {SUITE}}}\n",
        f"describe('a', helpers.suite);\n{SUITE}",
        "let suite = () => {};\ndescribe('a', suite);\nsuite = () => it('x', () => {});\n",
        # a test API used as a value, not called where the walker reads it (escapes.py)
        "test.skip.call(null, 'x', () => {});\n",
        "test.skip.apply(null, ['x', () => {}]);\n",
        "test['skip'].bind(null)('x', () => {});\n",
        "Reflect.apply(test.skip, null, ['x', () => {}]);\n",
        "const s = [test.skip][0];\ns('x', () => {});\n",
        "const o = { s: test.skip };\no.s('x', () => {});\n",
        "const o = { it };\no.it.skip('x', () => {});\n",
        "const itIf = (c) => (c ? it : it.skip);\nitIf(false)('x', () => {});\n",
        "function pick() {\n  return describe.skip;\n}\npick()('s', () => {});\n",
        "import * as v from 'vitest';\nconst [s] = [v.test.skip];\ns('x', () => {});\n",
        "const run = (t = it.skip) => t('x', () => {});\n",
        # a helper that declares tests, but not only through direct calls where it is declared
        f"{HELPER}h();\nh();\nh();\nfunction g() {{}}\nmodule.exports = {{ h }};\n",
        f"{HELPER}describe('s', () => h());\nconst g = h;\n",
        f"{HELPER}describe('s', () => h());\nfunction k(h) {{\n  return h;\n}}\n",
        f"describe('a', () => {{\n  {HELPER}}});\nh();\n",
        f"{HELPER}beforeEach(() => h());\n",
        f"{HELPER}{HELPER}h();\n",
        "async function h() {\n  it('x', () => {});\n}\nh();\n",
        "function h() {\n  it('x', () => {});\n  h();\n}\nh();\n",
        "function h() {\n  beforeEach(function () {\n    this.skip();\n  });\n"
        "  it('x', () => {});\n}\ndescribe('s', () => {\n  it('y', () => {});\n  h();\n});\n",
        "function f0() {\n  it('x', () => {});\n}\n"
        + "".join(f"function f{i}() {{\n  f{i - 1}();\n  f{i - 1}();\n}}\n" for i in range(1, 12))
        + "f11();\n",
        # a helper's body walked past 2 MB in all (a million tests from a small file)
        "function h() {\n  it('x', () => {});\n  const s = '"
        + "x" * 600_000
        + "';\n}\n"
        + "".join(f"describe('d{i}', () => h());\n" for i in range(4)),
        "".join(f"function h{i}() {{\n  describe('d', () => h{i + 1}());\n}}\n" for i in range(40))
        + f"function h40() {{\n  {HELPER}}}\nh0();\n",
    ],
)
def test_run_time_choices_are_undecidable(source: str) -> None:
    with pytest.raises(Undecidable):
        js.collect(Tree({"a.test.js": source}), ["a.test.js"])


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("(0, test.skip)('x', () => {});\n", {"a.test.js > x": ["skip"]}),
        (
            "(0, describe.skip)('s', () => {\n  it('x', () => {});\n});\n",
            {"a.test.js > s > x": ["skip"]},
        ),
        ("const ok = flag ? it : it.skip;\nok('x', () => {});\n", {"a.test.js > x": ["skipif"]}),
        # names the file binds to something else are no test API there
        ("[1].forEach((test) => {\n  it('x', () => check(test));\n});\n", {"a.test.js > x": []}),
        ("for (const test of cases) {\n  it('x', () => run(test));\n}\n", {"a.test.js > x": []}),
        (
            "function test(a) {\n  return a;\n}\n"
            "const one = test.bind(null, 1);\nit('x', () => {});\n",
            {"a.test.js > x": []},
        ),
        ("it('x', () => {});\nconsole.log(it.name, typeof it);\n", {"a.test.js > x": []}),
    ],
)
def test_a_test_api_is_read_where_it_is_called_or_bound(source: str, found: dict) -> None:
    assert collected({"a.test.js": source}, "a.test.js") == found


@pytest.mark.parametrize(
    ("source", "skips"),
    [
        ("(fast ? it : it.skip)('x', () => {});\n", {"x": ["skipif"]}),
        ("(fast ? it.skip : it)('x', () => {});\n", {"x": ["skipif"]}),
        ("(ci ? xit : it)('x', () => {});\n", {"x": ["skipif"]}),
        ("const dstOnly = a && b ? it : it.skip;\ndstOnly('x', () => {});\nit('y', () => {});\n",
         {"x": ["skipif"], "y": []}),
        ("(c ? describe : describe.skip)('s', () => {\n  it('x', () => {});\n});\n",
         {"s > x": ["skipif"]}),
        ("(c ? it.concurrent : it.concurrent.skip)('x', () => {});\n", {"x": ["skipif"]}),
        ("(c ? it : it.skip).each([1, 2])('x %i', () => {});\n",
         {"x 1": ["skipif"], "x 2": ["skipif"]}),
        ("(false ? it : it.skip)('x', () => {});\n", {"x": ["skipif"]}),
        ("(true ? it : it.skip)('x', () => {});\n", {"x": []}),
        ("(0 ? it.skip : it)('x', () => {});\n", {"x": []}),
    ],
)  # fmt: skip # -- one case a line, its source beside what it skips
def test_a_ternary_between_a_chain_and_it_skipped_is_a_conditional_skip(
    source: str, skips: dict[str, list[str]]
) -> None:
    """As vitest's ``runIf``/``skipIf``: skipped unless the condition is a literal that runs it."""
    assert in_one_file(source) == skips


@pytest.mark.parametrize(
    ("source", "skips"),
    [
        # express: a helper named like the runner's ``test``, called from two suites
        ("function test(app) {\n  it('x', () => {});\n  it.skip('y', () => {});\n}\n"
         "describe('a', () => {\n  test(1);\n});\ndescribe.skip('b', () => test(2));\n",
         {"a > x": [], "a > y": ["skip"], "b > x": ["skip"], "b > y": ["skip", "skip"]}),
        # babel: declared inside a suite, hoisted, calling another helper
        ("describe('s', () => {\n  both();\n  function both() {\n    one();\n"
         "    it('b', () => {});\n  }\n  const one = () => it('a', () => {});\n});\n",
         {"s > a": [], "s > b": []}),
        # the conditions of the call hold for the tests it declares
        (f"{HELPER}if (process.env.CI) {{\n  h();\n}}\n", {"x": ["skipif"]}),
        (f"{HELPER}describe('s', () => {{\n  h(it.skip('z', () => {{}}));\n}});\n",
         {"s > z": ["skip"], "s > x": []}),
        # a helper with a hook that skips nothing, and a recursive one that declares no test
        ("function h() {\n  beforeEach(() => {});\n  it('x', () => {});\n}\nh();\n"
         "function n(k) {\n  return k ? n(k - 1) : 0;\n}\nit('y', () => n(2));\n",
         {"x": [], "y": []}),
        # one title declared twice: one identity, skipped when either test is
        (f"{HELPER}describe('s', () => {{\n  h();\n  it.skip('x', () => {{}});\n  h();\n}});\n",
         {"s > x": ["skip"]}),
        ("it.skip('x', () => {});\nit('x', () => {});\nit('y', () => {});\nit('y', () => {});\n",
         {"x": ["skip"], "y": []}),
    ],
)  # fmt: skip # -- one case a line, its source beside what it skips
def test_a_helper_called_where_it_is_declared_declares_its_tests_at_each_call(
    source: str, skips: dict[str, list[str]]
) -> None:
    assert in_one_file(source) == skips


def test_a_test_file_that_does_not_parse_is_not_parsable() -> None:
    with pytest.raises(NotParsable):
        js.collect(Tree({"a.test.js": "it('x', () => {\n"}), ["a.test.js"])


def test_tests_in_a_loop_callback_are_read_with_a_note() -> None:
    source = "[1, 2].forEach((n) => {\n  it.skip(`case ${n}`, () => {});\n});\n"
    results = js.collect(Tree({"a.test.js": source}), ["a.test.js"])
    [item] = results[0].tests
    assert [s.kind for s in item.skips] == ["skip"]
    assert item.by_function


def test_jest_config_module_read_statically() -> None:
    files = {
        "jest.config.ts": "import type { Config } from 'jest';\n"
        "const config: Config = { testMatch: ['**/*.spec.ts'], verbose: true };\n"
        "export default config;\n",
        "src/a.test.ts": "it('x', () => {});\n",
        "src/a.spec.ts": "it('y', () => {});\n",
    }
    assert collected(files, "src/a.test.ts") == {"src/a.test.ts > x": ["ignored"]}
    assert collected(files, "src/a.spec.ts") == {"src/a.spec.ts > y": []}


TEST = "it('x', () => {});\n"


@pytest.mark.parametrize(
    ("projects", "extra", "runs"),
    [
        # a glob of configuration files, each project rooted where its file is
        ("['<rootDir>/jest.*.config.js']",
         {"jest.unit.config.js": "module.exports = { testMatch: ['**/unit/*.test.js'] };\n"},
         {"unit/a.test.js": True, "e2e/a.test.js": False}),
        # a folder glob: a folder with a package.json and no "jest" key runs with the defaults
        ("['<rootDir>/pkgs/*/']", {"pkgs/x/package.json": "{}"},
         {"pkgs/x/a.test.js": True, "unit/a.test.js": False}),
        # an inline project, its rootDir relative to the configuration
        ("[{ rootDir: 'e2e', testMatch: ['<rootDir>/*.test.js'] }]", {},
         {"e2e/a.test.js": True, "unit/a.test.js": False}),
        ("[{ transform: { x: require.resolve('y') }, testMatch: ['**/unit/*.test.js'] }]", {},
         {"unit/a.test.js": True, "e2e/a.test.js": False}),
    ],
)  # fmt: skip # -- one case a line
def test_jest_projects_run_what_one_of_them_runs(
    projects: str, extra: dict[str, str], runs: dict[str, bool]
) -> None:
    files = {"jest.config.js": f"module.exports = {{ projects: {projects} }};\n", **extra}
    files |= dict.fromkeys(runs, TEST)
    for path, ran in runs.items():
        assert collected(files, path) == {f"{path} > x": [] if ran else ["ignored"]}


@pytest.mark.parametrize(
    ("projects", "extra", "why"),
    [
        ("'<rootDir>/pkgs/*'", {}, "not a literal list"),
        ("[]", {}, "not a literal list"),
        ("['<rootDir>/nowhere/*/']", {}, "matches nothing"),
        ("['<rootDir>/pkgs/*/']", {"pkgs/x/b.js": "1;\n"}, "has no configuration"),
        ("['<rootDir>/pkgs/x']", {"pkgs/x/jest.config.js": "module.exports = { preset: 'p' };\n"},
         "preset"),
        ("[process.env.CI ? 'a' : 'b']", {}, "projects"),
        ("['<rootDir>/pkgs/*/']", {f"pkgs/{i}/package.json": "{}" for i in range(1001)},
         "more than 1,000 projects"),
        ("[{ testMatch: [root + '/*.test.js'] }]", {}, "testMatch is computed"),
    ],
)  # fmt: skip # -- one case a line
def test_jest_projects_that_cannot_be_followed_are_undecidable(
    projects: str, extra: dict[str, str], why: str
) -> None:
    files = {"jest.config.js": f"module.exports = {{ projects: {projects} }};\n", **extra}
    with pytest.raises(Undecidable, match=why):
        collected({**files, "pkgs/x/a.test.js": TEST}, "pkgs/x/a.test.js")


def vitest_projects(projects: str) -> dict[str, str]:
    return {
        "vitest.config.mjs": "export default { test: { exclude: ['**/node_modules/**', 'x/**'], "
        f"projects: {projects} }} }};\n"
    }


@pytest.mark.parametrize(
    ("projects", "extra", "runs"),
    [
        # extends: true keeps the enclosing exclude; without it, vitest's defaults
        ("[{ extends: true, test: { include: ['x/**/*.test.js', 'y/**/*.test.js'] } }]", {},
         {"x/a.test.js": False, "y/a.test.js": True}),
        ("[{ test: { include: ['x/**/*.test.js'] } }]", {}, {"x/a.test.js": True}),
        # what a project computes outside the keys read does not matter (vuejs/core's)
        ("[{ extends: true, define: { X: String(1) }, test: { execArgv: [process.argv[0]], "
         "include: ['y/**/*.test.js'], exclude: [...configDefaults.exclude, 'z/**'] } }]", {},
         {"y/a.test.js": True}),
        # a folder glob: each folder's own configuration, else the defaults there
        ("['pkgs/*']",
         {"pkgs/b/vitest.config.mjs": "export default { test: { include: ['*.spec.js'] } };\n"},
         {"pkgs/a/a.test.js": True, "pkgs/b/a.test.js": False, "y/a.test.js": False}),
    ],
)  # fmt: skip # -- one case a line
def test_vitest_projects_run_what_one_of_them_runs(
    projects: str, extra: dict[str, str], runs: dict[str, bool]
) -> None:
    files = {**vitest_projects(projects), **extra, **dict.fromkeys(runs, TEST)}
    for path, ran in runs.items():
        assert collected(files, path) == {f"{path} > x": [] if ran else ["ignored"]}


@pytest.mark.parametrize(
    ("projects", "why"),
    [
        ("'pkgs/*'", "not a literal list"),
        ("['nowhere/*']", "no project of test.projects"),
        ("['!pkgs/a']", "no folder, file or object"),
        ("[{ extends: './other.config.js', test: {} }]", "extends or sets"),
        ("[{ root: 'pkgs', test: {} }]", "root"),
        ("[{ test: { projects: ['pkgs/*'] } }]", "projects"),
        ("[{ test: { include: [dir + '/*.test.js'] } }]", "test.include is computed"),
        ("[{ extends: Boolean(1), test: {} }]", "extends is computed"),
        ("['pkgs/*'], workspace: ['pkgs/*']", "workspace"),
    ],
)  # fmt: skip # -- one case a line
def test_vitest_projects_that_cannot_be_followed_are_undecidable(projects: str, why: str) -> None:
    with pytest.raises(Undecidable, match=why):
        collected({**vitest_projects(projects), "pkgs/a/a.test.js": TEST}, "pkgs/a/a.test.js")


@pytest.mark.parametrize("preset", ["ts-jest", "ts-jest/presets/js-with-babel-esm"])
def test_a_preset_that_sets_no_pattern_is_read_past(preset: str) -> None:
    """ts-jest's presets set ``transform`` only (tests/test_js_presets.py asks them)."""
    files = {
        "jest.config.js": f"module.exports = {{ preset: '{preset}', "
        "testMatch: ['**/*.spec.ts'] };\n",
        "src/a.test.ts": TEST,
        "src/a.spec.ts": TEST,
    }
    assert collected(files, "src/a.test.ts") == {"src/a.test.ts > x": ["ignored"]}
    assert collected(files, "src/a.spec.ts") == {"src/a.spec.ts > x": []}


@pytest.mark.parametrize("preset", ["jest-expo", "./my-preset.js", "ts-jest/presets/other"])
def test_any_other_preset_is_undecidable(preset: str) -> None:
    files = {"jest.config.js": f"module.exports = {{ preset: '{preset}' }};\n", "a.test.js": TEST}
    with pytest.raises(Undecidable, match="may set which files run"):
        collected(files, "a.test.js")


DEEP = 3_000  # deeper than Python's stack
BOMB = (
    "a: &a [x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "spec: *i\n"
)  # 8^9 entries once expanded


@pytest.mark.parametrize(
    ("name", "config", "why"),
    [
        ("jest.config.js", "module.exports = { x: " + "{a: " * DEEP + "1" + "}" * DEEP + " };\n",
         "nests too deeply"),
        ("jest.config.js", "module.exports = { projects: [{ x: [" + "{a: " * DEEP + "1" + "}" * DEEP
         + "] }] };\n", "nests too deeply"),
        (".mocharc.yml", "spec: " + "[" * DEEP + "]" * DEEP + "\n", "nests deeper"),
        (".mocharc.yml", BOMB, "anchor"),
    ],
)  # fmt: skip # -- one case a line
def test_a_hostile_configuration_is_undecidable_not_a_crash_or_a_hang(
    name: str, config: str, why: str
) -> None:
    with pytest.raises(Undecidable, match=why):
        collected({name: config, "test/a.test.js": TEST}, "test/a.test.js")


def test_a_jest_config_function_is_undecidable() -> None:
    files = {
        "jest.config.js": "module.exports = async () => ({ testMatch: ['**/*.js'] });\n",
        "a.test.js": "it('x', () => {});\n",
    }
    with pytest.raises(Undecidable, match=r"jest\.config\.js"):
        collected(files, "a.test.js")


@pytest.mark.parametrize("key", ["testRegex", "testPathIgnorePatterns"])
def test_a_jest_regex_re2_refuses_is_undecidable_naming_the_key(key: str) -> None:
    """RE2 runs a configuration's regexes (a pull request writes them); lookbehind it cannot."""
    files = {
        "package.json": f'{{"jest": {{"{key}": ["(?<=src/)a"]}}}}',
        "src/a.test.js": "it('x', () => {});\n",
    }
    with pytest.raises(Undecidable, match=rf"{key}: not a regex RE2 accepts"):
        collected(files, "src/a.test.js")


@pytest.mark.parametrize("glob", ["**/" + "*a" * 16 + "b.test.js", "**/+(a|aa)+(a|aa)b.test.js"])
def test_a_glob_that_would_backtrack_is_matched_in_linear_time(glob: str) -> None:
    """Python's engine takes polynomial (``*a*a...``) or exponential (nested extglobs) time on
    these against a long name: RE2 answers at once, with the same answer."""
    long_name = "src/" + "a" * 4000 + ".test.js"
    files = {
        "package.json": f'{{"jest": {{"testMatch": ["{glob}"]}}}}',
        long_name: "it('x', () => {});\n",
    }
    assert collected(files, long_name) == {f"{long_name} > x": ["ignored"]}


def test_the_registry_lists_every_language_collector() -> None:
    assert [m.LANGUAGE for m in languages.collectors()] == ["javascript", "java", "go", "rust"]
    assert js.claims("src/a.test.tsx") and js.claims("vitest.config.mts")
    assert not js.claims("src/a.d.ts") and not js.claims("README.md")


BASE = {
    "src/auth.test.ts": "describe('auth', () => {\n  it('logs in', () => {});\n"
    "  it('logs out', () => {});\n});\n",
    "tests/test_app.py": "import pytest\n\n\n@pytest.mark.skip\ndef test_old():\n    pass\n",
}


def test_guards_run_fails_a_pr_adding_it_skip(tmp_path: Path) -> None:
    head = {
        "src/auth.test.ts": BASE["src/auth.test.ts"].replace("it('logs out'", "it.skip('logs out'")
    }
    _, base, sha = pr_repo(tmp_path, BASE, head)
    result = guards_cli(
        "run",
        "--repo",
        str(tmp_path),
        "--base",
        base,
        "--head",
        sha,
        "--only",
        "skip-set",
        "--format",
        "json",
    )
    assert result.code == 1, result.stderr
    [finding] = result.json()["guards"][0]["findings"]
    assert finding["test"] == "src/auth.test.ts > auth > logs out"
    assert finding["message"].endswith("is newly skipped (it.skip, line 3)")


def test_guards_run_on_a_ts_syntax_error_is_exit_2(tmp_path: Path) -> None:
    head = {"src/auth.test.ts": BASE["src/auth.test.ts"] + "it('broken', () => {\n"}
    _, base, sha = pr_repo(tmp_path, BASE, head)
    result = guards_cli("run", "--repo", str(tmp_path), "--base", base, "--head", sha,
                        "--only", "skip-set")  # fmt: skip # -- a packed call reads better here
    assert result.code == 2
    assert "src/auth.test.ts" in result.stdout + result.stderr


def test_skips_list_mixes_python_and_typescript(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    files = {**BASE, "src/cart.spec.ts": "import { it } from 'vitest';\n\nit.todo('totals');\n"}
    files["src/auth.test.ts"] = files["src/auth.test.ts"].replace("it('logs in'", "xit('logs in'")
    repo.write(files)
    repo.commit("mixed")
    result = guards_cli("skips", "list", "--repo", str(tmp_path), "--format", "json")
    assert result.code == 0, result.stderr
    assert [(e["test"], e["kind"]) for e in result.json()["skipped"]] == [
        ("src/auth.test.ts > auth > logs in", "skip"),
        ("src/cart.spec.ts > totals", "todo"),
        ("tests/test_app.py::test_old", "skip"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "[" * 3000 + "]" * 3000 + ";\n",
        "describe('a', () => {\n" * 400 + "it('x', () => {});\n" + "});\n" * 400,
        "it" + ".concurrent" * 3000 + ".skip('x', () => {});\n",
    ],
)
def test_deep_nesting_fails_closed(source: str) -> None:
    with pytest.raises((NotParsable, Undecidable)):
        js.collect(Tree({"a.test.js": source}), ["a.test.js"])


def test_names_spelled_with_escapes_are_the_names_they_spell(tmp_path: Path) -> None:
    """``test.\\u0073kip`` is ``test.skip`` (jest runs it so: the corpus's escaped.test.js);
    a PR that writes it fails, and the listing reads a file a configuration drops whose only
    declaration is escaped (``\\u0074est``), with no word of the searches in it."""
    base = {"src/a.test.js": "test('x', () => {});\n"}
    _, b, h = pr_repo(tmp_path / "pr", base, {"src/a.test.js": "test.\\u0073kip('x', () => {});\n"})
    result = guards_cli("run", "--repo", str(tmp_path / "pr"), "--base", b, "--head", h,
                        "--only", "skip-set")  # fmt: skip # -- a packed call reads better here
    assert result.code == 1 and "src/a.test.js > x is newly skipped (test.skip" in result.stdout
    repo = GitRepo(tmp_path / "list")
    repo.write({
        "jest.config.js": "module.exports = { testPathIgnorePatterns: ['/legacy/'] };\n",
        "legacy/old.test.js": "\\u0074est('kept', () => {});\n",
        "src/b.test.js": "test('runs', () => {});\n",
    })  # fmt: skip # -- one literal
    repo.commit("c")
    listed = guards_cli("skips", "list", "--repo", str(repo.path), "--format", "json")
    assert listed.code == 0, listed.stderr
    assert [(e["test"], e["kind"]) for e in listed.json()["skipped"]] == [
        ("legacy/old.test.js > kept", "ignored")
    ]


def test_an_escape_past_unicode_is_left_as_written() -> None:
    """``'\\u{110000}'`` is a syntax error to JavaScript: read as written, never a crash."""
    found = collected({"a.test.js": "test('\\u{110000}', () => {});\n"}, "a.test.js")
    assert found == {"a.test.js > \\u{110000}": []}


MERGE = "import { mergeConfig } from 'vitest/config';\nimport base from './vite.config';\n"
VITE_BASE = "export default { test: { include: ['src/**/*.check.js'] } };\n"
OWN = "export default mergeConfig(base, {});\n"


def _up(depth: int) -> dict[str, str]:
    """A configuration DEPTH folders down whose merge imports the one a folder up, and so on."""
    below = MERGE.replace("'./vite.config'", "'../vitest.config'") + OWN
    return {"/".join(["d"] * n + ["vitest.config.ts"]): below for n in range(1, depth + 1)}


@pytest.mark.parametrize(
    ("files", "runs"),
    [
        # lists concatenate, whichever side sets them
        ({"vitest.config.ts": MERGE + "export default mergeConfig(base, "
          "{ test: { include: ['l/*.test.js'] } });\n", "vite.config.ts": VITE_BASE},
         {"src/a.check.js": True, "l/a.test.js": True, "x/a.test.js": False}),
        # a null adds nothing; a shorthand or a method beside the keys read is read past
        ({"vitest.config.ts": MERGE + "const provider = 1;\nexport default mergeConfig(base, "
          "{ test: { include: null, provider, setup() {} } });\n", "vite.config.ts": VITE_BASE},
         {"src/a.check.js": True, "l/a.test.js": False}),
        # a configuration a folder up, as ../vite.config.js names vite.config.ts; merges nest
        ({"app/vitest.config.ts": "import { mergeConfig as m } from 'vite';\n"
          "import base from '../vite.config.js';\n"
          "export default m(m(base, {}), { test: { exclude: ['src/old/**'] } });\n",
          "vite.config.ts": VITE_BASE.replace("check", "test")},
         {"app/src/a.test.js": True, "app/src/old/a.test.js": False}),
        # eight files of a chain are read
        ({**_up(6), "vitest.config.ts": MERGE + OWN, "vite.config.ts": VITE_BASE},
         {"d/d/d/d/d/d/src/a.check.js": True, "d/d/d/d/d/d/src/a.test.js": False}),
    ],
)  # fmt: skip # -- one case a line
def test_vitest_merge_config_reads_both_sides_as_vite_merges_them(
    files: dict[str, str], runs: dict[str, bool]
) -> None:
    tree = {**files, **dict.fromkeys(runs, TEST)}
    for path, ran in runs.items():
        assert collected(tree, path) == {f"{path} > x": [] if ran else ["ignored"]}


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({"vitest.config.ts": MERGE + OWN}, "does not exist"),
        ({"vitest.config.ts": "import { mergeConfig } from 'vite';\n"
          "import base from 'shared-config';\n" + OWN}, "not a file of this repository"),
        ({"vitest.config.ts": MERGE + OWN, "vite.config.ts": MERGE + OWN}, "imports itself"),
        ({"vitest.config.ts": MERGE + "export default mergeConfig(base, "
          "{ test: { include: dirs } });\n", "vite.config.ts": VITE_BASE},
         "test.include is computed"),
        ({"vitest.config.ts": MERGE + "export default mergeConfig(base, "
          "{ test: { include: process.env.CI ? ['a/*.js'] : ['b/*.js'] } });\n",
          "vite.config.ts": VITE_BASE}, "merged with a choice"),
        ({"vitest.config.ts": MERGE + "export default mergeConfig(base, "
          "{ test: { [key]: ['a/*.js'] } });\n", "vite.config.ts": VITE_BASE},
         "test.include is computed"),
        ({"vitest.config.ts": MERGE + "export default mergeConfig(base, { [key]: {} });\n",
          "vite.config.ts": VITE_BASE}, "can set any key"),
        ({"vitest.config.ts": "import base from './vite.config';\n"
          "const mergeConfig = (a, b) => b;\n" + OWN, "vite.config.ts": VITE_BASE},
         "not an object literal"),
        # a module outside the repository
        ({"vitest.config.ts": MERGE.replace("'./vite.config'", "'../shared'") + OWN},
         "'../shared', which is not a file of this repository"),
        ({"vitest.config.ts": "import shared from '../shared';\n"
          "export default { test: { ...shared } };\n"}, "test.include is computed"),
        ({**_up(7), "vitest.config.ts": MERGE + OWN, "vite.config.ts": VITE_BASE}, "past 8 files"),
    ],
)  # fmt: skip # -- one case a line
def test_a_merge_that_cannot_be_followed_is_undecidable(files: dict[str, str], why: str) -> None:
    deepest = max((p for p in files if p.endswith("vitest.config.ts")), key=lambda p: p.count("/"))
    path = deepest.replace("vitest.config.ts", "src/a.check.js")
    with pytest.raises(Undecidable, match=why):
        collected({**files, path: TEST}, path)


def test_the_modules_a_configuration_that_cannot_be_read_imports_are_read_from_its_text() -> None:
    """Each ``import``/``export ... from``/``require``/``import()`` of a relative module,
    resolved as the reader resolves one (as written, or with esbuild's extensions); no
    package, no word of a string that is no import (TanStack's ``'./src/index.ts'`` entries)."""
    raw = (
        b"const s = require( '../../jest/shared' );\nimport x from './a.js';\n"
        b"export { y } from \"../b\";\nconst z = import('./c');\n"
        b"import pkg from 'vite';\nconst entry = ['./src/index.ts'];\n"
    )
    found = configread.imported_paths("p/q/jest.config.js", raw)
    assert {"jest/shared.js", "p/q/a.js", "p/q/a.ts", "p/b.tsx", "p/q/c.js"} <= found
    assert not {"p/q/src/index.ts", "vite"} & found
