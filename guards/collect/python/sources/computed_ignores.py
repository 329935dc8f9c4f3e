"""Which folders a change moves through a conftest's computed ignore list: ``collect_ignore =
ignored()`` where ``ignored`` lives in another module. pytest collects nothing a conftest's list
names, so a change to the function that computes it ignores tests (they never run) without
touching the conftest or any test file.

Contract: ``folders(changed, base, head)`` maps the folder of each conftest whose
``collect_ignore`` or ``collect_ignore_glob`` calls a function, and whose list, followed into the
functions it calls as the linker follows it (linking/ignores.py), is not the same at both sides,
to why its tests are in scope. A list is the same when it names the same paths and cannot be
known under the same prefixes; where it is lines apart (a gap's line, its message) it is still
the same. A list that cannot be known in part, or at all, is in scope whenever the change
touched a module its functions were read from (or the conftest): what is unknown may have
changed. With no Python file in the change it is empty and reads nothing.

The trap: the conftest may be anywhere, not above the module that changed (``tests/conftest.py``
calling ``tools/ignored.py``), and the call may reach the changed module only through others (a
re-export, a function returning another's list). So every conftest that says either word is
followed at both sides and the values are compared; which modules the path went through does
not matter. Only the base's conftests are searched (the head's say what the base's do but where
the change touched one), never the tree. Following reads only what the linker's own following
reads (the helper module's facts and one parse, cached by blob); a conftest that does not
parse, or a call that cannot be resolved, counts as changed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.linking.ignores import followed
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.facts import IgnoreList
from guards.collect.python.sources.revision import Revision
from guards.core import python_text
from guards.core.records import record
from guards.linear_re import any_word

CONFTEST = "conftest.py"
WORDS = ("collect_ignore", "collect_ignore_glob")
NARROW = "*conftest.py"  # git's pathspec: any path ending so (a ``*`` crosses folders)
NEAR = b"collect_ignore|" + python_text.MAY_DIFFER  # what git's search of the conftests keeps
SAID = any_word(WORDS)
UNKNOWN = ("unknown",)  # a side whose list could not be followed
Value = tuple[object, ...]


@record
class Followed:
    value: Value  # per list: its paths, and the prefixes under which it cannot be known
    modules: frozenset[str]  # the modules whose functions computing them were read

    @property
    def unknown(self) -> bool:
        """Whether an entry, or the whole, cannot be known."""
        return self.value == UNKNOWN or any(isinstance(m, tuple) and m and m[1] for m in self.value)


def folders(changed: Iterable[str], base: Revision, head: Revision) -> dict[str, str]:
    """The folders whose tests the change may ignore or un-ignore through a computed list."""
    changed = set(changed)
    if not any(p.endswith(".py") for p in changed):
        return {}
    said = _saying(base)  # head's: the same files, but for the conftests the change touched
    said = {p for p in said if p not in changed} | {
        p for p in changed if _says(head, p) or _says(base, p)
    }
    found: dict[str, str] = {}
    for path in sorted(said):
        before, after = _followed(base, path), _followed(head, path)
        read = (before.modules | after.modules | {path}) & changed
        unknown = before.unknown or after.unknown
        if before.value != after.value or (read and unknown):
            found[posixpath.dirname(path)] = (
                f"{path} computes collect_ignore in a function the change alters"
            )
    return found


def _saying(rev: Revision) -> set[str]:
    """REV's conftests whose text says one of WORDS: the held tree's searched in memory, else
    one ``git grep`` of the conftests alone, for the word or for bytes whose text may spell it
    otherwise (python_text.MAY_DIFFER), each then read as Python reads it."""
    held = rev.held
    found = held if held is not None else rev.git.grep_bytes(rev.rev, NEAR, NARROW)
    return {p for p in found if _says(rev, p)}


def _says(rev: Revision, path: str) -> bool:
    return _is_conftest(path) and SAID.search(rev.text(path) or b"") is not None


def _is_conftest(path: str) -> bool:
    return posixpath.basename(path) == CONFTEST


def _followed(rev: Revision, path: str) -> Followed:
    """What the conftest's computed lists come to at REV: nothing when it calls nothing."""
    try:
        module = rev.analyzed(path)
    except NotParsable:
        return Followed(UNKNOWN, frozenset())
    info = module.conftest if module else None
    lists = (info.collect_ignore, info.collect_ignore_glob) if info else ()
    if not any(listed and listed.calls for listed in lists):
        return Followed((), frozenset())
    resolver, modules = Resolver(rev), set[str]()
    try:
        got = [
            followed(listed, path, resolver, rev, modules) if listed else None for listed in lists
        ]
    except (Undecidable, NotParsable):
        return Followed(UNKNOWN, frozenset(modules))
    return Followed(tuple(_meaning(listed) for listed in got), frozenset(modules))


def _meaning(listed: IgnoreList | None) -> Value:
    """LISTED followed, its lines aside: the paths, and where it cannot be known."""
    if listed is None:
        return ()
    return (listed.paths, tuple(sorted({(g.prefix, g.path) for g in listed.gaps})))
