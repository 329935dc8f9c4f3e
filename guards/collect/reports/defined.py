"""Is a test that vanished from head's report still defined at head? Decided from the diff.

For runners without a static collector the only evidence is the change itself: a test whose
definition sat in no changed file is untouched, so still there; one whose file was deleted,
or whose name occurred in a changed file at base and occurs in no changed file at head, is
gone. The name is looked for as a whole word, longest candidate first (``Calc adds two``,
``adds two``, ...; ``TestX`` of ``TestX/sub``): reports carry full titles, sources carry the
pieces. Every doubt says "still defined", which fails the gate rather than excusing a test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from guards.collect.reports.model import RunTest
from guards.core.records import record

SEPARATORS = re.compile(r" > | \u203a |::|/|\.| ")


@record
class Change:
    """A changed file's path and text at base and at head (None where it is not a file)."""

    old_path: str | None
    new_path: str | None
    before: str | None
    after: str | None


def checker(changes: Sequence[Change]) -> Callable[[RunTest], bool]:
    """``defined(test)`` over CHANGES (pure once the texts are read)."""
    return lambda test: defined(test, changes)


def defined(test: RunTest, changes: Sequence[Change]) -> bool:
    own = [c for c in changes if test.file and test.file in (c.old_path, c.new_path)]
    if test.file and not own:
        return True  # its file is not in the change: untouched
    if own and all(c.after is None for c in own):
        return False  # its file is deleted
    scope = own or list(changes)
    heads = [c.after for c in changes if c.after is not None]
    for name in candidates(test):
        pattern = _word(name)
        if any(c.before is not None and pattern.search(c.before) for c in scope):
            return any(pattern.search(text) for text in heads)
    return True


def candidates(test: RunTest) -> list[str]:
    """The test's name and its pieces (suffixes and prefixes at separators), longest first."""
    name = (test.name or test.test.rpartition("::")[2]).partition("[")[0].strip()
    cuts = list(SEPARATORS.finditer(name))
    pieces = {name, *(name[m.end() :] for m in cuts), *(name[: m.start()] for m in cuts)}
    return sorted((p for p in pieces if len(p) >= 3), key=lambda p: (-len(p), p))


def _word(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])")
