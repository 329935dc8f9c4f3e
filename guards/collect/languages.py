"""The language collectors skip-set and ``guards skips list`` use besides Python's.

Each entry is language -> module path (see interface.py); a module is imported when first
used. A collector may also expose ``widens(path, base, head) -> str | None`` (the folder
whose tests a change to PATH, a runner configuration, can alter), ``dependents(paths, base,
head) -> set[str]`` (the files whose tests a change to PATHS can alter: Java's that name a
changed type) and
``unconditional(files, paths) -> list[str]`` (test files to read whatever their text, such as
files a configuration drops: every test in them is skipped).

The trap: the scope follows the change. A changed file a collector claims is read at base and
at head (both paths of a rename); a changed configuration widens the scope to its folder; the
rest of the tree is not read.
"""

from __future__ import annotations

import importlib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType

from guards.collect.files import RevisionFiles
from guards.collect.model import FileResult
from guards.core.changes import ChangeSet
from guards.core.git import Git
from guards.core.records import record

LANGUAGES = {
    "javascript": "guards.collect.js",
    "java": "guards.collect.java",
    "go": "guards.collect.go",
    "rust": "guards.collect.rust",
}
# The base names a collector can claim, known without importing it (its grammars and parsers
# are a tenth of a small run): a tree or a change with no such file loads no collector.
# tests/test_language_registry.py holds each collector's claims() to its hint.
HINTS = {
    "guards.collect.js": r"[^\n]*\.[mc]?[jt]sx?|(?:package|jest\.config)\.json|\.mocharc[^\n]*",
    "guards.collect.java": r"[^\n]*\.java|pom\.xml|build\.gradle(?:\.kts)?",
    "guards.collect.go": r"[^\n]*\.go",
    "guards.collect.rust": r"[^\n]*\.rs|Cargo\.toml",
}
NOT_FILES = {"120000", "160000"}  # symlinks, submodule pointers
# Suffixes no collector claims (tests/test_language_registry.py holds each one to it): a change
# made only of such files loads no collector, so no tree-sitter grammar is imported for it.
UNCLAIMED = (".py", ".pyi", ".md", ".rst", ".txt")
Limit = Callable[[Iterable[str]], tuple[str, ...]]


@record
class Found:
    base: tuple[FileResult, ...] = ()
    head: tuple[FileResult, ...] = ()
    widened: tuple[str, ...] = ()


def collectors(paths: Iterable[str] | None = None) -> Iterator[ModuleType]:
    """Every collector, or those whose HINTS match the base name of one of PATHS."""
    names = None if paths is None else "\n".join({posixpath.basename(p) for p in paths})
    for module in LANGUAGES.values():
        if names is None or re.search(f"(?m)^(?:{HINTS[module]})$", names):
            yield importlib.import_module(module)


def changed(git: Git, base: str, head: str, changes: ChangeSet, limit: Limit) -> Found:
    """The tests of every changed file a collector claims (and of the files under a changed
    configuration), at BASE and at HEAD."""
    sides = RevisionFiles(git, base), RevisionFiles(git, head)
    paths = [p for c in changes if not NOT_FILES & {c.old_mode, c.new_mode} for p in c.paths]
    paths = [p for p in paths if not p.endswith(UNCLAIMED)]
    found = Found()
    if not paths:
        return found
    for module in collectors(paths):
        claimed = [p for p in dict.fromkeys(paths) if module.claims(p)]
        if claimed:
            found = _merge(found, _language(module, claimed, sides, limit))
    return found


def _language(
    module: ModuleType, claimed: list[str], sides: tuple[RevisionFiles, RevisionFiles], limit: Limit
) -> Found:
    widens = getattr(module, "widens", None)
    configs = {p: widens(p, *sides) for p in claimed} if widens else {}
    folders = {f for f in configs.values() if f is not None}
    why = tuple(
        f"{p} changed a {module.LANGUAGE} runner configuration: the tests under it are in scope"
        for p, f in configs.items()
        if f is not None
    )
    users = getattr(module, "dependents", None)
    named = users(claimed, *sides) if users else set()
    if named:
        why += (f"{len(named)} {module.LANGUAGE} file(s) name a type a changed file declares",)
    wanted = set(claimed) | named
    for files in sides:
        for folder in _outermost(folders):
            wanted |= {p for p in files.below(folder) if module.claims(p)}
    paths = limit(sorted(wanted))
    base, head = (tuple(module.collect(files, paths)) for files in sides)
    return Found(base, head, why)


def _merge(a: Found, b: Found) -> Found:
    return Found(a.base + b.base, a.head + b.head, a.widened + b.widened)


def _outermost(folders: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for folder in sorted(folders, key=len):
        if not any(k == "" or folder == k or folder.startswith(k + "/") for k in kept):
            kept.append(folder)
    return kept


def whole_tree(git: Git, rev: str, listing: dict[str, str], limit: Limit) -> list[FileResult]:
    """Every file of REV a collector claims and that can hold a skip: one ``git grep`` per
    collector for its GREP_TERMS picks the candidates (plus its unconditional files)."""
    files = RevisionFiles(git, rev, listing)
    out: list[FileResult] = []
    for module in collectors(listing):
        claimed = [p for p in listing if module.claims(p)]
        if not claimed:
            continue
        globs = sorted(
            {"*" + posixpath.splitext(p)[1] for p in claimed if posixpath.splitext(p)[1]}
        )
        keep = git.grep_files(rev, module.GREP_TERMS, pathspec=globs)
        extra = getattr(module, "unconditional", None)
        if extra is not None:
            keep |= set(extra(files, _declaring(git, rev, module, globs, claimed)))
        out += module.collect(files, limit(p for p in claimed if p in keep))
    return out


def _declaring(
    git: Git, rev: str, module: ModuleType, globs: list[str], claimed: list[str]
) -> list[str]:
    """The CLAIMED files that may declare a test: those that say a word of the module's
    DECLARES (all of them when it has none)."""
    words = getattr(module, "DECLARES", None)
    if not words:
        return claimed
    found = git.grep_files(rev, words, words=True, pathspec=globs)
    return [p for p in claimed if p in found]
