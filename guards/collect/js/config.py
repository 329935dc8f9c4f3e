"""Which runner configurations govern a file, and whether any of them runs it.

Read at the revision, nearest folder first, one per runner:

- jest: ``jest.config.{js,ts,mjs,cjs,mts,cts,json}`` or package.json's ``"jest"`` key:
  ``testMatch`` (globs) or ``testRegex``, ``testPathIgnorePatterns`` (regexes), ``roots``,
  ``rootDir``; matched against the absolute path, as jest does (``<rootDir>`` = the folder),
  the path the file has in a GitHub Actions checkout (CHECKOUT): babel's
  ``./(packages|codemods|eslint)/...`` needs a character before the repository's folders;
- vitest: ``vitest.config.*`` (or ``vite.config.*`` with a ``test`` key): ``test.include``,
  ``test.exclude``, ``test.dir``, relative to the config's folder;
- mocha: ``.mocharc.{js,cjs,json,jsonc,yaml,yml}`` or package.json's ``"mocha"`` key:
  ``spec``, ``ignore``, ``recursive``, ``extension``.

A file no configuration governs is not dropped (no config: the runner's defaults, which we do
not guess). A file some configuration governs runs when at least one of them includes it. A
pattern a condition picks (configread.Choice: ``...(process.env.X ? [p] : [])``) makes a Fate
of "sometimes": the file runs or not by the environment, and its tests are skipped when the
condition says so, as a ``skipif`` is in Python; a choice both of whose branches match counts
as a pattern that always applies.
jest ``projects`` and vitest ``test.projects`` split the tree into projects, each with its own
configuration: a file runs when one of them runs it.

The trap: vitest's ``workspace`` and a project list we cannot read (not literal, a jest glob
that matches nothing, a vitest list none of whose globs matches, a negated glob) are
Undecidable, as is any key we need that is computed. A vitest glob that matches nothing beside
other projects adds none (vitest 3.2 stops only when it finds no project at all), and an
inline project's ``extends: "./vitest.config.ts"`` naming its own configuration file is
``extends: true`` (vitest resolves both to that file).
"""

from __future__ import annotations

import functools
import posixpath
import re
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from guards.collect.interface import Files
from guards.collect.js import configread, globs
from guards.collect.js.configread import Choice
from guards.collect.model import Undecidable
from guards.core import shapes
from guards.core.folders import below
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
RUNNER_FILES = {"jest": (JEST, "jest"), "vitest": (VITEST, ""), "mocha": (MOCHA, "mocha")}
JEST_MATCH = ("**/__tests__/**/*.?([mc])[jt]s?(x)", "**/?(*.)+(spec|test).?([mc])[jt]s?(x)")
VITEST_INCLUDE = ("**/*.{test,spec}.?(c|m)[jt]s?(x)",)
MOCHA_SPEC = ("test/*.{js,cjs,mjs}",)  # ./test, mocha's spec when none is set
TYPECHECK_INCLUDE = ("**/*.{test,spec}-d.?(c|m)[jt]s?(x)",)  # vitest's type tests
TYPECHECK_EXCLUDE = ("**/node_modules/**", "**/.git/**")
DEFAULTS = {"jest": JEST_MATCH, "vitest": VITEST_INCLUDE, "mocha": MOCHA_SPEC}
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
_READ: weakref.WeakKeyDictionary[Files, dict[str, Callable[[str], bool]]] = (
    weakref.WeakKeyDictionary()
)
MODULES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")  # a configuration that imports
RELATIVE_IMPORT = re.compile(rb"""['"]\.\.?/""")  # a module path a configuration may read
MOCHA_KEYS = ("spec", "ignore", "recursive", "extension")
CHOOSABLE = {  # the keys whose patterns a condition may pick (configread.Choice)
    "jest": ("testMatch", "testRegex", "testPathIgnorePatterns"),
    "vitest": ("test.include", "test.exclude"),
    "mocha": ("spec", "ignore"),
}
T = TypeVar("T")
CHECKOUT = "/home/runner/work/repo/repo"  # where actions/checkout puts a repository
# jest presets that set none of JEST_KEYS (ts-jest's set transform, extensionsToTreatAsEsm):
# tests/test_js_presets.py asks the installed packages. Any other preset may set testMatch.
INERT_PRESETS = frozenset(
    {"ts-jest"}
    | {
        f"ts-jest/presets/{kind}{variant}"
        for kind in ("default", "js-with-ts", "js-with-babel")
        for variant in ("", "-legacy", "-esm", "-esm-legacy")
    }
)
PROJECT_LISTS = ("projects", "test.projects")  # objects in them are checked key by key
MAX_PROJECTS = 1_000  # projects of one configuration: each file asks each of them
PROJECT_FILES = (".js", ".ts", ".mjs", ".cjs", ".cts", ".mts", ".json")  # jest reads as configs


@record
class Fate:
    """Whether a runner runs a file: always, or only under CONDITIONS (their text; none: never).
    TAKEN: a pattern of the configuration's include takes it, whatever its ignores, roots or
    conditions say (a test file by the configuration's own convention: narrowed)."""

    always: bool
    conditions: tuple[str, ...] = ()
    taken: bool = False

    @property
    def never(self) -> bool:
        return not self.always and not self.conditions


@record
class Entries:
    """A key's patterns: those that always apply, and those a condition picks."""

    always: tuple[str, ...]
    choices: tuple[Choice, ...] = ()

    def fate(self, hit: Callable[[str], bool]) -> Fate:
        """Whether a pattern HIT matches applies always (one that always applies, or one in
        each branch of a choice), only under some conditions, or never."""
        if any(hit(p) for p in self.always):
            return Fate(True)
        branches = [(c, [any(hit(p) for p in b) for b in c.branches]) for c in self.choices]
        if any(all(found) for _, found in branches):
            return Fate(True)
        return Fate(False, tuple(_when(c, found[0]) for c, found in branches if any(found)))


@record
class Runner:
    name: str
    source: str
    root: str
    fate: Callable[[str], Fate]  # kept per path: a listing asks it three times a file

    def may_run(self, path: str) -> bool:
        return not self.fate(path).never


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
    """Why no runner runs PATH ("" when one may). With no configuration above it, a file runs
    when it is named like a test."""
    found = runners(files, path)
    if not found:
        return "" if named_like_a_test(path) else NOT_NAMED
    if any(r.may_run(path) for r in found):
        return ""
    names = ", ".join(f"{r.name} ({r.source})" for r in found)
    return f"is not run by {names}"


def narrowed(files: Files, path: str) -> bool:
    """Whether PATH is a test file a runner configuration above it leaves out: one a pattern of
    its include takes (its ignores, roots or conditions drop it: Fate.taken), or that the
    runner takes by its own default (DEFAULTS: jest's testMatch, vitest's include, mocha's
    ./test). Another file under a ``tests`` folder is none (svelte's samples' ``_config.js``,
    whose ``test({...})`` is a helper of its own): its tests are dormant."""
    return any(_narrowed(r, path) for r in runners(files, path))


def _narrowed(runner: Runner, path: str) -> bool:
    by_default = _any(DEFAULTS[runner.name], _relative(path, runner.root), runner.source)
    return by_default or runner.fate(path).taken


def dropped_unless(files: Files, path: str) -> str:
    """Why PATH runs only under a condition ("" when a runner always runs it, or none may)."""
    found = runners(files, path)
    fates = [(r, r.fate(path)) for r in found]
    if not fates or any(f.always for _, f in fates) or all(f.never for _, f in fates):
        return ""
    ways = "; or ".join(
        f"{r.name} ({r.source}) when {' or '.join(f.conditions)}" for r, f in fates if not f.never
    )
    return f"is run only by {ways}"


def _when(choice: Choice, first: bool) -> str:
    """The condition under which CHOICE's matching branch is taken (FIRST: the consequence)."""
    return choice.condition if first else _not(choice.condition)


def _in_folder(files: Files, folder: str) -> tuple[Runner, ...]:
    """The runner configurations in FOLDER (cached per revision's Files and folder)."""
    cache = _CACHE.setdefault(files, {})
    if folder not in cache:
        cache[folder] = _read_folder(files, folder)
    return cache[folder]


def _read_folder(files: Files, folder: str) -> tuple[Runner, ...]:
    out: list[Runner] = []
    for runner, build in (("jest", _jest), ("vitest", _vitest), ("mocha", _mocha)):
        found = _folder_config(files, folder, runner)
        if found is not None:
            out.append(build(files, found[0], folder, found[1]))
    return tuple(out)


def _folder_config(files: Files, folder: str, runner: str) -> tuple[str, dict[str, Any]] | None:
    """RUNNER's configuration in FOLDER and the file that holds it: the first of its
    configuration files there (a vite config without a ``test`` key: none), else its key in
    the folder's package.json; None when there is none."""
    names, key = RUNNER_FILES[runner]
    for name in names:
        where = posixpath.join(folder, name) if folder else name
        raw = files.read(where)
        if raw is not None:
            config = _load(files, where, raw, runner)
            return None if config is None else (where, config)
    own = _package(files, folder).get(key) if key else None
    source = posixpath.join(folder, "package.json") if folder else "package.json"
    return (source, own) if isinstance(own, dict) else None


def readers(files: Files, path: str) -> set[str]:
    """The folders of the runner configurations of FILES that read the module PATH, however
    deep (react-router's ``...sharedConfig`` from ``jest/jest.config.shared.js``); one that
    cannot be read, where an import or ``require`` in its text names PATH."""
    return {posixpath.dirname(c) for c, read in _modules_read(files).items() if read(path)}


def _modules_read(files: Files) -> dict[str, Callable[[str], bool]]:
    """Each JS/TS runner configuration of FILES that imports a relative module: whether it
    reads a path (cached per revision)."""
    found = _READ.get(files)
    if found is None:
        found = _READ[files] = {}
        for config in (c for c in files.below("") if is_config(c) and c.endswith(MODULES)):
            raw = files.read(config) or b""
            if RELATIVE_IMPORT.search(raw):
                found[config] = _reads(files, config, raw)
    return found


def _reads(files: Files, config: str, raw: bytes) -> Callable[[str], bool]:
    seen: set[str] = set()

    def load(path: str) -> bytes | None:
        seen.add(path)
        return files.read(path)

    try:
        configread.read_module(config, raw, (), load=load)
    except Undecidable:
        named = configread.imported_paths(config, raw)  # what it imports, read as text
        return lambda path: path in seen or path in named
    return seen.__contains__


def _package(files: Files, folder: str) -> dict[str, Any]:
    raw = files.read(posixpath.join(folder, "package.json") if folder else "package.json")
    if raw is None:
        return {}
    value = configread.read_data("package.json", raw)
    return value if isinstance(value, dict) else {}


def _load(files: Files, path: str, raw: bytes, runner: str) -> dict[str, Any] | None:
    """RUNNER's configuration in the file PATH (its bytes RAW), None for a vite config
    without test settings."""
    if path.endswith((".json", ".jsonc", ".yaml", ".yml")):
        value = configread.read_data(path, raw)
        return value if isinstance(value, dict) else {}
    keys = {"jest": JEST_KEYS, "vitest": VITEST_KEYS, "mocha": MOCHA_KEYS}[runner]
    # A module it imports (a mergeConfig side, a spread's object) may be any file of the
    # repository: a change to one widens the change scope over this folder (readers).
    value = configread.read_module(path, raw, keys, CHOOSABLE[runner], PROJECT_LISTS, files.read)
    if runner == "vitest" and posixpath.basename(path).startswith("vite.") and "test" not in value:
        return None  # a plain vite config: no test settings
    return value


def _list(value: Any, default: tuple[str, ...], source: str, key: str) -> tuple[str, ...]:
    """KEY's VALUE in SOURCE: a string, or an array of them (DEFAULT where it is not set);
    Undecidable where it is neither, as the runner would not read it either."""
    if value is None:
        return default
    if not isinstance(value, (str, list)):
        raise Undecidable(source, 1, f"{key} in {source} is {shapes.kind(value)}, not a list")
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def _entries(value: Any, default: tuple[str, ...]) -> Entries:
    """A pattern key's VALUE (one pattern, a list, a Choice, or a list holding Choices)."""
    if value is None:
        return Entries(default)
    items = value if isinstance(value, list) else [value]
    always = tuple(str(v) for v in items if not isinstance(v, Choice))
    return Entries(always, tuple(v for v in items if isinstance(v, Choice)))


def _mapped(entries: Entries, change: Callable[[str], str]) -> Entries:
    """ENTRIES with CHANGE applied to every pattern (``<rootDir>``)."""
    choices = tuple(
        replace(c, branches=(tuple(map(change, c.branches[0])), tuple(map(change, c.branches[1]))))
        for c in entries.choices
    )
    return Entries(tuple(map(change, entries.always)), choices)


def _literal(source: str, entry: dict[str, Any], keys: tuple[str, ...], runner: str) -> None:
    """Undecidable when a key of KEYS that a project ENTRY of SOURCE sets is computed."""
    for key in keys:
        configread.require_literal(source, entry, key, key in CHOOSABLE[runner])


def _refuse(source: str, config: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if key in config:
            raise Undecidable(source, 1, f"{key} in {source} is not followed statically")


def _jest(files: Files, source: str, folder: str, config: dict[str, Any]) -> Runner:
    """One jest configuration: its own patterns, or with ``projects`` each project's (a file
    runs when one of them runs it)."""
    if "projects" not in config:
        return Runner("jest", source, folder, functools.cache(_jest_fate(source, folder, config)))
    fates = _projects(files, source, folder, config)
    return Runner("jest", source, folder, functools.cache(lambda path: _either(fates, path)))


def _projects(
    files: Files, source: str, folder: str, config: dict[str, Any]
) -> list[Callable[[str], Fate]]:
    """The fate of each of CONFIG's jest ``projects``: an object is a project's configuration
    (its rootDir relative to FOLDER, FOLDER by default); a string, after ``<rootDir>``, a glob
    of project folders and configuration files (relative to FOLDER, where jest runs), each
    folder read for its own configuration; the folder of CONFIG's rootDir is CONFIG itself."""
    entries = config["projects"]
    if not isinstance(entries, list) or not entries:
        raise Undecidable(source, 1, f"projects in {source} is not a literal list of projects")
    root, tree = _jest_root(folder, config), _Tree.of(files, entries)
    fates = []
    for entry in entries:
        if isinstance(entry, dict):
            _literal(source, entry, JEST_KEYS, "jest")
            fates.append(_jest_fate(source, folder, entry))
        elif isinstance(entry, str):
            glob = posixpath.join(CHECKOUT, folder, entry.replace("<rootDir>", root))
            targets = _bounded(source, _targets(tree, source, glob), len(fates))
            fates += [_project(files, source, folder, config, t) for t in targets]
        else:
            raise Undecidable(source, 1, f"a project in {source} is chosen at run time")
    return _bounded(source, fates)


@record
class _Tree:
    """A revision's folders ("" the root) and files, listed once for a list of projects."""

    folders: tuple[str, ...]
    files: tuple[str, ...]

    @classmethod
    def of(cls, files: Files, entries: list[Any]) -> _Tree:
        """FILES listed, when one of ENTRIES (a list of projects) is a glob to match."""
        if not any(isinstance(e, str) for e in entries):
            return cls((), ())
        paths = tuple(files.below(""))
        return cls(tuple(sorted(_with_parents({posixpath.dirname(p) for p in paths}))), paths)


def _targets(
    tree: _Tree,
    source: str,
    glob: str,
    config_file: Callable[[str], bool] = lambda _p: True,
    none_ok: bool = False,
) -> list[str]:
    """The folders (and, without a trailing slash, the files CONFIG_FILE admits) of TREE GLOB
    matches; Undecidable when it matches none (jest fails to start), unless NONE_OK (vitest
    stops only when no project at all is found)."""
    folders_only = glob.endswith("/")
    pattern = posixpath.normpath(glob).removeprefix(CHECKOUT).strip("/")
    candidates = list(tree.folders)
    if not folders_only:
        candidates += [p for p in tree.files if p.endswith(PROJECT_FILES) and config_file(p)]
    found = [c for c in candidates if c == pattern or _any((pattern,), c, source)]
    if not found and not none_ok:
        raise Undecidable(
            source,
            1,
            f"the project {glob.removeprefix(CHECKOUT + '/')} in {source} matches nothing",
        )
    return found


def _bounded(source: str, projects: list[T], before: int = 0) -> list[T]:
    """PROJECTS, or Undecidable when they and BEFORE others are more than MAX_PROJECTS (each
    file asks every project; checked before each is read)."""
    if before + len(projects) > MAX_PROJECTS:
        raise Undecidable(source, 1, f"{source} names more than {MAX_PROJECTS:,} projects")
    return projects


def _with_parents(folders: set[str]) -> set[str]:
    found = set()
    for folder in folders:
        while folder and folder not in found:
            found.add(folder)
            folder = posixpath.dirname(folder)
    return found | {""}


def _project(
    files: Files, source: str, folder: str, config: dict[str, Any], target: str
) -> Callable[[str], Fate]:
    """The fate of the project at TARGET: a configuration file, or a folder's configuration
    (jest.config.*, else its package.json's "jest" key, else jest's defaults); the folder of
    CONFIG's own rootDir is CONFIG (of SOURCE, in FOLDER) itself."""
    if posixpath.normpath(posixpath.join(CHECKOUT, target)) == _jest_root(folder, config):
        return _jest_fate(source, folder, config)
    if files.exists(target):
        return _file_fate(files, target)
    found = _folder_config(files, target, "jest")
    if found is not None:
        return _jest_fate(found[0], target, found[1])
    package = posixpath.join(target, "package.json") if target else "package.json"
    if files.exists(package):
        return _jest_fate(package, target, {})
    raise Undecidable(source, 1, f"the project {target} of {source} has no configuration")


def _file_fate(files: Files, path: str) -> Callable[[str], Fate]:
    """The fate of the jest configuration in the file PATH (package.json: its "jest" key)."""
    folder = posixpath.dirname(path)
    if posixpath.basename(path) == "package.json":
        own = _package(files, folder).get("jest")
        return _jest_fate(path, folder, own if isinstance(own, dict) else {})
    return _jest_fate(path, folder, _load(files, path, files.read(path) or b"", "jest") or {})


def _either(fates: list[Callable[[str], Fate]], path: str) -> Fate:
    """Whether one of several projects runs PATH: always when one always does, else under
    the conditions of any that may."""
    return _any_of([fate(path) for fate in fates])


def _any_of(found: list[Fate]) -> Fate:
    """The fate of a file that runs when one of FOUND's ways runs it."""
    taken = any(f.taken for f in found)
    if any(f.always for f in found):
        return Fate(True, taken=taken)
    return Fate(False, tuple(c for f in found for c in f.conditions), taken)


def _jest_root(folder: str, config: dict[str, Any]) -> str:
    return posixpath.normpath(posixpath.join(CHECKOUT, folder, str(config.get("rootDir", "."))))


def _jest_fate(source: str, folder: str, config: dict[str, Any]) -> Callable[[str], Fate]:
    """Whether the jest configuration CONFIG (of SOURCE, in FOLDER) runs a file; its own
    ``projects`` do not count (jest reads them at the top only)."""
    preset = config.get("preset")
    if preset is not None and preset not in INERT_PRESETS:
        raise Undecidable(
            source, 1, f"preset {str(preset)[:60]!r} in {source} may set which files run"
        )
    root = _jest_root(folder, config)

    def sub(value: str) -> str:
        return value.replace("<rootDir>", root)

    given = _list(config.get("roots"), ("<rootDir>",), source, "roots")
    roots = [posixpath.normpath(posixpath.join(root, sub(r))) for r in given]  # as jest resolves
    regex = _mapped(_entries(config.get("testRegex"), ()), sub)
    match = _mapped(_entries(config.get("testMatch"), JEST_MATCH), sub)
    ignore = _mapped(_entries(config.get("testPathIgnorePatterns"), ("/node_modules/",)), sub)
    compiled = _regexes(source, "testRegex", regex)
    compiled |= _regexes(source, "testPathIgnorePatterns", ignore)

    def fate(path: str) -> Fate:
        absolute = posixpath.join(CHECKOUT, path)
        if not any(absolute.startswith(r + "/") for r in roots):
            return Fate(False)

        def found(pattern: str) -> bool:
            return compiled[pattern].search(absolute) is not None

        included = (
            regex.fate(found)
            if regex.always or regex.choices
            else match.fate(lambda glob: _any((glob,), absolute, source))
        )
        return _combined(included, ignore.fate(found))

    return fate


def _vitest(files: Files, source: str, folder: str, config: dict[str, Any]) -> Runner:
    """One vitest configuration: its own patterns, or with ``test.projects`` each project's (a
    file runs when one of them runs it; the configuration itself is no project then)."""
    test = config.get("test") or {}
    _refuse(source, config, ("root",))
    _refuse(source, test, ("workspace", "root"))
    if "projects" not in test:
        fate = _vitest_fate(source, folder, test)
        return Runner("vitest", source, folder, functools.cache(fate))
    fates = _vitest_projects(files, source, folder, test)
    return Runner("vitest", source, folder, functools.cache(lambda path: _either(fates, path)))


def _vitest_projects(
    files: Files, source: str, folder: str, test: dict[str, Any]
) -> list[Callable[[str], Fate]]:
    """The fate of each of ``test.projects``: an object is a project's configuration (with
    ``extends: true``, over the enclosing one's ``test``); a string, a glob of project folders
    and configuration files relative to FOLDER, each folder read for its own configuration
    (none: vitest's defaults there)."""
    entries = test["projects"]
    if not isinstance(entries, list) or not entries:
        raise Undecidable(source, 1, f"test.projects in {source} is not a literal list")
    inherited = {key: value for key, value in test.items() if key != "projects"}
    tree = _Tree.of(files, entries)
    fates = []
    for entry in entries:
        if isinstance(entry, dict):
            fates.append(_inline_project(source, folder, inherited, entry))
        elif isinstance(entry, str) and not entry.startswith("!"):
            glob = posixpath.join(CHECKOUT, folder, entry)
            found = _targets(tree, source, glob, _is_vitest_config, none_ok=True)
            targets = _bounded(source, found, len(fates))
            fates += [_vitest_project(files, source, t) for t in targets]
        else:
            raise Undecidable(source, 1, f"a project in {source} is no folder, file or object")
    if not fates:
        raise Undecidable(source, 1, f"no project of test.projects in {source} matches anything")
    return _bounded(source, fates)


def _inline_project(
    source: str, folder: str, inherited: dict[str, Any], entry: dict[str, Any]
) -> Callable[[str], Fate]:
    _literal(source, entry, ("extends", *VITEST_KEYS), "vitest")
    own, extends = entry.get("test") or {}, entry.get("extends", False)
    if isinstance(extends, str) and posixpath.normpath(posixpath.join(folder, extends)) == source:
        extends = True  # vitest resolves it from the configuration's folder: the same file
    _refuse(source, entry, ("root",))
    if not isinstance(own, dict) or not isinstance(extends, bool):
        raise Undecidable(source, 1, f"a project in {source} extends or sets what is not followed")
    return _vitest_fate(source, folder, {**inherited, **own} if extends else own)


def _vitest_project(files: Files, source: str, target: str) -> Callable[[str], Fate]:
    """The fate of the vitest project at TARGET: a configuration file, or a folder's (its
    vitest.config.* or vite.config.*, else vitest's defaults in that folder)."""
    if files.exists(target):
        where, folder = target, posixpath.dirname(target)
        loaded = _load(files, target, files.read(target) or b"", "vitest") or {}
    else:
        (where, loaded), folder = _folder_config(files, target, "vitest") or (source, {}), target
    _refuse(where, loaded, ("root",))
    return _vitest_fate(where, folder, loaded.get("test") or {})


def _is_vitest_config(path: str) -> bool:
    return ".config." in posixpath.basename(path) and path.endswith(PROJECT_FILES)


def _vitest_fate(source: str, folder: str, test: dict[str, Any]) -> Callable[[str], Fate]:
    """Whether the vitest ``test`` settings TEST (of SOURCE, in FOLDER) run a file: a test
    file of ``include``, or with ``typecheck.enabled`` a type test file of its own include
    (``*.test-d.ts``: TanStack/query's), under the condition that enables it where computed,
    and only those with ``typecheck.only``."""
    _refuse(source, test, ("projects", "workspace", "root"))
    include = _entries(test.get("include"), VITEST_INCLUDE)
    exclude = _entries(test.get("exclude"), configread.VITEST_EXCLUDE)
    base = posixpath.normpath(posixpath.join(folder, str(test.get("dir", ".")))).strip("./")
    typed = _type_tests(source, test)
    ways = ([] if typed and typed.only else [(include, exclude, "")]) + (
        [(typed.include, typed.exclude, typed.when)] if typed else []
    )

    def fate(path: str) -> Fate:
        rel = _relative(path, folder)
        if not below(path, base):
            return Fate(False)

        def one(included: Entries, excluded: Entries, when: str) -> Fate:
            fates = (e.fate(lambda g: _any((g,), rel, source)) for e in (included, excluded))
            return _gated(_combined(*fates), when)

        return _any_of([one(*way) for way in ways])

    return fate


@record
class TypeTests:
    """vitest's type tests (``test.typecheck``): WHEN names the condition that enables them
    ("": always); ONLY: the other test files do not run."""

    include: Entries
    exclude: Entries
    when: str
    only: bool


def _type_tests(source: str, test: dict[str, Any]) -> TypeTests | None:
    """TEST's ``typecheck`` settings, None where type tests are off (vitest's default)."""
    settings = test.get("typecheck")
    if settings is None:
        return None
    if not isinstance(settings, dict):
        raise Undecidable(source, 1, f"test.typecheck in {source} is computed")
    enabled = settings.get("enabled", False)
    if not configread.unsure(enabled) and not enabled:
        return None
    for key in ("typecheck.include", "typecheck.exclude", "typecheck.only"):
        configread.require_literal(source, test, key, key != "typecheck.only")
    when = "typecheck.enabled" if configread.unsure(enabled) else ""
    only = bool(settings.get("only", False))
    if only and when:
        raise Undecidable(source, 1, f"test.typecheck.only in {source} with a computed enabled")
    include = _entries(settings.get("include"), TYPECHECK_INCLUDE)
    return TypeTests(include, _entries(settings.get("exclude"), TYPECHECK_EXCLUDE), when, only)


def _gated(fate: Fate, when: str) -> Fate:
    """FATE under the condition WHEN ("": none)."""
    if not when or fate.never:
        return fate
    joined = when if fate.always else f"{when} and ({' or '.join(fate.conditions)})"
    return Fate(False, (joined,), fate.taken)


def _mocha(_files: Files, source: str, folder: str, config: dict[str, Any]) -> Runner:
    extensions = _list(config.get("extension"), ("js", "cjs", "mjs"), source, "extension")
    deep = "**/" if config.get("recursive") else ""
    specs = _mapped(_entries(config.get("spec"), ("./test",)), lambda s: _spec(s, extensions, deep))
    ignore = _entries(config.get("ignore"), ())

    def fate(path: str) -> Fate:
        rel = _relative(path, folder)
        return _combined(*(e.fate(lambda g: _any((g,), rel, source)) for e in (specs, ignore)))

    return Runner("mocha", source, folder, functools.cache(fate))


def _combined(included: Fate, ignored: Fate) -> Fate:
    """Whether a file runs that INCLUDED and IGNORED (the fates of its include and ignore
    patterns) say: under the include's conditions and none of the ignore's."""
    taken = not included.never
    if included.never or ignored.always:
        return Fate(False, taken=taken)
    if included.always and ignored.never:
        return Fate(True, taken=taken)
    when = [" or ".join(included.conditions)] if not included.always else []
    unless = [_not(" or ".join(ignored.conditions))] if ignored.conditions else []
    return Fate(False, (" and ".join(when + unless),), taken)


def _not(condition: str) -> str:
    """CONDITION negated: ``!(x)`` is ``x`` again, anything else is ``!(...)``."""
    inner = condition[2:-1]
    if condition.startswith("!(") and condition.endswith(")") and _balanced(inner):
        return inner
    return f"!({condition})"


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _spec(spec: str, extensions: tuple[str, ...], deep: str) -> str:
    spec = spec.removeprefix("./").rstrip("/")
    if any(c in spec for c in "*?[{") or posixpath.splitext(spec)[1]:
        return spec
    return f"{spec}/{deep}*.{{{','.join(extensions)}}}"


def _relative(path: str, folder: str) -> str:
    return path[len(folder) + 1 :] if folder else path


def _regexes(source: str, key: str, entries: Entries) -> dict[str, Any]:
    """Each pattern of ENTRIES, the regexes of KEY in SOURCE, compiled by RE2 (a pull request
    writes them: a backtracking engine would let ``(a+)+b`` hang the gate); Undecidable for one
    it refuses."""
    patterns = [*entries.always, *(p for c in entries.choices for b in c.branches for p in b)]
    try:
        return {p: compile_full(p) for p in patterns}
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
