"""Where collection starts: positional paths in addopts, else testpaths, else the whole tree."""

from __future__ import annotations

import fnmatch

from guards.collect.model import Undecidable
from guards.collect.python.config.addopts import Selection
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.sources.revision import Revision

GLOB = set("*?[")


def collection_roots(rev: Revision, cfg: PytestConfig, sel: Selection) -> tuple[str, ...]:
    """The collection roots ("" entries never appear: no roots means the whole tree)."""
    if sel.args:
        args = tuple(a.strip("/") for a in _paths(rev, sel))
        missing = [a for a in args if not rev.exists(a.split("::")[0])]
        if missing:
            raise Undecidable(cfg.source, 0, f"addopts argument {missing[0]!r} is not a path")
        if args:
            return tuple(a for a in args if a not in ("", "."))
    if not cfg.testpaths:
        return ()
    roots: list[str] = []
    for entry in cfg.testpaths:
        entry = entry.strip("/")
        if entry in ("", "."):
            return ()
        if GLOB & set(entry):
            roots += _expand(rev, entry)
        elif rev.exists(entry):
            roots.append(entry)
    return tuple(roots)


def _paths(rev: Revision, sel: Selection) -> list[str]:
    """The positional args of addopts but those that are the value of an option not known to
    take one: a word right after such an option that names no path (were it a path argument,
    pytest would stop with "file or directory not found", running nothing, loudly)."""
    values = set(sel.maybe_values)
    return [a for a in sel.args if a not in values or rev.exists(a.strip("/").split("::")[0])]


def _expand(rev: Revision, pattern: str) -> list[str]:
    found: set[str] = set()
    for path in rev.listing():
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            candidate = "/".join(parts[:i])
            if glob_match(pattern, candidate):
                found.add(candidate)
    return sorted(found)


def glob_match(pattern: str, path: str) -> bool:
    """glob.glob semantics on a relative path: ``*`` stays inside a segment, ``**`` spans."""
    return _match(pattern.split("/"), path.split("/"))


def _match(pats: list[str], parts: list[str]) -> bool:
    if not pats:
        return not parts
    if pats[0] == "**":
        return any(_match(pats[1:], parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pats[0]) and _match(pats[1:], parts[1:])
