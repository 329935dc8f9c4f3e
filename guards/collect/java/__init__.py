"""The Java collector: JUnit 4, JUnit 5 (Jupiter) and TestNG suites, read with tree-sitter.

Behind the collector interface (guards/collect/interface.py): ``LANGUAGE``, ``GREP_TERMS``,
``claims(path)``, ``collect(files, paths)``. A test's ``nodeid`` is ``classname::name`` as
Maven Surefire's XML report writes them (ids.py); its skips come from annotations
(conditions.py), assumptions in its body (tests.py) and the build's selection: Surefire /
Failsafe ``includes``/``excludes``/``test``/``skipTests``/``groups``/``excludedGroups`` or
Gradle's ``excludeTags`` and patterns (build.py). A file the build does not run at all is a
``FileResult`` with ``excluded`` set and its tests in ``dormant``.

The trap: the prefilter terms only find files that hold a skip form; a build file that drops
tests by name or tag holds none of them, which is why every build file is claimed: when one
changes, the caller must collect every test file of its module.
"""

from __future__ import annotations

from collections.abc import Sequence

from guards.collect.interface import Files
from guards.collect.java import build, resolve, syntax, tests, type_users
from guards.collect.model import FileResult
from guards.errors import GuardsError

LANGUAGE = "java"
GREP_TERMS = (
    "@Ignore",
    "@Disabled",
    "@Enabled",
    "Assume",
    "assume",
    "abort(",
    "SkipException",
    "AssumptionViolatedException",
    "TestAbortedException",
    "enabled",
    "@Tag",
    "@Category",
    "groups",
    "@Nested",
    "@Test",
    "\\u",  # a Unicode escape may spell any of these (core/java_text.py)
)
MAX_FILES = 50_000


def claims(path: str) -> bool:
    """PATH is a Java source or a build file that decides which Java tests run."""
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".java") or name in build.BUILD_FILES


def widens(path: str, base: Files, head: Files) -> str | None:
    """The folder whose Java tests a change to PATH can alter: a build file's module (its
    selection drops or adds tests by name or tag); None for anything else (a changed Java
    file reaches only the files that name its types: ``dependents``)."""
    folder, _, name = path.rpartition("/")
    return folder if name in build.BUILD_FILES else None


def dependents(paths: Sequence[str], base: Files, head: Files) -> set[str]:
    """The Java files of their modules that name a type the changed Java files among PATHS
    declare, to a fixed point (java/type_users.py): a base class, a composed annotation."""
    return type_users.dependents(paths, (base, head), lambda f: _module_of(f, base, head))


def _module_of(folder: str, base: Files, head: Files) -> str:
    """The nearest folder at or above FOLDER that holds a build file (at base or head)."""
    while folder:
        for name in build.BUILD_FILES:
            candidate = f"{folder}/{name}"
            if head.exists(candidate) or base.exists(candidate):
                return folder
        folder = folder.rpartition("/")[0]
    return ""


def collect(files: Files, paths: Sequence[str]) -> list[FileResult]:
    """The tests of the Java files among PATHS, at the revision FILES reads."""
    java = [p for p in paths if p.endswith(".java")]
    if len(java) > MAX_FILES:
        raise GuardsError(f"{len(java)} Java files to collect; at most {MAX_FILES} are read")
    seen = _Remembered(files)
    return [_one(seen, p) for p in java]


class _Remembered:
    """FILES with each answer kept: build files and base classes are asked for again and again."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.blobs: dict[str, bytes | None] = {}
        self.known: dict[str, bool] = {}

    def read(self, path: str) -> bytes | None:
        if path not in self.blobs:
            self.blobs[path] = self.files.read(path)
        return self.blobs[path]

    def exists(self, path: str) -> bool:
        if path not in self.known:
            self.known[path] = self.files.exists(path)
        return self.known[path]

    def list_dir(self, folder: str) -> Sequence[str]:
        return self.files.list_dir(folder)

    def below(self, folder: str) -> Sequence[str]:
        return self.files.below(folder)


def _one(files: Files, path: str) -> FileResult:
    data = files.read(path)
    if data is None:
        return FileResult(path)
    parsed = syntax.parse(path, data)
    unit = resolve.expand(parsed, resolve.Resolver(files, path, parsed))
    plan = build.plan(files, path, unit.package)
    found = tuple(tests.collect(path, unit, plan.selection))
    if plan.excluded:
        return FileResult(path, dormant=found, excluded=plan.excluded)
    return FileResult(path, tests=found)
