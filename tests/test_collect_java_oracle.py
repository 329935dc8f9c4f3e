"""The oracle: on the Java corpus, the collector and a real Maven Surefire run agree, item for item.

tests/fixtures/java_corpus is a Maven reactor run once with ``mvn -o test``: JUnit Jupiter 5.11
under Surefire 3.5.2 (modules core: the skip forms; skipped: ``skipTests``; grouped: ``groups``
+ ``includes``), JUnit 4.13 and TestNG 6.9 under Surefire 2.22.3 (modules legacy, testng).
Artifacts come from the local repository (~/.m2); when it lacks them the run is repeated once
without ``-o``, which fills it from Maven Central or from Debian's /usr/share/maven-repo
(``apt-get install libsurefire-java testng junit4``). Every ``<testcase>`` in
target/surefire-reports is compared with the collector:

- a test the collector lists without a skip ran (no ``<skipped>``);
- a test it lists with a skip that acts at run time or discovery (``skip``, ``skipif``,
  ``runtime-skip``) is ``<skipped>``;
- a test it drops by the build (``deselected``), one the runner never discovers
  (``not-collected``), a TestNG ``@Test(enabled = false)`` (TestNG leaves disabled tests out of
  its report) and every test of a file the build does not run (``dormant``) has no
  ``<testcase>`` at all;
- and the report holds no test the collector does not list.

The corpus's conditional skips (``@EnabledIfSystemProperty``, ``assumeTrue(getenv(...))``) are
written so their condition is false here: the collector counts every condition as a skip.
A missing ``mvn`` fails this test; it never skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from guards.collect.model import FileResult
from tests.java_support import collect_rev, commit_files

CORPUS = Path(__file__).parent / "fixtures" / "java_corpus"
ABSENT = frozenset({"deselected", "not-collected"})
TESTNG_DISABLED = "@Test(enabled = false)"
Verdicts = dict[str, str]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("java_corpus")
    files = {str(p.relative_to(CORPUS)): p.read_text() for p in CORPUS.rglob("*") if p.is_file()}
    _git, sha = commit_files(root, files)
    (root / ".sha").write_text(sha)
    return root


@pytest.fixture(scope="module")
def real(checkout: Path) -> Verdicts:
    mvn = shutil.which("mvn")
    assert mvn is not None, "mvn is not on PATH: install Maven (apt-get install maven)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUARDS_CORPUS")}
    done = maven(mvn, checkout, env, "-o")
    if done.returncode != 0:  # a cold ~/.m2: fill it once
        done = maven(mvn, checkout, env)
    assert done.returncode == 0, f"mvn test failed:\n{done.stdout[-4000:]}"
    return read_reports(checkout)


def maven(
    mvn: str, cwd: Path, env: dict[str, str], *flags: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [mvn, "-B", "-q", *flags, "test"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def read_reports(root: Path) -> Verdicts:
    verdicts: Verdicts = {}
    for report in sorted(root.glob("*/target/surefire-reports/TEST-*.xml")):
        for case in SafeET.parse(report, forbid_dtd=True).getroot().iter("testcase"):
            nodeid = f"{case.get('classname')}::{case.get('name')}"
            verdicts[nodeid] = "skipped" if case.find("skipped") is not None else "ran"
    return verdicts


@pytest.fixture(scope="module")
def static(checkout: Path) -> list[FileResult]:
    from guards.core.git import Git

    return collect_rev(Git(checkout), (checkout / ".sha").read_text())


def expected(results: list[FileResult]) -> tuple[Verdicts, set[str]]:
    present: Verdicts = {}
    absent: set[str] = {t.nodeid for r in results for t in r.dormant}
    for test in (t for r in results for t in r.tests):
        kinds = {s.kind for s in test.skips}
        if kinds & ABSENT or any(s.detail == TESTNG_DISABLED for s in test.skips):
            absent.add(test.nodeid)
        else:
            present[test.nodeid] = "skipped" if kinds else "ran"
    return present, absent


def test_report_equals_collector(real: Verdicts, static: list[FileResult]) -> None:
    present, absent = expected(static)
    print(agreement(present, absent, real))
    assert real == present
    assert not absent & real.keys()


def test_corpus_covers_every_outcome(static: list[FileResult]) -> None:
    """Without Maven (one test runs it, so pytest -n runs it once): the corpus has every kind."""
    present, absent = expected(static)
    kinds = {s.kind for r in static for t in r.tests for s in t.skips}
    assert kinds == {"skip", "skipif", "runtime-skip", "deselected", "not-collected"}
    assert {r.excluded.split(" ")[0] for r in static if r.excluded} == {"is", "does", "matches"}
    assert sum(v == "skipped" for v in present.values()) >= 25
    assert sum(v == "ran" for v in present.values()) >= 15
    assert len(absent) >= 10


def agreement(present: Verdicts, absent: set[str], real: Verdicts) -> str:
    rows = [f"{'collector':>10} {'surefire':>9}  test"]
    for nodeid in sorted(present.keys() | real.keys()):
        rows.append(f"{present.get(nodeid, '-'):>10} {real.get(nodeid, '-'):>9}  {nodeid}")
    rows += [f"{'absent':>10} {real.get(n, '-'):>9}  {n}" for n in sorted(absent)]
    same = sum(present.get(n) == real.get(n) for n in present.keys() | real.keys())
    rows.append(
        f"agree: {same}/{len(present.keys() | real.keys())} reported, "
        f"{len(absent - real.keys())}/{len(absent)} absent"
    )
    return "\n".join(rows)
