"""Which test files a jest configuration runs, matched as jest matches them (guards/collect/js/
config.py): against the path a file has in a checkout, so a regex that needs a character before
the repository's own folders (babel's ``./(packages|codemods|eslint)/...``) matches; and with
patterns a condition picks (``...(process.env.X ? [p] : [])``, ``cond ? [a] : [b]``): a file
that some branch drops runs by the environment, and its tests carry an ``ignored`` skip that
names the condition, as a ``skipif`` does in Python.

Proven against real jest, run once per environment: a file guards says always runs ran in every
run, one it drops ran in none, one it says runs by a condition ran in some runs and not others.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guards.collect import js
from guards.collect.files import RevisionFiles
from guards.collect.model import Undecidable
from guards.collect.python import skip_sets
from guards.core.git import Git
from testing.git_repo import GitRepo
from tests import js_runners

CONFIG = """\
const publish = process.env.GUARDS_PUBLISH;

module.exports = {
  testRegex: "./(packages|tools)/[^/]+/test/.+\\\\.js$",
  testPathIgnorePatterns: [
    "/node_modules/",
    ...(publish ? ["\\\\.bundled\\\\.js$"] : []),
    ...(process.env.GUARDS_FAST === "true" ? ["/slow/"] : ["/quick/"]),
    ...(publish ? ["/both/"] : ["/both/"]),
    process.env.GUARDS_FAST === "true" ? "/pick-a/" : "/pick-b/",
  ],
};
"""
TEST = "it('works', () => {});\n"
FILES = {
    "jest.config.js": CONFIG,
    "packages/a/test/plain.js": TEST,
    "packages/a/test/b.bundled.js": TEST,
    "packages/a/test/slow/s.js": TEST,
    "packages/a/test/quick/q.js": TEST,
    "packages/a/test/both/x.js": TEST,
    "packages/a/test/pick-a/a.js": TEST,
    "tools/t/test/z.js": TEST,
    "other/o/test/never.js": TEST,
}
ENVIRONMENTS = ({}, {"GUARDS_PUBLISH": "1"}, {"GUARDS_FAST": "true"})


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepo, str]:
    repo = GitRepo(tmp_path_factory.mktemp("fates"))
    repo.write(FILES)
    return repo, repo.commit("a jest configuration with conditional patterns")


def _static(repo: GitRepo, sha: str, paths: list[str] | None = None) -> dict[str, set[str]]:
    """Each test file's skip details, as the collector gives them."""
    git = Git(repo.path)
    files = RevisionFiles(git, sha, git.list_files(sha))
    paths = paths or sorted(p for p in FILES if js.is_test_file(p))
    found = js.collect(files, paths)
    return {r.path: {s.detail for t in r.tests for s in t.skips} for r in found if not r.dormant}


def _ran(repo: GitRepo, environment: dict[str, str], runner: str = "jest") -> set[str]:
    """The test files real jest (or vitest) runs in ENVIRONMENT, from its JSON report."""
    modules = js_runners.node_modules()
    link = repo.path / "node_modules"
    if not link.exists():
        link.symlink_to(modules, target_is_directory=True)
    out = repo.path / f"{runner}-report.json"
    args = {
        "jest": ["node", str(modules / "jest/bin/jest.js"), "--ci", "--json"],
        "vitest": ["node", str(modules / "vitest/vitest.mjs"), "run", "--reporter=json"],
    }[runner]
    js_runners.run([*args, f"--outputFile={out}"], repo.path, modules, environment)
    results = json.loads(out.read_text())["testResults"]
    return {Path(r["name"]).relative_to(repo.path).as_posix() for r in results}


def test_each_file_runs_in_the_environments_the_collector_says(
    repo: tuple[GitRepo, str],
) -> None:
    scratch, sha = repo
    static = _static(scratch, sha)
    runs = [_ran(scratch, environment) for environment in ENVIRONMENTS]
    always = set.intersection(*runs)
    sometimes = set.union(*runs) - always
    assert {p for p, why in static.items() if not why} == always
    assert {p for p, why in static.items() if any("run only by" in w for w in why)} == sometimes
    assert {p for p, why in static.items() if any("not run by" in w for w in why)} == (
        set(static) - always - sometimes
    )
    assert always == {"packages/a/test/plain.js", "tools/t/test/z.js"}
    assert "other/o/test/never.js" not in static  # neither testRegex nor jest's default: dormant
    assert sometimes == {
        "packages/a/test/b.bundled.js",
        "packages/a/test/slow/s.js",
        "packages/a/test/quick/q.js",
        "packages/a/test/pick-a/a.js",
    }


def test_the_skip_names_the_condition_that_drops_the_file(repo: tuple[GitRepo, str]) -> None:
    static = _static(*repo)
    assert static["packages/a/test/b.bundled.js"] == {
        "its file is run only by jest (jest.config.js) when !(publish)"
    }
    assert static["packages/a/test/quick/q.js"] == {
        'its file is run only by jest (jest.config.js) when process.env.GUARDS_FAST === "true"'
    }


def _collected(tmp_path: Path, config: str) -> dict[str, set[str]]:
    repo = GitRepo(tmp_path)
    repo.write({"jest.config.js": config, "src/a.test.js": TEST, "src/b.spec.js": TEST})
    return _static(repo, repo.commit("config"), ["src/a.test.js", "src/b.spec.js"])


def test_a_whole_key_chosen_by_a_condition_reads_both_branches(tmp_path: Path) -> None:
    config = (
        "module.exports = { testMatch: process.env.CI ? ['**/*.test.js'] "
        ": ['**/*.test.js', '**/*.spec.js'] };\n"
    )
    assert _collected(tmp_path, config) == {
        "src/a.test.js": set(),
        "src/b.spec.js": {"its file is run only by jest (jest.config.js) when !(process.env.CI)"},
    }


@pytest.mark.parametrize(
    "value",
    ["rootDir: process.env.CI ? 'a' : 'b'", "roots: [...(process.env.CI ? ['<rootDir>/a'] : [])]"],
)
def test_a_choice_where_patterns_are_not_read_is_undecidable(tmp_path: Path, value: str) -> None:
    with pytest.raises(Undecidable, match=r"chosen by a condition \(process\.env\.CI\)"):
        _collected(tmp_path, f"module.exports = {{ {value} }};\n")


def test_a_spread_of_anything_but_a_literal_choice_is_still_undecidable(tmp_path: Path) -> None:
    config = "module.exports = { testPathIgnorePatterns: [...(x ? y : [])] };\n"
    with pytest.raises(Undecidable, match="testPathIgnorePatterns is computed"):
        _collected(tmp_path, config)


VITEST_CONFIG = """\
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.js', ...(process.env.GUARDS_SLOW ? ['slow/**/*.test.js'] : [])],
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.GUARDS_PUBLISH ? ['**/*.bundled.test.js'] : []),
    ],
  },
});
"""
VITEST_TEST = "import { it } from 'vitest';\n\nit('works', () => {});\n"
VITEST_FILES = {
    "vitest.config.mjs": VITEST_CONFIG,
    "package.json": '{ "name": "fates", "private": true, "type": "module" }\n',
    "src/plain.test.js": VITEST_TEST,
    "src/b.bundled.test.js": VITEST_TEST,
    "slow/heavy.test.js": VITEST_TEST,
}


def test_vitest_include_and_exclude_chosen_by_a_condition_match_vitest(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write(VITEST_FILES)
    paths = ["src/plain.test.js", "src/b.bundled.test.js", "slow/heavy.test.js"]
    static = _static(repo, repo.commit("vitest"), paths)
    environments = ({}, {"GUARDS_PUBLISH": "1"}, {"GUARDS_SLOW": "1"})
    runs = [_ran(repo, environment, "vitest") for environment in environments]
    always = set.intersection(*runs)
    assert {p for p, why in static.items() if not why} == always == {"src/plain.test.js"}
    assert static["src/b.bundled.test.js"] == {
        "its file is run only by vitest (vitest.config.mjs) when !(process.env.GUARDS_PUBLISH)"
    }
    assert static["slow/heavy.test.js"] == {
        "its file is run only by vitest (vitest.config.mjs) when process.env.GUARDS_SLOW"
    }
    assert set.union(*runs) == set(paths)


TYPED_CONFIG = """\
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    typecheck: {
      enabled: !!process.env.GUARDS_TYPES,
      exclude: ['**/node_modules/**', 'src/old/**'],
    },
  },
});
"""
TYPE_TEST = (
    "import { expectTypeOf, it } from 'vitest';\n\n"
    "it('types', () => {\n  expectTypeOf(1).toEqualTypeOf<number>();\n});\n"
)
TYPED_FILES = {
    "vitest.config.mjs": TYPED_CONFIG,
    "package.json": '{ "name": "typed", "private": true, "type": "module" }\n',
    "tsconfig.json": '{ "compilerOptions": { "strict": true, "noEmit": true } }\n',
    "src/plain.test.ts": VITEST_TEST,
    "src/types.test-d.ts": TYPE_TEST,
    "src/old/legacy.test-d.ts": TYPE_TEST,
}


def test_vitest_type_tests_run_where_typecheck_enables_them(tmp_path: Path) -> None:
    """TanStack/query's ``typecheck: { enabled: true }``: vitest runs ``*.test-d.ts`` files
    too, as its own typecheck.include takes them; here under a condition, as real vitest
    does (a file its typecheck.exclude drops runs in no environment)."""
    repo = GitRepo(tmp_path)
    repo.write(TYPED_FILES)
    paths = ["src/plain.test.ts", "src/types.test-d.ts", "src/old/legacy.test-d.ts"]
    static = _static(repo, repo.commit("typed"), paths)
    runs = [_ran(repo, environment, "vitest") for environment in ({}, {"GUARDS_TYPES": "1"})]
    assert runs == [{"src/plain.test.ts"}, {"src/plain.test.ts", "src/types.test-d.ts"}]
    assert static == {
        "src/plain.test.ts": set(),
        "src/types.test-d.ts": {
            "its file is run only by vitest (vitest.config.mjs) when typecheck.enabled"
        },
        "src/old/legacy.test-d.ts": {"its file is not run by vitest (vitest.config.mjs)"},
    }


LISTED = {
    "jest.config.js": "module.exports = { testPathIgnorePatterns: ['/fixtures/'] };\n",
    "src/a.test.js": "it('runs', () => {});\n",
    "src/fixtures/plain/input.test.js": "const answer = 42;\nexport default answer;\n",
    "src/fixtures/aliased/input.test.js": (
        "import { it as check } from '@jest/globals';\n\ncheck('dropped', () => {});\n"
    ),
    "src/fixtures/node/input.test.mjs": (
        "import t from 'node:test';\n\nt('also dropped', () => {});\n"
    ),
    "src/fixtures/suite/input.test.js": "describe('s', () => {\n  test('inner', () => {});\n});\n",
}


def _listing(repo: GitRepo, sha: str) -> list[tuple[str, list[str]]]:
    return [
        (t.nodeid, [s.kind for s in t.skips]) for t in skip_sets.skipped(Git(repo.path), sha, ())
    ]


def test_a_listing_reads_only_dropped_files_that_can_declare_a_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every dropped file's tests are listed as ignored; a file that says no test API's name
    (a fixture's input) declares none and is not read: the listing is the same without the
    search."""
    repo = GitRepo(tmp_path)
    repo.write(LISTED)
    sha = repo.commit("dropped fixtures")
    read: list[str] = []
    real = RevisionFiles.read

    def spy(self: RevisionFiles, path: str) -> bytes | None:
        read.append(path)
        return real(self, path)

    monkeypatch.setattr(RevisionFiles, "read", spy)
    listed = [
        (t.nodeid, [s.kind for s in t.skips]) for t in skip_sets.skipped(Git(repo.path), sha, ())
    ]
    assert "src/fixtures/plain/input.test.js" not in read
    monkeypatch.setattr(js, "DECLARES", ())
    assert [
        (t.nodeid, [s.kind for s in t.skips]) for t in skip_sets.skipped(Git(repo.path), sha, ())
    ] == listed
    assert listed == [
        ("src/fixtures/aliased/input.test.js > dropped", ["ignored"]),
        ("src/fixtures/node/input.test.mjs > also dropped", ["ignored"]),
        ("src/fixtures/suite/input.test.js > s > inner", ["ignored"]),
    ]


@pytest.mark.parametrize("roots", ["['src']", "['<rootDir>/src/']", "['./src']"])
def test_roots_resolve_against_the_root_dir_as_jest_resolves_them(
    tmp_path: Path, roots: str
) -> None:
    repo = GitRepo(tmp_path)
    config = f"module.exports = {{ roots: {roots} }};\n"
    repo.write({"jest.config.js": config, "src/a.test.js": TEST, "lib/b.test.js": TEST})
    found = _static(repo, repo.commit("roots"), ["src/a.test.js", "lib/b.test.js"])
    assert {p for p, why in found.items() if not why} == _ran(repo, {}) == {"src/a.test.js"}
    assert found["lib/b.test.js"] == {"its file is not run by jest (jest.config.js)"}


MERGED_FILES = {
    "package.json": '{ "name": "merged", "private": true, "type": "module" }\n',
    "vite.config.ts": (
        "import { defineConfig } from 'vite';\n\n"
        "export default defineConfig({\n"
        "  resolve: { alias: { '~': new URL('./src', import.meta.url).pathname } },\n"
        "  test: { include: ['src/**/*.test.js', 'lib/**/*.check.js'] },\n"
        "});\n"
    ),
    "vitest.config.ts": (
        "import { defineConfig, mergeConfig as merge } from 'vitest/config';\n"
        "import viteConfig from './vite.config';\n\n"
        "const own = defineConfig({\n"
        "  test: {\n"
        "    include: [\n"
        "      'extra/**/*.test.js',\n"
        "      ...(process.env.GUARDS_SLOW ? ['slow/**/*.test.js'] : []),\n"
        "    ],\n"
        "    exclude: ['**/node_modules/**'],\n"
        "  },\n"
        "});\n\n"
        "export default merge(viteConfig, merge(own, { test: { exclude: ['src/legacy/**'] } }));\n"
    ),
    "src/plain.test.js": VITEST_TEST,
    "src/legacy/old.test.js": VITEST_TEST,
    "lib/a.check.js": VITEST_TEST,
    "extra/e.test.js": VITEST_TEST,
    "slow/heavy.test.js": VITEST_TEST,
    "other/o.test.js": VITEST_TEST,
}


def test_vitest_merge_config_of_an_imported_vite_config_matches_vitest(tmp_path: Path) -> None:
    """vitest's documented ``mergeConfig(viteConfig, defineConfig({...}))``: lists concatenate
    (include from both files, exclude from both merges), objects merge key by key."""
    repo = GitRepo(tmp_path)
    repo.write(MERGED_FILES)
    paths = sorted(p for p in MERGED_FILES if p.endswith(".js"))
    static = _static(repo, repo.commit("merged vitest config"), paths)
    runs = [_ran(repo, environment, "vitest") for environment in ({}, {"GUARDS_SLOW": "1"})]
    always = set.intersection(*runs)
    assert {p for p, why in static.items() if not why} == always
    assert always == {"src/plain.test.js", "lib/a.check.js", "extra/e.test.js"}
    assert set.union(*runs) - always == {"slow/heavy.test.js"}
    assert static["slow/heavy.test.js"] == {
        "its file is run only by vitest (vitest.config.ts) when process.env.GUARDS_SLOW"
    }
    never = {p for p, why in static.items() if any("not run by" in w for w in why)}
    assert never == {"src/legacy/old.test.js", "other/o.test.js"} == set(paths) - set.union(*runs)


PROJECT_FILES = {
    "package.json": '{ "name": "projects", "private": true, "type": "module" }\n',
    "vitest.config.ts": (
        "import { defineConfig } from 'vitest/config';\n\n"
        "export default defineConfig({\n"
        "  test: {\n"
        "    exclude: ['**/node_modules/**', 'skip/**'],\n"
        "    projects: [\n"
        "      'packages/*/vitest.config.ts',\n"  # matches nothing: vueuse at 1354e69588
        "      { extends: './vitest.config.ts',\n"
        "        test: { name: 'unit', include: ['**/*.unit.test.js'] } },\n"
        "      { test: { name: 'browser', include: ['**/*.browser.test.js'] } },\n"
        "    ],\n"
        "  },\n"
        "});\n"
    ),
    "src/a.unit.test.js": VITEST_TEST,
    "skip/b.unit.test.js": VITEST_TEST,
    "src/c.browser.test.js": VITEST_TEST,
    "skip/d.browser.test.js": VITEST_TEST,
    "src/e.test.js": VITEST_TEST,
}


def test_vitest_projects_a_glob_of_nothing_and_extends_of_the_file_itself_match_vitest(
    tmp_path: Path,
) -> None:
    """vueuse: a project glob that matches nothing beside inline projects adds none, and
    ``extends: './vitest.config.ts'`` is ``extends: true`` (the root's exclude applies)."""
    repo = GitRepo(tmp_path)
    repo.write(PROJECT_FILES)
    paths = sorted(p for p in PROJECT_FILES if p.endswith(".js"))
    static = _static(repo, repo.commit("vitest projects"), paths)
    ran = _ran(repo, {}, "vitest")
    assert {p for p, why in static.items() if not why} == ran
    assert ran == {"src/a.unit.test.js", "src/c.browser.test.js", "skip/d.browser.test.js"}


@pytest.mark.parametrize(
    ("projects", "refusal"),
    [
        ("'packages/*/vitest.config.ts', 'apps/*'", "no project of test.projects"),
        ("{ extends: './other.config.ts', test: { name: 'u' } }", "extends or sets"),
    ],
)
def test_vitest_projects_that_cannot_be_followed_are_undecidable(
    tmp_path: Path, projects: str, refusal: str
) -> None:
    """No project at all (vitest stops: "No projects were found"); an ``extends`` of another
    file (its settings are not read)."""
    repo = GitRepo(tmp_path)
    config = f"export default {{ test: {{ projects: [{projects}] }} }};\n"
    repo.write({"vitest.config.ts": config, "src/a.test.js": VITEST_TEST})
    with pytest.raises(Undecidable, match=refusal):
        _static(repo, repo.commit("config"), ["src/a.test.js"])
