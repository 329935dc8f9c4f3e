"""Which runner configurations govern a file, and whether any of them runs it.

Read at the revision, nearest folder first, one per runner:

- jest: ``jest.config.{js,ts,mjs,cjs,mts,cts,json}`` or package.json's ``"jest"`` key:
  ``testMatch`` (globs) or ``testRegex``, ``testPathIgnorePatterns`` (regexes), ``roots``,
  ``rootDir``; matched against the absolute path, as jest does (``<rootDir>`` = the folder);
- vitest: ``vitest.config.*`` (or ``vite.config.*`` with a ``test`` key): ``test.include``,
  ``test.exclude``, ``test.dir``, relative to the config's folder;
- mocha: ``.mocharc.{js,cjs,json,jsonc,yaml,yml}`` or package.json's ``"mocha"`` key:
  ``spec``, ``ignore``, ``recursive``, ``extension``.

A file no configuration governs is not dropped (no config: the runner's defaults, which we do
not guess). A file some configuration governs runs when at least one of them includes it.
The trap: jest ``projects`` and vitest ``projects``/``workspace`` split the tree into
configurations we do not follow: Undecidable, as is any key we need that is computed.
"""

from __future__ import annotations

import posixpath
import re
import weakref
from collections.abc import Callable
from typing import Any

from guards.collect.interface import Files
from guards.collect.js import configread, globs
from guards.collect.model import Undecidable
from guards.core.records import record
from guards.linear_re import compile_full

TEST_NAME = re.compile(r"(^|/)(__tests__|tests?|spec)/|[._-](test|spec)\.[cm]?[jt]sx?$")
NOT_NAMED = "is not named like a test file and no runner configuration includes it"
JEST = tuple(f"jest.config.{e}" for e in ("js", "ts", "mjs", "cjs", "mts", "cts", "json"))
VITEST = tuple(
    f"{n}.config.{e}" for n in ("vitest", "vite") for e in ("ts", "mts", "cts", "js", "mjs", "cjs")
)
MOCHA = tuple(f".mocharc.{e}" for e in ("js", "cjs", "yaml", "yml", "jsonc", "json"))
NAMES = frozenset((*JEST, *VITEST, *MOCHA, "package.json"))
JEST_MATCH = ("**/__tests__/**/*.?([mc])[jt]s?(x)", "**/?(*.)+(spec|test).?([mc])[jt]s?(x)")
VITEST_INCLUDE = ("**/*.{test,spec}.?(c|m)[jt]s?(x)",)
JEST_KEYS = (
    "testMatch",
    "testRegex",
    "testPathIgnorePatterns",
    "roots",
    "rootDir",
    "projects",
    "preset",
)
VITEST_KEYS = (
    "test.include",
    "test.exclude",
    "test.dir",
    "test.root",
    "test.projects",
    "test.workspace",
    "root",
)
_CACHE: weakref.WeakKeyDictionary[Files, dict[str, tuple[Runner, ...]]] = (
    weakref.WeakKeyDictionary()
)
MOCHA_KEYS = ("spec", "ignore", "recursive", "extension")


@record
class Runner:
    name: str
    source: str
    root: str
    runs: Callable[[str], bool]


def ancestors(path: str) -> list[str]:
    """The folders above PATH, shallowest first ("" is the root)."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(len(parts) + 1)]


def is_config(path: str) -> bool:
    return posixpath.basename(path) in NAMES


def runners(files: Files, path: str) -> list[Runner]:
    """The nearest configuration of each runner above PATH."""
    found: dict[str, Runner] = {}
    for folder in reversed(ancestors(path)):
        for runner in _in_folder(files, folder):
            found.setdefault(runner.name, runner)
    return list(found.values())


def named_like_a_test(path: str) -> bool:
    return bool(TEST_NAME.search(path))


def dropped(files: Files, path: str) -> str:
    """Why no runner runs PATH ("" when one does). With no configuration above it, a file runs
    when it is named like a test."""
    found = runners(files, path)
    if not found:
        return "" if named_like_a_test(path) else NOT_NAMED
    if any(r.runs(path) for r in found):
        return ""
    names = ", ".join(f"{r.name} ({r.source})" for r in found)
    return f"is not run by {names}"


def _in_folder(files: Files, folder: str) -> tuple[Runner, ...]:
    """The runner configurations in FOLDER (cached per revision's Files and folder)."""
    cache = _CACHE.setdefault(files, {})
    if folder not in cache:
        cache[folder] = _read_folder(files, folder)
    return cache[folder]


def _read_folder(files: Files, folder: str) -> tuple[Runner, ...]:
    out: list[Runner] = []
    package = _package(files, folder)
    for name, candidates, key, build in (
        ("jest", JEST, "jest", _jest),
        ("vitest", VITEST, "", _vitest),
        ("mocha", MOCHA, "mocha", _mocha),
    ):
        for candidate in candidates:
            where = posixpath.join(folder, candidate) if folder else candidate
            raw = files.read(where)
            if raw is not None:
                config = _load(where, raw, name)
                if config is not None:
                    out.append(build(where, folder, config))
                break
        else:
            if key and isinstance(package.get(key), dict):
                source = posixpath.join(folder, "package.json") if folder else "package.json"
                out.append(build(source, folder, package[key]))
    return tuple(out)


def _package(files: Files, folder: str) -> dict[str, Any]:
    raw = files.read(posixpath.join(folder, "package.json") if folder else "package.json")
    if raw is None:
        return {}
    value = configread.read_data("package.json", raw)
    return value if isinstance(value, dict) else {}


def _load(path: str, raw: bytes, runner: str) -> dict[str, Any] | None:
    if path.endswith((".json", ".jsonc", ".yaml", ".yml")):
        value = configread.read_data(path, raw)
        return value if isinstance(value, dict) else {}
    keys = {"jest": JEST_KEYS, "vitest": VITEST_KEYS, "mocha": MOCHA_KEYS}[runner]
    value = configread.read_module(path, raw, keys)
    if runner == "vitest" and posixpath.basename(path).startswith("vite.") and "test" not in value:
        return None  # a plain vite config: no test settings
    return value


def _list(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def _refuse(source: str, config: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if key in config:
            raise Undecidable(source, 1, f"{key} in {source} is not followed statically")


def _jest(source: str, folder: str, config: dict[str, Any]) -> Runner:
    _refuse(source, config, ("projects", "preset"))
    root = "/" + posixpath.normpath(posixpath.join(folder, str(config.get("rootDir", "."))))
    root = root.rstrip("/.") if root != "/." else ""

    def sub(value: str) -> str:
        return value.replace("<rootDir>", root)

    roots = [sub(r).rstrip("/") for r in _list(config.get("roots"), ("<rootDir>",))]
    regex = _regexes(source, "testRegex", [sub(r) for r in _list(config.get("testRegex"), ())])
    match = [sub(g) for g in _list(config.get("testMatch"), JEST_MATCH)]
    ignored = [sub(r) for r in _list(config.get("testPathIgnorePatterns"), ("/node_modules/",))]
    ignore = _regexes(source, "testPathIgnorePatterns", ignored)

    def runs(path: str) -> bool:
        absolute = "/" + path
        if not any(absolute.startswith(r + "/") for r in roots):
            return False
        included = (
            any(r.search(absolute) for r in regex) if regex else _any(match, absolute, source)
        )
        return included and not any(r.search(absolute) for r in ignore)

    return Runner("jest", source, folder, runs)


def _vitest(source: str, folder: str, config: dict[str, Any]) -> Runner:
    test = config.get("test") or {}
    _refuse(source, test, ("projects", "workspace", "root"))
    _refuse(source, config, ("root",))
    include = _list(test.get("include"), VITEST_INCLUDE)
    exclude = _list(test.get("exclude"), configread.VITEST_EXCLUDE)
    base = posixpath.normpath(posixpath.join(folder, str(test.get("dir", ".")))).strip("./")

    def runs(path: str) -> bool:
        rel = _relative(path, folder)
        inside = base == "" or path == base or path.startswith(base + "/")
        return inside and _any(include, rel, source) and not _any(exclude, rel, source)

    return Runner("vitest", source, folder, runs)


def _mocha(source: str, folder: str, config: dict[str, Any]) -> Runner:
    extensions = _list(config.get("extension"), ("js", "cjs", "mjs"))
    deep = "**/" if config.get("recursive") else ""
    specs = [_spec(s, extensions, deep) for s in _list(config.get("spec"), ("./test",))]
    ignore = _list(config.get("ignore"), ())

    def runs(path: str) -> bool:
        rel = _relative(path, folder)
        return _any(specs, rel, source) and not _any(ignore, rel, source)

    return Runner("mocha", source, folder, runs)


def _spec(spec: str, extensions: tuple[str, ...], deep: str) -> str:
    spec = spec.removeprefix("./").rstrip("/")
    if any(c in spec for c in "*?[{") or posixpath.splitext(spec)[1]:
        return spec
    return f"{spec}/{deep}*.{{{','.join(extensions)}}}"


def _relative(path: str, folder: str) -> str:
    return path[len(folder) + 1 :] if folder else path


def _regexes(source: str, key: str, patterns: list[str]) -> list[Any]:
    """PATTERNS, the regexes of KEY in SOURCE, compiled by RE2 (a pull request writes them: a
    backtracking engine would let ``(a+)+b`` hang the gate); Undecidable for one it refuses."""
    try:
        return [compile_full(p) for p in patterns]
    except ValueError as exc:
        raise Undecidable(source, 1, f"{key}: {exc}") from exc


def _any(patterns: Any, path: str, source: str) -> bool:
    try:
        return any(globs.matches(g, path) for g in patterns)
    except ValueError as exc:
        raise Undecidable(source, 1, str(exc)) from exc


def package_changed(path: str, base: Files, head: Files) -> bool:
    """Whether PATH's runner keys ("jest", "mocha") differ between BASE and HEAD."""
    folder = posixpath.dirname(path)
    return any(
        _package(base, folder).get(key) != _package(head, folder).get(key)
        for key in ("jest", "mocha")
    )
