"""The JS/TS oracle: on the JS corpus, the collector and the real runners agree item for item.

jest, vitest, mocha (installed with npm, tests/js_runners.py) and node:test run the corpus
(tests/fixtures/js_corpus); each test they report is compared with the collector's item of the
same identity: skipped (skip, todo, skipIf, run-time skip, hook skip, not focused) or not. A
test the runner does not report at all must be one the collector says never runs (its file
dropped by the runner's configuration, left out by focus (mocha does not report those), or
declared under a condition that does not hold).
Expected failures (``.fails``/``.failing``) pass in the runner and are xfail in the collector.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.files import RevisionFiles
from guards.collect.js import collect, is_test_file
from guards.collect.model import TestItem
from guards.core.git import Git
from testing.git_repo import GitRepo
from tests import js_runners

CORPUS = Path(__file__).parent / "fixtures" / "js_corpus"
NEVER_RUN = {"ignored", "unfocused"}  # mocha does not report the tests focus leaves out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepo, str]:
    files = {
        str(p.relative_to(CORPUS))[: -len(".corpus")]: p.read_text()
        for p in CORPUS.rglob("*.corpus")
    }
    repo = GitRepo(tmp_path_factory.mktemp("jscorpus"))
    repo.write(files)
    return repo, repo.commit("js corpus")


@pytest.fixture(scope="module")
def static(corpus: tuple[GitRepo, str]) -> dict[str, TestItem]:
    repo, sha = corpus
    git = Git(repo.path)
    listing = git.list_files(sha)
    files = RevisionFiles(git, sha, listing)
    results = collect(files, sorted(p for p in listing if is_test_file(p)))
    return {t.nodeid: t for r in results for t in r.tests}


@pytest.fixture(scope="module")
def real(corpus: tuple[GitRepo, str]) -> dict[str, bool]:
    repo, _ = corpus
    modules = js_runners.node_modules()
    (repo.path / "node_modules").symlink_to(modules, target_is_directory=True)
    report: dict[str, bool] = {}
    report |= js_runners.jest(repo.path, "jest_projects", modules)
    report |= js_runners.jest(repo.path, "jest", modules)  # last: its jest-junit.xml is read
    report |= js_runners.vitest(repo.path, "vitest", modules)
    report |= js_runners.vitest(repo.path, "vitest_projects", modules)
    report |= js_runners.mocha(repo.path, "mocha", modules)
    report |= js_runners.mocha(repo.path, "mocha_focus", modules)
    report |= js_runners.node_test(repo.path, "node/test/forms.test.mjs", modules)
    return report


def test_jest_junit_configured_as_documented_gives_the_same_identities(
    corpus: tuple[GitRepo, str], real: dict[str, bool]
) -> None:
    repo, _ = corpus
    assert js_runners.jest_junit(repo.path, "jest") == {n for n in real if n.startswith("jest/")}


def skipped(test: TestItem) -> bool:
    return bool(test.counted(xfail_counts=False))


def test_every_reported_test_is_collected_with_the_same_skip_state(
    static: dict[str, TestItem], real: dict[str, bool]
) -> None:
    differences = {
        nodeid: (skipped(static[nodeid]) if nodeid in static else "not collected", ran)
        for nodeid, ran in real.items()
        if nodeid not in static or skipped(static[nodeid]) != ran
    }
    assert differences == {}
    assert len(real) >= 100
    assert sum(real.values()) >= 50


def test_every_collected_test_the_runner_does_not_report_never_runs(
    static: dict[str, TestItem], real: dict[str, bool]
) -> None:
    absent = {n: t for n, t in static.items() if n not in real}
    why = {n: sorted({s.kind for s in t.skips}) for n, t in absent.items()}
    never = {n for n, t in absent.items() if _never_runs(t)}
    assert set(absent) == never, why
    assert {k for kinds in why.values() for k in kinds} >= {"ignored", "skipif"}


def _never_runs(test: TestItem) -> bool:
    return any(
        s.kind in NEVER_RUN or (s.kind == "skipif" and s.detail.startswith("declared only when"))
        for s in test.skips
    )


def test_expected_failures_pass_in_the_runner(
    static: dict[str, TestItem], real: dict[str, bool]
) -> None:
    xfails = [n for n, t in static.items() if any(s.kind == "xfail" for s in t.skips)]
    assert len(xfails) >= 3
    assert all(real[n] is False for n in xfails)


def test_every_js_kind_is_exercised(static: dict[str, TestItem]) -> None:
    kinds = {s.kind for t in static.values() for s in t.skips}
    assert kinds == {
        "skip", "todo", "xfail", "skipif", "runtime-skip", "hook-skip", "unfocused", "ignored",
    }  # fmt: skip # -- a packed call reads better here
