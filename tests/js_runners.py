"""The real JS test runners for the JS/TS oracle: installed once with npm, run, reports read.

The runners come from tests/fixtures/js_runners/package-lock.json, installed with ``npm ci``
into ``~/.cache/guards-tests/node/<hash of the lock>`` (``$GUARDS_TEST_CACHE`` overrides the
cache root). A missing npm or a failed install fails the test that needs them, never skips it.

Each reader returns ``{identity: skipped}`` with the collector's identity
(``<path> > <describe> > ... > <title>``), mapped from the runner's own report:
jest's ``--json`` (ancestorTitles + title), vitest's JUnit (``classname > name``),
mocha-junit-reporter (``file``, full suite title, ``classname``) and node:test's JUnit
(nested testsuite names).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

LOCK_DIR = Path(__file__).parent / "fixtures" / "js_runners"
SKIPPED_STATUSES = {"pending", "todo", "skipped", "disabled"}
SEP = " > "
Report = dict[str, bool]


def node_modules() -> Path:
    """The runners' node_modules, installed on first use (npm ci, keyed by the lockfile)."""
    lock = (LOCK_DIR / "package-lock.json").read_bytes()
    root = Path(os.environ.get("GUARDS_TEST_CACHE", Path.home() / ".cache" / "guards-tests"))
    dest = root / "node" / hashlib.sha256(lock).hexdigest()[:16]
    if (dest / "node_modules" / ".package-lock.json").exists():
        return dest / "node_modules"
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is required for the JS oracle (install node and npm)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=dest.parent))
    for name in ("package.json", "package-lock.json"):
        shutil.copy(LOCK_DIR / name, work / name)
    cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=1200, check=False)
    if proc.returncode != 0:
        pytest.fail(f"npm ci failed: {proc.stderr[-2000:]}")
    try:
        work.rename(dest)
    except OSError:  # another worker installed it first
        shutil.rmtree(work, ignore_errors=True)
    return dest / "node_modules"


def run(args: list[str], cwd: Path, modules: Path, extra: dict[str, str] | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    env.update(extra or {})
    env["GUARDS_ORACLE"] = "1"
    env["NODE_PATH"] = str(modules)
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if proc.returncode not in (0, 1):
        pytest.fail(f"{' '.join(args[:3])} failed ({proc.returncode}): {proc.stderr[-3000:]}")


JEST_JUNIT = {  # the jest-junit settings that give the collector's identity
    "JEST_JUNIT_CLASSNAME": "{filepath}",
    "JEST_JUNIT_TITLE": "{classname} > {title}",
    "JEST_JUNIT_ANCESTOR_SEPARATOR": SEP,
}


def jest(repo: Path, project: str, modules: Path) -> Report:
    """jest's own --json report; jest-junit writes ``jest-junit.xml`` in the same run."""
    out = repo / "jest-report.json"
    junit = {**JEST_JUNIT, "JEST_JUNIT_OUTPUT_FILE": str(repo / "jest-junit.xml")}
    args = ["node", str(modules / "jest/bin/jest.js"), "--ci", "--json", f"--outputFile={out}"]
    run([*args, "--reporters=default", "--reporters=jest-junit"], repo / project, modules, junit)
    report: Report = {}
    for result in json.loads(out.read_text())["testResults"]:
        path = Path(result["name"]).relative_to(repo).as_posix()
        for case in result["assertionResults"]:
            key = SEP.join([path, *case["ancestorTitles"], case["title"]])
            report[key] = case["status"] in SKIPPED_STATUSES
    return report


def jest_junit(repo: Path, project: str) -> set[str]:
    """The identities jest-junit wrote (a top-level test's name starts with the separator)."""
    cases = ET.parse(repo / "jest-junit.xml").getroot().iter("testcase")
    return {
        SEP.join((f"{project}/{c.get('classname')}", c.get("name", "").removeprefix(SEP)))
        for c in cases
    }


def vitest(repo: Path, project: str, modules: Path) -> Report:
    out = repo / "vitest-report.xml"
    args = ["node", str(modules / "vitest/vitest.mjs"), "run", "--allowOnly", "--reporter=junit"]
    run([*args, f"--outputFile={out}"], repo / project, modules)
    return {
        SEP.join((f"{project}/{case.get('classname')}", case.get("name", ""))): _skipped(case)
        for case in ET.parse(out).getroot().iter("testcase")
    }


def mocha(repo: Path, project: str, modules: Path) -> Report:
    out = repo / f"{project}-report.xml"
    options = (
        f"mochaFile={out},includePending=true,useFullSuiteTitle=true,suiteTitleSeparatedBy={SEP}"
    )
    run(
        [
            "node",
            str(modules / "mocha/bin/mocha.js"),
            "--reporter",
            "mocha-junit-reporter",
            "--reporter-options",
            options,
        ],
        repo / project,
        modules,
    )
    report: Report = {}
    for suite in ET.parse(out).getroot().iter("testsuite"):
        if not suite.get("file"):
            continue
        path = Path(suite.get("file", "")).relative_to(repo).as_posix()
        chain = suite.get("name", "").removeprefix("Root Suite").removeprefix(SEP)
        for case in suite.findall("testcase"):
            parts = [path, *([chain] if chain else []), case.get("classname", "")]
            report[SEP.join(parts)] = _skipped(case)
    return report


def node_test(repo: Path, path: str, modules: Path) -> Report:
    out = repo / "node-report.xml"
    run(["node", "--test", "--test-reporter=junit", f"--test-reporter-destination={out}",
         str(repo / path)], repo, modules)  # fmt: skip # -- a packed call reads better here
    report: Report = {}
    _node_cases(ET.parse(out).getroot(), [path], report)
    return report


def _node_cases(element: ET.Element, chain: list[str], report: Report) -> None:
    for child in element:
        if child.tag == "testsuite":
            _node_cases(child, [*chain, child.get("name", "")], report)
        elif child.tag == "testcase":
            report[SEP.join([*chain, child.get("name", "")])] = _skipped(child)


def _skipped(case: ET.Element) -> bool:
    return case.find("skipped") is not None
