"""The plugin modules pytest loads by name, and those they load in turn: ``-p name`` in
addopts and ``pytest_plugins = [...]`` in a conftest, then each plugin's own ``pytest_plugins``
(pytest registers a plugin, then the ones it lists, at any depth).

Contract: ``loaded(rev, named, strict)`` is the repository modules NAMED ((name, the file or
setting that lists it, line)) and the ones they list, each once, each after the one that lists
it, read like a conftest (config/plugins.py). A name that is no module of the repository and
not known harmless is Undecidable with STRICT, else left out; a chain deeper than MAX_DEPTH is
Undecidable.

The trap: a plugin's ``pytest_plugins`` is its own list, not its conftest's: following only the
conftests' lists, a hook two plugins down (``conftest.py`` lists ``plugins.outer``, which lists
``plugins.inner``) skipped tests unseen.
"""

from __future__ import annotations

from collections.abc import Iterable

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.config.plugins import known_harmless, unresolved
from guards.collect.python.parsing.facts import Module
from guards.collect.python.sources.revision import Revision

MAX_DEPTH = 8  # plugins listing plugins
Named = tuple[str, str, int]  # a plugin's name, the file or setting that lists it, the line


def loaded(rev: Revision, named: Iterable[Named], strict: bool = True) -> list[Module]:
    out: list[Module] = []
    _load(rev, list(named), strict, out, 0)
    return out


def _load(rev: Revision, named: list[Named], strict: bool, out: list[Module], depth: int) -> None:
    for name, source, line in named:
        module = plugin(rev, name, source, line, strict)
        if module is None or any(m.path == module.path for m in out):
            continue
        out.append(module)
        listed = module.conftest.plugins if module.conftest else ()
        if listed and depth >= MAX_DEPTH:
            raise Undecidable(module.path, 0, f"plugins list plugins more than {MAX_DEPTH} deep")
        _load(rev, [(n, module.path, at) for n, at in listed], strict, out, depth + 1)


def plugin(rev: Revision, name: str, source: str, line: int, strict: bool) -> Module | None:
    """The module NAME read like a conftest (once a revision), None when it is none of the
    repository's (Undecidable with STRICT, unless it is known harmless)."""
    path = rev.module_path(name, source if source.endswith(".py") else "x")
    found = _read(rev, path) if path is not None else None
    if found is None and strict and not known_harmless(name):
        raise unresolved(name, source, line)
    return found


def _read(rev: Revision, path: str) -> Module | None:
    """PATH read like a conftest, once (not first as a module too); None when it does not
    parse (Revision.module's answer: reported where a test file that imports it is read)."""
    try:
        return rev.as_plugin(path)
    except NotParsable:
        return None
