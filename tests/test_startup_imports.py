"""Start-up stays lean: a run loads a heavy dependency only when its work needs it.

Each test runs the real CLI in a fresh interpreter on a real repository and reads back the
modules that process imported (written at exit), and those of the child it forks to run the
other guards beside skip-set (runner.py): what the run loads is what either loads. The twin of
each "not loaded" is a run that needs the dependency and must load it: the laziness is proven,
not assumed, and a lazy import that lost its trigger (a parser never loaded, so never run)
would fail here too.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import pytest
from pytest_httpserver import HTTPServer

from testing.git_repo import ScratchRepo, isolated_env

# PyYAML, jsonschema, markdown-it/cmark-gfm/html5lib (PR text), urllib's HTTP client and the
# GitHub API code, the manifest parsers and look-alike matching, the opt-in guards, the Python
# collector's linker (no test module in the change), pathspec (no pattern list holds a
# pattern), the INI, TOML and XML parsers, and GitPython (not a dependency)
LAZY = (
    "yaml",
    "jsonschema",
    "markdown_it",
    "cmarkgfm",
    "html5lib",
    "urllib.request",
    "http.client",
    "guards.github.transport",
    "guards.github.protection",
    "packaging.requirements",
    "rapidfuzz",
    "guards.checks.tests_with_code.evaluate",
    "guards.checks.commit_format.judge",
    "guards.github.reviews",
    "guards.collect.python.linking.link",
    "pathspec",
    "configparser",
    "tomllib",
    "xml.etree.ElementTree",
    "git",
)

# Runs `guards` as __main__ would, then writes the names of the loaded modules to argv[1]
# (the forked child's to argv[1] + ".child", before it leaves).
PROBE = """
import json, sys
from guards import runner
from guards.main import cli
out, sys.argv = sys.argv[1], ["guards", *sys.argv[2:]]
child = runner._child
def _child(*args):
    code = child(*args)
    with open(out + ".child", "w") as f:
        json.dump(sorted(sys.modules), f)
    return code
runner._child = _child
try:
    cli()
except SystemExit as exc:
    code = exc.code
with open(out, "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""


class Loaded(NamedTuple):
    code: int
    modules: frozenset[str]


def loaded(tmp: Path, args: list[str], env: Mapping[str, str] | None = None) -> Loaded:
    """The exit code and the modules of one `guards` process (its report goes to a file)."""
    out = tmp / "modules.json"
    outside = {k: v for k, v in isolated_env().items() if not k.startswith(("GITHUB_", "GH_"))}
    full = {**outside, **(env or {})}
    cmd = [sys.executable, "-c", PROBE, str(out), *args, "--output", str(tmp / "report")]
    subprocess.run(cmd, env=full, capture_output=True, check=True)
    data = json.loads(out.read_text())
    forked = Path(f"{out}.child")
    child = json.loads(forked.read_text()) if forked.exists() else []
    forked.unlink(missing_ok=True)
    return Loaded(data["code"], frozenset(data["modules"]) | frozenset(child))


def changed_repo(path: Path, before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """A repository of BEFORE whose head commit writes AFTER: `run` arguments for it."""
    repo = ScratchRepo(path)
    repo.write(before)
    base = repo.commit("base")
    repo.write(after)
    head = repo.commit("change")
    return ["run", "--repo", str(repo.path), "--base", base, "--head", head]


def one_file_repo(path: Path, base_files: Mapping[str, str] | None = None) -> list[str]:
    """A repository whose head changes one Python file: `run` arguments for it."""
    repo = ScratchRepo(path)
    repo.write({"mod.py": "X = 1\n", **(base_files or {})})
    base = repo.commit("base")
    repo.write({"mod.py": "X = 2\n"})
    head = repo.commit("change mod.py")
    return ["run", "--repo", str(path), "--base", base, "--head", head, "--format", "json"]


def test_a_one_file_run_loads_none_of_the_heavy_dependencies(tmp_path: Path) -> None:
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo"))
    assert run.code == 1  # a verdict: manifest-scope finds no ticket
    assert sorted(run.modules & set(LAZY)) == []
    assert "guards.collect.python.skip_sets" in run.modules  # the guards did run


def test_version_loads_no_guard(tmp_path: Path) -> None:
    out = tmp_path / "modules.json"
    cmd = [sys.executable, "-c", PROBE, str(out), "--version"]
    subprocess.run(cmd, env=isolated_env(), capture_output=True, check=True)
    modules = set(json.loads(out.read_text())["modules"])
    guards = {m for m in modules if m.startswith(("guards.checks.", "guards.collect"))}
    assert guards == {"guards.checks.base"}  # the Rule type of the guard registry, no guard


def test_a_plainly_valid_config_loads_yaml_but_not_the_schema_validator(tmp_path: Path) -> None:
    config = {"guards.yaml": "skip-set: {}\n"}
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo", config))
    assert "yaml" in run.modules and "jsonschema" not in run.modules  # guards/plain_schema.py


def test_an_invalid_config_loads_the_validator_and_stops(tmp_path: Path) -> None:
    config = {"guards.yaml": "skip-sett: {}\n"}
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo", config))
    assert run.code == 2
    assert "jsonschema" in run.modules


def test_pr_text_loads_the_markdown_parsers(tmp_path: Path) -> None:
    args = [*one_file_repo(tmp_path / "repo"), "--pr-title", "Implements §1"]
    run = loaded(tmp_path, args)
    assert {"markdown_it", "cmarkgfm", "html5lib"} <= run.modules


def test_an_opt_in_guard_loads_when_configured(tmp_path: Path) -> None:
    config = {"guards.yaml": "tests-with-code: {}\ncommit-format: {}\n"}
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo", config))
    wanted = {"guards.checks.tests_with_code.evaluate", "guards.checks.commit_format.judge"}
    assert wanted <= run.modules


def test_a_changed_manifest_loads_the_requirement_parser_and_matching(tmp_path: Path) -> None:
    before, after = {"requirements.txt": "click\n"}, {"requirements.txt": "click\nreqeusts\n"}
    run = loaded(tmp_path, changed_repo(tmp_path / "repo", before, after))
    assert {"packaging.requirements", "rapidfuzz"} <= run.modules


def test_a_pr_payload_without_a_token_loads_no_http(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pr_payload()))
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "pull_request"}
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo"), env)
    assert run.code == 1
    assert "guards.github.transport" not in run.modules  # (html5lib loads urllib for PR text)


def test_a_token_loads_the_http_client_when_it_asks(tmp_path: Path, httpserver: HTTPServer) -> None:
    body = {"title": "T", "body": "", "number": 7}
    httpserver.expect_request("/repos/o/r/pulls/7").respond_with_json(body)
    missing = {"message": "Not Found"}  # every other question: a 404, not retried like a 500
    httpserver.expect_request(re.compile(".*")).respond_with_json(missing, status=404)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pr_payload()))
    env = {
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_TOKEN": "t",
        "GITHUB_API_URL": httpserver.url_for("").rstrip("/"),
        "GITHUB_REPOSITORY": "o/r",
    }
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo"), env)
    assert {"guards.github.transport", "guards.github.protection"} <= run.modules
    assert "guards.github.reviews" in run.modules  # review waivers: a PR number and a token


def test_a_pattern_loads_pathspec(tmp_path: Path) -> None:
    config = {"guards.yaml": "suppressions:\n  exclude: [vendor/]\n"}
    run = loaded(tmp_path, one_file_repo(tmp_path / "repo", config))
    assert "pathspec" in run.modules


def test_a_changed_test_module_loads_the_linker(tmp_path: Path) -> None:
    before = {"test_a.py": "def test_a():\n    pass\n"}
    after = {"test_a.py": "def test_a():\n    assert True\n"}
    run = loaded(tmp_path, changed_repo(tmp_path / "repo", before, after))
    assert "guards.collect.python.linking.link" in run.modules


@pytest.mark.parametrize(
    ("name", "text", "parser"),
    [
        ("tox.ini", "[pytest]\naddopts = -q\n", "configparser"),
        ("pyproject.toml", "[tool.pytest.ini_options]\naddopts = '-q'\n", "tomllib"),
        ("pom.xml", "<project><dependencies/></project>\n", "xml.etree.ElementTree"),
    ],
)
def test_a_file_of_a_format_loads_its_parser(
    tmp_path: Path, name: str, text: str, parser: str
) -> None:
    args = changed_repo(tmp_path / "repo", {"mod.py": "X = 1\n"}, {"mod.py": "X = 2\n", name: text})
    run = loaded(tmp_path, args)
    assert parser in run.modules


def pr_payload() -> dict[str, object]:
    """A pull_request payload naming no commits: --base and --head give them."""
    refs = {"head": {"ref": "feature"}, "base": {"ref": "main"}}
    return {"pull_request": {"number": 7, "title": "T", "body": "", **refs}}


@pytest.mark.parametrize("module", [m for m in LAZY if m != "git"])  # GitPython: not installed
def test_each_lazy_module_is_installed(module: str) -> None:
    """A name in LAZY that is not installed would make its "not loaded" assertion vacuous."""
    assert importlib.util.find_spec(module) is not None
