"""Which files a change can alter the skip state of: the work is in proportion to the change.

A changed ``.py`` file is read on both sides (both paths of a rename), as pytest reads it: a
symlink through its target at that revision, a submodule pointer as undecidable (its content
is not in this repository). A changed conftest.py
widens the scope to its folder's subtree, unless its facts are the same at both sides, where
they sit aside (conftest_change.py); a changed pytest configuration (only when its pytest
section really changed) to the whole tree; a changed data file that a conftest reads (a JSON
skip list) to that conftest's subtree; a changed module whose exports now reach a skip
differently (a mark alias, a helper, a base class) to the files that use them (dependents.py); a
changed module that alters what a conftest's computed ignore list comes to, to that conftest's
subtree (computed_ignores.py).
Nothing else in the repository is read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.config.paths import venv_folders
from guards.collect.python.config.pytest_config import CONFIG_FILES
from guards.collect.python.parsing.facts import Module
from guards.collect.python.sources import (
    computed_ignores,
    conftest_change,
    dependents,
    plugin_chain,
)
from guards.collect.python.sources.revision import Revision
from guards.core.changes import ChangeSet, FileChange
from guards.core.records import record

CONFTEST = "conftest.py"
NOT_FILES = {"120000", "160000"}  # symlinks, submodule pointers
SKIP_WORDS = re.compile(rb"skip|SkipTest|xfail|exit|__test__")


@record
class ChangeScope:
    base_paths: tuple[str, ...]
    head_paths: tuple[str, ...]
    renames: dict[str, str]
    widened: tuple[str, ...] = ()  # why the scope grew beyond the changed files


def compute(changes: ChangeSet, base: Revision, head: Revision) -> ChangeScope:
    files: dict[str, set[str]] = {"base": set(), "head": set()}
    subtrees: set[str] = set()
    why: list[str] = []
    renames: dict[str, str] = {}
    for change in changes:
        if change.status == "R" and change.old_path and change.new_path:
            renames[change.old_path] = change.new_path
        subtrees |= _widen(change, base, head, why)
        _add(files, change)
        _links(change, base, head)
    subtrees |= _users(files["head"] | files["base"], base, head, files, why)
    subtrees |= _ignoring(files["head"] | files["base"], base, head, why)
    if subtrees:
        for side, rev in (("base", base), ("head", head)):
            files[side] |= set(_python_files(rev.listing(_outermost(subtrees))))
    return ChangeScope(
        tuple(sorted(files["base"])), tuple(sorted(files["head"])), renames, tuple(why)
    )


def _add(files: dict[str, set[str]], change: FileChange) -> None:
    """Both paths on both sides: a copy's source is still there at head, and a path that does
    not exist on one side simply holds no tests there."""
    for path in change.paths:
        if path.endswith(".py"):
            files["base"].add(path)
            files["head"].add(path)


def _links(change: FileChange, base: Revision, head: Revision) -> None:
    """A test file that is a link (or a submodule) on a side is read as pytest would read it."""
    if not any(p.endswith(".py") for p in change.paths):
        return
    for mode, path, rev in (
        (change.old_mode, change.old_path, base),
        (change.new_mode, change.new_path, head),
    ):
        if mode in NOT_FILES and path:
            rev.follow_link(path)


def _widen(change: FileChange, base: Revision, head: Revision, why: list[str]) -> set[str]:
    out: set[str] = set()
    for path in change.paths:
        name = posixpath.basename(path)
        if name == CONFTEST:
            if conftest_change.alters(path, base, head):
                out.add(posixpath.dirname(path))
                why.append(f"{path} changed: its folder's tests are in scope")
        elif name == "__init__.py" and _may_skip(path, base, head):
            out.add(posixpath.dirname(path))
            why.append(f"{path} may skip its package at import: the package's tests are in scope")
        elif venv_folders([path]):  # pytest skips a folder holding a virtualenv marker
            out |= venv_folders([path])
            why.append(f"{path} changed: it makes its folder a virtualenv to pytest")
        elif path in CONFIG_FILES and _config_changed(base, head):
            out.add("")
            why.append(f"{path} changed the pytest configuration: every test is in scope")
        elif any(path in _plugin_paths(rev) for rev in (base, head)):
            out.add("")
            why.append(f"{path} is a pytest plugin (-p, pytest_plugins): every test is in scope")
        elif not path.endswith(".py"):
            for folder in _readers(path, base, head):
                out.add(folder)
                why.append(f"{path} is read by {posixpath.join(folder, CONFTEST)}")
    return out


def _may_skip(path: str, base: Revision, head: Revision) -> bool:
    """Whether a package ``__init__.py`` mentions a skip or an exit at either side."""
    return any(SKIP_WORDS.search(rev.text(path) or b"") for rev in (base, head))


def _plugin_paths(rev: Revision) -> set[str]:
    """The repository modules loaded as plugins by addopts ``-p`` or the conftests' lists, and
    those they list in turn (plugin_chain.py; a plugin that cannot be read is reported where
    the tests are)."""
    named = [(n, "addopts", 1) for n in rev.selection.plugins]
    for conftest in _safe_conftests(rev, "x"):
        plugins = conftest.conftest.plugins if conftest.conftest else ()
        named += [(n, conftest.path, line) for n, line in plugins]
    try:
        return {m.path for m in plugin_chain.loaded(rev, named, strict=False)}
    except (NotParsable, Undecidable):
        return set()


def _users(
    changed: set[str], base: Revision, head: Revision, files: dict[str, set[str]], why: list[str]
) -> set[str]:
    """The files that use what a changed module exports join both sides (dependents.py); a
    conftest among them widens to its folder, and a search past its bounds to the whole tree."""
    found = dependents.reached(sorted(changed), base, head)
    if found is None:
        why.append("a changed module is used too widely to follow: every test is in scope")
        return {""}
    why.extend(f"{w}: the files that use it are in scope" for w in found.why)
    for side in files.values():
        side |= found.paths
    return {posixpath.dirname(p) for p in found.paths if posixpath.basename(p) == CONFTEST}


def _ignoring(changed: set[str], base: Revision, head: Revision, why: list[str]) -> set[str]:
    """The folders whose conftest's computed ignore list the change alters (computed_ignores.py)."""
    found = computed_ignores.folders(changed, base, head)
    why.extend(found.values())
    return set(found)


def _config_changed(base: Revision, head: Revision) -> bool:
    return (base.config, base.selection) != (head.config, head.selection)


def _readers(path: str, base: Revision, head: Revision) -> set[str]:
    """Folders whose conftest reads PATH (or reads a data file it cannot name)."""
    folders: set[str] = set()
    for rev in (base, head):
        for conftest in _safe_conftests(rev, path):
            refs = conftest.conftest.data if conftest.conftest else ()
            if any(ref.path in (path, "") for ref in refs):
                folders.add(posixpath.dirname(conftest.path))
    return folders


def _safe_conftests(rev: Revision, path: str) -> list[Module]:
    try:
        return rev.conftests(path)
    except NotParsable:  # reported when the tests under it are read
        return []


def _outermost(folders: Iterable[str]) -> list[str]:
    ordered = sorted(folders, key=len)
    kept: list[str] = []
    for folder in ordered:
        if not any(k == "" or folder == k or folder.startswith(k + "/") for k in kept):
            kept.append(folder)
    return kept


def _python_files(listing: Iterable[str]) -> list[str]:
    return [p for p in listing if p.endswith(".py")]
