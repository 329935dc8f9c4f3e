"""Every reader of a configuration or manifest file, the guards' and the collectors', on files in
every shape: each value of a realistic document replaced in turn by a value of another kind (a
string where a table was, a table where a list was, ...). The contract (core/shapes.py): the
reader answers, or refuses the file with a GuardsError that names it; never a crash. Real tools
refuse such files too, so refusing them is right; crashing on one was an "internal error" on
flask's history (a [flake8] ``per-file-ignores`` is a string in INI)."""

from __future__ import annotations

import copy
import json
import posixpath
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path as FsPath
from typing import Any

import pytest
import yaml

from guards.checks.dependencies import manifests
from guards.checks.suppressions import cfgfacts
from guards.collect.js import config as js_config
from guards.collect.python.config import pytest_config
from guards.collect.reports.reading import parse as parse_report
from guards.collect.rust import cargo
from guards.errors import GuardsError
from testing.git_repo import guards_cli, pr_repo

Path = tuple[str | int, ...]
OTHERS = ["x", 3, 1.5, True, [], ["a", 1, {}], {}, {"a": 1, "b": ["c"], "c": {"d": 2}}, [{}]]
SAMPLES: dict[str, Any] = {
    "pyproject.toml": {
        "project": {"dependencies": ["a>=1"], "optional-dependencies": {"x": ["b"]}},
        "dependency-groups": {"dev": ["c"]},
        "build-system": {"requires": ["setuptools"]},
        "tool": {
            "ruff": {"ignore": ["E1"], "per-file-ignores": {"a.py": ["E1"]},
                     "lint": {"per-file-ignores": {"b.py": "E3"}}, "exclude": ["x"]},
            "mypy": {"overrides": [{"module": "a", "ignore_errors": True}], "exclude": "x"},
            "coverage": {"report": {"fail_under": 80, "omit": ["x"]}, "run": {"omit": ["z"]}},
            "pylint": {"disable": ["C0103"], "messages_control": {"disable": "x"}},
            "poetry": {"dependencies": {"python": "^3.8", "a": {"path": "../a"}},
                       "group": {"dev": {"dependencies": {"b": "*"}}},
                       "source": [{"name": "s", "url": "https://x"}]},
            "uv": {"sources": {"a": {"path": "../a"}}, "index": [{"url": "https://x"}],
                   "dev-dependencies": ["d"], "override-dependencies": ["e"]},
            "pdm": {"dev-dependencies": {"t": ["h"]}, "source": [{"url": "https://y"}]},
            "hatch": {"envs": {"default": {"dependencies": ["i"]}}},
        },
    },
    "ruff.toml": {"ignore": ["E1"], "per-file-ignores": {"a.py": ["E1"]}, "lint": {"select": []}},
    "pylintrc.toml": {"tool": {"pylint": {"main": {"ignore": ["x"]}}}},
    "Cargo.toml": {
        "dependencies": {"serde": "1", "x": {"version": "1", "git": "https://g"}},
        "target": {"cfg(unix)": {"dependencies": {"z": "3"}}},
        "workspace": {"dependencies": {"w": "1"}},
        "patch": {"crates-io": {"a": {"path": "x"}}},
        "replace": {"a:1.0": {"path": "y"}},
    },
    ".cargo/config.toml": {
        "source": {"v": {"directory": "vendor"}}, "registries": {"r": {"index": "https://r"}},
    },
    "Pipfile": {"source": [{"url": "https://x"}], "packages": {"a": "*", "b": {"git": "g"}}},
    "uv.toml": {"index": [{"url": "https://x"}], "override-dependencies": ["a @ https://z"]},
    "gradle/libs.versions.toml": {
        "versions": {"k": "1"},
        "libraries": {"a": "g:a:1", "b": {"module": "g:b", "version.ref": "k"},
                      "c": {"group": "g", "name": "c", "version": {"ref": "k"}}},
    },
    "package.json": {
        "dependencies": {"a": "^1", "b": "npm:c@1"}, "overrides": {"e": "1", "f": {"g": "2"}},
        "resolutions": {"h": "1"}, "pnpm": {"overrides": {"i": "1"}},
        "eslintConfig": {"rules": {"no-console": "off"}, "overrides": [{"rules": {"x": 0}}]},
    },
    ".eslintrc.json": {"rules": {"x": ["off"]}, "overrides": [{"rules": {"y": 0}}]},
    ".eslintrc.yml": {"rules": {"x": "off"}, "ignorePatterns": ["z"]},
    "tsconfig.json": {"compilerOptions": {"strict": True}, "exclude": ["x"]},
    ".yarnrc.yml": {"npmRegistryServer": "https://r", "npmScopes": {"s": {"a": "b"}}},
}  # fmt: skip # -- documents read best in their own nesting
STRUCTURED = (".toml", ".json", ".yml", ".yaml", "Pipfile", ".eslintrc")  # TOML, JSON, YAML


def _readers(path: str) -> list[Callable[[bytes, str], Any]]:
    found = [cfgfacts.reader(path), manifests.parser(path)]
    return [read for read in found if read is not None]


def _paths(doc: Any, above: Path = ()) -> Iterator[Path]:
    yield above
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        yield from _paths(value, (*above, key))


def _replaced(doc: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(doc)
    at = out
    for key in path[:-1]:
        at = at[key]
    at[path[-1]] = value
    return out


def _toml(value: Any) -> str:
    """VALUE as TOML: a document of inline values (TOML takes any JSON string literal)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)  # a string, a number, true / false


def _encoded(path: str, doc: Any) -> bytes | None:
    if path.endswith(".toml") or path == "Pipfile":
        if not isinstance(doc, dict):
            return None  # a TOML document is a table
        return "".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in doc.items()).encode()
    if path.endswith((".yml", ".yaml")):
        return yaml.safe_dump(doc).encode()
    return json.dumps(doc).encode()


def test_every_structured_reader_has_a_sample() -> None:
    names = [*cfgfacts.NAMES, *manifests.NAMES]
    read = {getattr(r, "__wrapped__", r) for path in SAMPLES for r in _readers(path)}
    for name in [n for n in names if n.endswith(STRUCTURED)]:
        for reader in _readers(name):
            underlying = getattr(reader, "__wrapped__", reader)
            assert underlying in read, name


@pytest.mark.parametrize("path", sorted(SAMPLES))
def test_a_file_in_any_shape_is_read_or_refused_by_name(path: str) -> None:
    readers = _readers(path)
    assert readers, path
    sample = SAMPLES[path]
    for where in _paths(sample):
        for value in OTHERS:
            data = _encoded(path, _replaced(sample, where, value))
            for read in readers if data is not None else []:
                try:
                    read(data or b"", path)
                except GuardsError as exc:
                    assert str(exc).startswith(f"{path}:"), (where, value, str(exc))


# The collectors' readers: what each reads of a test runner's configuration
COLLECTED: dict[str, tuple[dict[str, Any], Callable[[dict[str, bytes]], object]]] = {
    "Cargo.toml": (
        {"package": {"name": "app", "autotests": True}, "features": {"default": ["a"], "a": []},
         "lib": {"path": "src/lib.rs"}, "bin": [{"name": "tool", "path": "src/bin/tool.rs"}],
         "test": [{"name": "api", "path": "tests/api.rs", "harness": False}]},
        lambda files: cargo.load(_Memory(files), "Cargo.toml"),
    ),
    "pyproject.toml": (
        {"tool": {"pytest": {"ini_options": {"testpaths": ["tests"], "addopts": "-p no:x",
                                             "python_files": ["test_*.py"]}}}},
        lambda files: pytest_config.load(files.get),
    ),
    "package.json": (
        {"devDependencies": {"jest": "29"}, "jest": {"testMatch": ["**/*.test.js"],
         "roots": ["<rootDir>/src"], "projects": [{"testMatch": ["**/a/*.test.js"]}]}},
        lambda files: js_config.runners(_Memory(files), "src/a.test.js"),
    ),
    ".mocharc.json": (
        {"spec": ["src/**/*.test.js"], "extension": ["js"], "ignore": "x", "recursive": True},
        lambda files: js_config.runners(
            _Memory({**files, "package.json": b'{"devDependencies": {"mocha": "10"}}'}),
            "src/a.test.js",
        ),
    ),
}  # fmt: skip # -- documents read best in their own nesting
SOURCES = {"src/lib.rs": b"", "src/bin/tool.rs": b"", "tests/api.rs": b"", "src/a.test.js": b""}


class _Memory:
    """The Files protocol over a dict: a revision's files, for a reader's own test."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)

    def exists(self, path: str) -> bool:
        return path in self.files

    def below(self, folder: str) -> list[str]:
        return sorted(p for p in self.files if not folder or p.startswith(f"{folder}/"))

    def list_dir(self, folder: str) -> Sequence[str]:
        return [p for p in self.below(folder) if posixpath.dirname(p) == folder]


@pytest.mark.parametrize("path", sorted(COLLECTED))
def test_a_runner_config_in_any_shape_is_read_or_refused(path: str) -> None:
    sample, read = COLLECTED[path]
    for where in _paths(sample):
        for value in OTHERS:
            data = _encoded(path, _replaced(sample, where, value))
            if data is None:
                continue
            try:
                read({**SOURCES, path: data})
            except GuardsError as exc:
                assert path in str(exc), (where, value, str(exc))


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {"Cargo.toml": '[package]\nname = "app"\n[lib]\npath = 3\n', "src/lib.rs": ""},
            "Cargo.toml:1: does not parse: lib.path is a number, not a string, which cargo refuses",
        ),
        (
            {"pyproject.toml": "[tool]\npytest = 1\n", "tests/test_a.py": ""},
            "pyproject.toml: tool.pytest is a number, not a table, which pytest refuses",
        ),
    ],
)
def test_a_runner_config_in_a_refused_shape_is_exit_2_by_name(
    tmp_path: FsPath, files: dict[str, str], words: str
) -> None:
    _, base, head = pr_repo(tmp_path / "repo", {"README.md": "x\n"}, files)
    args = ["run", "--repo", str(tmp_path / "repo"), "--base", base, "--head", head]
    result = guards_cli(*args, "--only", "skip-set")
    assert result.code == 2, result.stdout + result.stderr
    assert words in result.stdout


# A run's own reports, one JSON object a line (the run is the PR's code: a report is input)
REPORTS: dict[str, list[dict[str, Any]]] = {
    "go.json": [
        {"Action": "run", "Package": "a", "Test": "TestX"},
        {"Action": "output", "Package": "a", "Test": "TestX", "Output": "--- SKIP: TestX\n"},
        {"Action": "skip", "Package": "a", "Test": "TestX", "Elapsed": 0},
    ],
    "report.jsonl": [
        {"$report_type": "SessionStart", "pytest_version": "8"},
        {"$report_type": "TestReport", "nodeid": "t.py::a", "when": "setup", "outcome": "skipped",
         "longrepr": ["t.py", 1, "Skipped: x"], "location": ["t.py", 0, "a"], "wasxfail": "r"},
    ],
}  # fmt: skip # -- documents read best in their own nesting


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_in_any_shape_is_read_or_refused_by_name(name: str) -> None:
    sample = REPORTS[name]
    for where in _paths(sample):
        for value in OTHERS:
            lines = _replaced(sample, where, value)
            if not isinstance(lines, list):
                continue
            try:
                parse_report(b"".join(json.dumps(x).encode() + b"\n" for x in lines), name, {})
            except GuardsError as exc:
                assert name in str(exc), (where, value, str(exc))
