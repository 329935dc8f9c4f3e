"""Which files pytest collects: testpaths/args, norecursedirs, python_files and ignore lists.

All paths are relative to the repository root (pytest's rootdir), with ``/``.
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
import re
from collections.abc import Callable, Iterable

from guards.collect.python.config.addopts import Selection
from guards.collect.python.config.pytest_config import PytestConfig
from guards.core.records import record
from guards.errors import GuardsError

# dir -> (collect_ignore paths, collect_ignore_glob patterns, the conftest defining them)
IgnoreLookup = Callable[[str], tuple[tuple[str, ...], tuple[str, ...], str]]


@record
class Decision:
    """``collect``, ``ignored`` (an ignore list drops it: that counts as skipped) or
    ``excluded`` (pytest does not consider it a test file at all)."""

    status: str
    why: str = ""
    nodeids: tuple[str, ...] = ()  # node-id arguments that narrow the file to some tests


def fnmatch_ex(pattern: str, path: str) -> bool:
    """pytest's fnmatch_ex: a pattern without ``/`` matches the base name, else the path."""
    if "/" not in pattern:
        return _compiled(pattern).match(posixpath.basename(path)) is not None
    whole = _compiled("*/" + pattern.lstrip("/")).match("/" + path) is not None
    return whole or _compiled(pattern).match(path) is not None


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


def name_matches(name: str, patterns: tuple[str, ...]) -> bool:
    """python_classes / python_functions: a prefix, or a glob when the pattern looks like one."""
    for pattern in patterns:
        if name.startswith(pattern):
            return True
        if any(c in pattern for c in "*?[") and fnmatch.fnmatch(name, pattern):
            return True
    return False


def under(path: str, root: str) -> bool:
    return root in ("", ".") or path == root or path.startswith(root.rstrip("/") + "/")


MAX_FOLDERS = 256  # folders above a test file; a real tree nests a few dozen at most


def check_depth(path: str) -> None:
    """A Python file deeper than MAX_FOLDERS is exit 2 naming it, before any work per level
    (pytest could not open it anyway: its path would pass the 4096-byte PATH_MAX)."""
    depth = path.count("/")
    if depth > MAX_FOLDERS and path.endswith(".py"):
        raise GuardsError(
            f"{path}: {depth} folders deep; guards reads Python files at most {MAX_FOLDERS} "
            "folders deep (move the file up, or leave it out of skip-set.paths)"
        )


def ancestors(path: str) -> list[str]:
    """The directories above PATH, shallowest first ("" is the root)."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(len(parts) + 1)]


VENV_MARKERS = ("pyvenv.cfg", "conda-meta/history")


def venv_markers(paths: Iterable[str]) -> set[str]:
    """The files whose presence makes a folder above one of PATHS a virtualenv to pytest."""
    folders = {d for p in paths for d in ancestors(p) if d}
    return {posixpath.join(d, m) for d in folders for m in VENV_MARKERS}


def venv_folders(found: Iterable[str]) -> frozenset[str]:
    """The folders the marker files FOUND make virtualenvs."""
    out = set()
    for marker in found:
        for suffix in VENV_MARKERS:
            if marker.endswith("/" + suffix):
                out.add(marker[: -len(suffix) - 1])
    return frozenset(out)


def decide(
    path: str,
    cfg: PytestConfig,
    sel: Selection,
    roots: tuple[str, ...],
    ignores: IgnoreLookup,
    venvs: frozenset[str] = frozenset(),
) -> Decision:
    """Whether pytest, run at the root with this configuration, collects PATH; VENVS are the
    folders holding ``pyvenv.cfg`` (or ``conda-meta/history``): pytest skips them unless
    ``--collect-in-virtualenv``, wherever they are (``norecursedirs`` or not)."""
    if not path.endswith(".py"):
        return Decision("excluded", "not a .py file")
    root, nodeids = _root(path, roots)
    if root is None:
        where = "addopts arguments" if sel.args else "testpaths"
        return Decision("excluded", f"not under {where} {list(roots)}")
    if path != root and not is_test_module(path, cfg):  # never collected, ignored or not
        return Decision("excluded", f"does not match python_files {list(cfg.python_files)}")
    chain = [d for d in ancestors(path) if d and under(d, root) and d != root] + [path]
    for candidate in chain:
        why = _ignored(candidate, sel, ignores)
        if why:
            return Decision("ignored", why)
        if candidate != path:
            why = _norecurse(candidate, cfg)
            if why:
                return Decision("excluded", why)
            if candidate in venvs and not sel.in_virtualenv:
                why = f"folder {candidate} holds a virtualenv marker (pyvenv.cfg): pytest skips it"
                return Decision("ignored", why)
    return Decision("collect", nodeids=nodeids)


def is_test_module(path: str, cfg: PytestConfig) -> bool:
    return any(fnmatch_ex(p, path) for p in cfg.python_files)


def test_module_matcher(cfg: PytestConfig) -> Callable[[str], bool]:
    """is_test_module for many paths: one regex over the base name when every python_files
    pattern is a base-name glob (50,000 paths on a large tree), else pytest's own match."""
    patterns = cfg.python_files
    if any("/" in p for p in patterns):
        return lambda path: is_test_module(path, cfg)
    either = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)")
    return lambda path: either.match(posixpath.basename(path)) is not None


def _root(path: str, roots: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    if not roots:
        return "", ()
    matching = [r for r in roots if under(path, r.split("::")[0])]
    if not matching:
        return None, ()
    if any("::" not in r for r in matching):
        return next(r for r in matching if "::" not in r), ()
    return matching[0].split("::")[0], tuple(matching)


def _ignored(candidate: str, sel: Selection, ignores: IgnoreLookup) -> str:
    paths, globs, conftest = ignores(posixpath.dirname(candidate))
    if candidate in paths:
        return f"listed in collect_ignore in {conftest}"
    if any(fnmatch.fnmatch(candidate, g) for g in globs):
        return f"matched by collect_ignore_glob in {conftest}"
    if any(candidate == posixpath.normpath(p).strip("/") for p in sel.ignore):
        return "ignored by --ignore in addopts"
    if any(fnmatch.fnmatch(candidate, g.strip("/")) for g in sel.ignore_glob):
        return "ignored by --ignore-glob in addopts"
    return ""


def _norecurse(directory: str, cfg: PytestConfig) -> str:
    return _norecurse_patterns(directory, cfg.norecursedirs)


@functools.lru_cache(maxsize=4096)
def _norecurse_patterns(directory: str, patterns: tuple[str, ...]) -> str:
    if posixpath.basename(directory) == "__pycache__":
        return "inside __pycache__"
    for pattern in patterns:
        if fnmatch_ex(pattern, directory):
            return f"directory {directory} matches norecursedirs {pattern!r}"
    return ""
