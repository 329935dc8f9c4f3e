"""Go: the tests of ``_test.go`` files as ``go test -json`` names them, and what skips them.

Counts: ``t.Skip``/``Skipf``/``SkipNow`` (and ``b.``, ``f.``) in a test or in a helper of its
package it calls, a skip under ``if testing.Short()`` (its own kind), a build constraint that
leaves the file out of a default linux/amd64 build, a ``TestMain`` that never calls ``m.Run()``,
a parent test that skips before running its literal-named subtests. Identity:
``<module path>/<dir>::<Test>[/<subtest>]`` (go test -json's ``Package`` and ``Test``).
The trap: a helper (or a ``TestMain``) in another file of the directory changes a test's
skips, so a change to any ``.go`` file of a directory re-reads every ``_test.go`` file there;
a helper in another package of the module can skip tests anywhere in it, so a change to a
non-test file that imports ``testing`` widens the scope to the module (``widens``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from guards.collect.go.dormant import dormant_tests
from guards.collect.go.module import Packages, widens
from guards.collect.go.package import Package
from guards.collect.go.syntax import parse
from guards.collect.go.testmain import excluded_tests, testmain_skip
from guards.collect.go.tests import file_tests
from guards.collect.interface import Files
from guards.collect.model import FileResult, Skip, TestItem

__all__ = ["GREP_TERMS", "LANGUAGE", "claims", "collect", "widens"]

LANGUAGE = "go"
GREP_TERMS = ("testing", "Skip", "go:build", "+build")
_SKIPPED_DIRS = ("testdata", "vendor")


def claims(path: str) -> bool:
    """PATH is a Go source file go test would compile (a test file or a helper's file)."""
    parts = path.split("/")
    if not path.endswith(".go") or any(p in _SKIPPED_DIRS for p in parts[:-1]):
        return False
    return not any(p.startswith(("_", ".")) for p in parts[:-1])


def collect(files: Files, paths: Iterable[str]) -> list[FileResult]:
    """The tests of every ``_test.go`` file in the directories of the Go files among PATHS."""
    folders = sorted({posixpath.dirname(p) for p in paths if claims(p)})
    packages = Packages(files)
    results: list[FileResult] = []
    for folder in folders:
        results.extend(_collect_dir(files, packages, folder))
    return results


def _collect_dir(files: Files, packages: Packages, folder: str) -> list[FileResult]:
    """Every test file of FOLDER: a helper in any of its files can skip any test there."""
    wanted = sorted(p for p in files.list_dir(folder) if p.endswith("_test.go"))
    if not wanted:
        return []
    package = packages.package(folder)
    main = testmain_skip(package)
    return [_file(files, package, path, main) for path in wanted]


def _file(files: Files, package: Package, path: str, main: Skip | None) -> FileResult:
    prefix = package.import_path
    if path in package.excluded:
        root = parse(path, files.read(path) or b"")
        why = package.excluded[path]
        return FileResult(path, tuple(excluded_tests(path, root, prefix, why)))
    items = [*file_tests(package, path), *dormant_tests(package, path)]
    if main is not None:
        items = [TestItem(t.nodeid, t.path, t.line, (main, *t.skips)) for t in items]
    return FileResult(path, tuple(items))
