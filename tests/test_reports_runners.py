"""skip-set's second witness with REAL runners' reports: vitest (junit reporter), mocha +
mocha-junit-reporter, Maven Surefire (offline) and cargo nextest (JUnit), each run at base and
at head of a repository built here, then the real CLI with --base-report/--head-report.

Per runner one repository, base's report written once (module-scoped), and two heads: one
that skips a test (the gate fails naming it) and a clean edit (the gate passes, which also
proves the cross-check's identity mapping against the runner's real names: no false alarm).
The JS runners come from tests/js_runners.py's npm cache; Maven runs ``-o`` on ~/.m2; nextest
is the cargo-nextest binary of the dev extra (``cargo test`` writes no JUnit). A missing tool
fails, never skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from testing.git_repo import GitRepo, guards_cli
from tests import js_runners

Runner = Callable[[GitRepo, str, Path], Path]  # (repo, rev, out folder) -> report glob


@dataclass(frozen=True)
class Project:
    repo: GitRepo
    base: str
    heads: Mapping[str, str]  # "skip" / "clean" -> commit
    run: Runner
    base_report: Path


def project(
    root: Path, base: Mapping[str, str], heads: Mapping[str, Mapping[str, str]], run: Runner
) -> Project:
    """BASE on main, each head on its own branch from it; base's report written once."""
    repo = GitRepo(root / "repo")
    repo.write(dict(base))
    base_sha = repo.commit("base")
    shas = {}
    for name, files in heads.items():
        repo.git("checkout", "-q", "-b", name, base_sha)
        repo.write(dict(files))
        shas[name] = repo.commit(name)
    return Project(repo, base_sha, shas, run, run(repo, base_sha, root / "base"))


def judge(p: Project, head: str, tmp: Path) -> tuple[int, Any]:
    head_report = p.run(p.repo, p.heads[head], tmp / head)
    result = guards_cli(
        "run", "--repo", str(p.repo.path), "--base", p.base, "--head", p.heads[head],
        "--only", "skip-set", "--format", "json",
        "--base-report", str(p.base_report), "--head-report", str(head_report),
    )  # fmt: skip # -- a packed call reads better here
    assert result.code in (0, 1), result.stdout + result.stderr
    return result.code, result.json()


def failed(doc: Any) -> dict[str, str]:
    found = [f for g in doc["guards"] for f in g["findings"] if f["outcome"] == "fail"]
    return {f.get("test") or "": f["rule"] for f in found}


def notes(doc: Any) -> list[str]:
    return [f["message"] for g in doc["guards"] for f in g["findings"] if f["outcome"] == "pass"]


def run(args: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> None:
    proc = subprocess.run(
        args, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip # -- a packed call reads better here
    if proc.returncode not in (0, 1):  # 1: a test failed, the report is still written
        pytest.fail(f"{args[:3]} failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr}")


# --- vitest (junit reporter) ---------------------------------------------------------------

VITEST_SPEC = """import { describe, it, expect } from "vitest";

describe("Calc", () => {
  it("adds", () => expect(1 + 1).toBe(2));
  it("halves", () => expect(4 / 2).toBe(2));
});
"""


def vitest_run(repo: GitRepo, rev: str, out: Path) -> Path:
    repo.git("checkout", "-q", rev)
    modules = js_runners.node_modules()
    link = repo.path / "node_modules"
    if not link.exists():
        link.symlink_to(modules)  # untracked: the commits do not hold it
    report = out / "vitest.xml"
    cli = str(modules / "vitest" / "vitest.mjs")
    run(["node", cli, "run", "--reporter=junit", f"--outputFile={report}"], repo.path)
    return report


@pytest.fixture(scope="module")
def vitest(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = {
        "package.json": '{"name": "calc", "private": true, "type": "module"}\n',
        "src/calc.test.ts": VITEST_SPEC,
    }
    heads = {
        "skip": {"src/calc.test.ts": VITEST_SPEC.replace('it("halves"', 'it.skip("halves"')},
        "clean": {"src/calc.test.ts": VITEST_SPEC.replace("4 / 2", "6 / 3")},
    }
    return project(tmp_path_factory.mktemp("vitest"), base, heads, vitest_run)


def test_vitest_it_skip_fails_naming_the_test(vitest: Project, tmp_path: Path) -> None:
    code, doc = judge(vitest, "skip", tmp_path)
    assert code == 1
    assert failed(doc) == {
        "src/calc.test.ts::Calc > halves": "skip_set_not_grown",  # the report
        "src/calc.test.ts > Calc > halves": "skip_set_not_grown",  # the static collector
    }


def test_vitest_clean_change_passes_and_is_cross_checked(vitest: Project, tmp_path: Path) -> None:
    code, doc = judge(vitest, "clean", tmp_path)
    assert (code, failed(doc)) == (0, {})
    assert not any("javascript" in n for n in notes(doc))  # vitest's names map: checked


# --- mocha + mocha-junit-reporter ----------------------------------------------------------

MOCHA_SPEC = """const assert = require("assert");

describe("Calc", function () {
  it("adds", function () { assert.strictEqual(1 + 1, 2); });
  it("halves", function () { assert.strictEqual(4 / 2, 2); });
});
"""


def mocha_run(repo: GitRepo, rev: str, out: Path) -> Path:
    repo.git("checkout", "-q", rev)
    modules = js_runners.node_modules()
    report = out / "mocha.xml"
    cli = str(modules / "mocha" / "bin" / "mocha.js")
    options = f"mochaFile={report},includePending=true"
    reporter = str(modules / "mocha-junit-reporter")
    run(["node", cli, "--reporter", reporter, "--reporter-options", options, "test/"], repo.path)
    return report


@pytest.fixture(scope="module")
def mocha(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = {"package.json": '{"name": "calc", "private": true}\n', "test/calc.spec.js": MOCHA_SPEC}
    heads = {
        "skip": {"test/calc.spec.js": MOCHA_SPEC.replace('it("halves"', 'it.skip("halves"')},
        "clean": {"test/calc.spec.js": MOCHA_SPEC.replace("4 / 2", "6 / 3")},
    }
    return project(tmp_path_factory.mktemp("mocha"), base, heads, mocha_run)


def test_mocha_it_skip_fails_naming_the_test(mocha: Project, tmp_path: Path) -> None:
    code, doc = judge(mocha, "skip", tmp_path)
    assert code == 1
    assert failed(doc) == {
        "halves::Calc halves": "skip_set_not_grown",  # mocha-junit-reporter's names
        "test/calc.spec.js > Calc > halves": "skip_set_not_grown",
    }


def test_mocha_clean_change_passes_its_names_not_cross_checked(
    mocha: Project, tmp_path: Path
) -> None:
    code, doc = judge(mocha, "clean", tmp_path)
    assert (code, failed(doc)) == (0, {})
    assert any(
        "javascript test(s) collected at head are not cross-checked" in n for n in notes(doc)
    )


# --- Maven Surefire (offline) --------------------------------------------------------------

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId><artifactId>calc</artifactId><version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>
      <version>5.11.4</version><scope>test</scope>
    </dependency>
  </dependencies>
  <build><plugins>
    <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version>
      <dependencies><dependency><groupId>org.codehaus.plexus</groupId>
        <artifactId>plexus-utils</artifactId><version>3.5.1</version></dependency></dependencies>
    </plugin>
    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
  </plugins></build>
</project>
"""
JAVA_TEST = """package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CalcTest {
    @Test
    void adds() { assertEquals(2, 1 + 1); }

    @Test
    void halves() { assertEquals(2, 4 / 2); }
}
"""
JAVA_PATH = "src/test/java/com/example/CalcTest.java"


def surefire_run(repo: GitRepo, rev: str, out: Path) -> Path:
    repo.git("checkout", "-q", rev)
    mvn = shutil.which("mvn")
    if mvn is None:
        pytest.fail("mvn is not on PATH: install Maven (apt-get install maven)")
    run([mvn, "-B", "-q", "-o", "test"], repo.path)
    out.mkdir(parents=True, exist_ok=True)
    for report in (repo.path / "target" / "surefire-reports").glob("TEST-*.xml"):
        shutil.copy(report, out / report.name)
    shutil.rmtree(repo.path / "target")
    return out / "TEST-*.xml"


DISABLED = JAVA_TEST.replace(
    "import org.junit.jupiter.api.Test;",
    "import org.junit.jupiter.api.Disabled;\nimport org.junit.jupiter.api.Test;",
).replace("    @Test\n    void halves", "    @Test\n    @Disabled\n    void halves")


@pytest.fixture(scope="module")
def surefire(tmp_path_factory: pytest.TempPathFactory) -> Project:
    heads = {
        "skip": {JAVA_PATH: DISABLED},
        "clean": {JAVA_PATH: JAVA_TEST.replace("4 / 2", "6 / 3")},
    }
    base = {"pom.xml": POM, JAVA_PATH: JAVA_TEST}
    return project(tmp_path_factory.mktemp("surefire"), base, heads, surefire_run)


def test_surefire_disabled_fails_naming_the_test(surefire: Project, tmp_path: Path) -> None:
    code, doc = judge(surefire, "skip", tmp_path)
    assert code == 1
    # the report and the Java collector name it alike: one finding
    assert failed(doc) == {"com.example.CalcTest::halves": "skip_set_not_grown"}


def test_surefire_clean_change_passes_and_is_cross_checked(
    surefire: Project, tmp_path: Path
) -> None:
    code, doc = judge(surefire, "clean", tmp_path)
    assert (code, failed(doc)) == (0, {})
    assert not any("java test(s)" in n for n in notes(doc))


# --- cargo nextest (JUnit) -----------------------------------------------------------------

CARGO = '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n'
NEXTEST = '[profile.default.junit]\npath = "junit.xml"\n'
LIB = """pub fn add(a: i32, b: i32) -> i32 { a + b }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() { assert_eq!(add(1, 1), 2); }

    #[test]
    fn adds_negative() { assert_eq!(add(-1, -1), -2); }
}
"""


def nextest_run(repo: GitRepo, rev: str, out: Path) -> Path:
    repo.git("checkout", "-q", rev)
    nextest = shutil.which("cargo-nextest", path=str(Path(sys.executable).parent))
    if nextest is None:
        pytest.fail("cargo-nextest is not installed: pip install -e '.[dev]'")
    target = out.parent / "cargo-target"  # the build, shared by base and both heads
    env = {"CARGO_TARGET_DIR": str(target), "PATH": f"{Path(nextest).parent}:{os.environ['PATH']}"}
    run(["cargo", "nextest", "run", "--offline", "--run-ignored", "default"], repo.path, env)
    out.mkdir(parents=True, exist_ok=True)
    store = repo.path / "target" / "nextest"  # nextest's store: the workspace's target/
    report = Path(shutil.copy(store / "default" / "junit.xml", out / "junit.xml"))
    shutil.rmtree(repo.path / "target")
    return report


IGNORED = LIB.replace(
    "    #[test]\n    fn adds_negative", "    #[test]\n    #[ignore]\n    fn adds_negative"
)


@pytest.fixture(scope="module")
def cargo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = {"Cargo.toml": CARGO, ".config/nextest.toml": NEXTEST, "src/lib.rs": LIB}
    heads = {
        "skip": {"src/lib.rs": IGNORED},
        "clean": {"src/lib.rs": LIB.replace("add(1, 1), 2", "add(2, 0), 2")},
    }
    return project(tmp_path_factory.mktemp("cargo"), base, heads, nextest_run)


def test_nextest_ignore_fails_naming_the_test(cargo: Project, tmp_path: Path) -> None:
    code, doc = judge(cargo, "skip", tmp_path)
    assert code == 1
    assert failed(doc) == {
        "calc::tests::adds_negative": "tests_still_run",  # nextest's JUnit leaves it out
        "calc tests::adds_negative": "skip_set_not_grown",  # the Rust collector
    }


def test_nextest_clean_change_passes_and_is_cross_checked(cargo: Project, tmp_path: Path) -> None:
    code, doc = judge(cargo, "clean", tmp_path)
    assert (code, failed(doc)) == (0, {})
    assert not any("rust test(s)" in n for n in notes(doc))
