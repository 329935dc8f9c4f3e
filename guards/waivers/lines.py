"""The waiver line grammar: ``guards-waive: <guard> [<target>...] -- <reason>``.

Targets are separated by whitespace (a test id, a path or gitignore-style glob, a spec section
or a rule id); ``--`` followed by a non-empty reason ends the line. A line without a reason is
still recognised (so it can be reported as "no reason"), never granted. At most MAX_LINES lines
are read from one text: a body with more is refused line by line, not silently truncated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from guards.core.records import record

MAX_LINES = 50
MAX_TARGETS = 50
_LINE = re.compile(r"^[ \t]*guards-waive[ \t]*:(.*)$", re.M)
_ANYWHERE = re.compile(r"guards-waive\s*:", re.I)  # a quoted or mangled line still says so
_REASON = re.compile(r"(?:^|\s)--(?:\s+|$)")


@record
class WaiverLine:
    """One parsed line; reason is '' when the line gives none."""

    guard: str
    targets: tuple[str, ...]
    reason: str
    text: str


def waiver_lines(text: str) -> Iterator[WaiverLine]:
    """Every waiver line in TEXT (a review body, a PR description, a commit message)."""
    for count, match in enumerate(_LINE.finditer(text)):
        if count >= MAX_LINES:
            return
        yield parse(match.group(1), match.group(0).strip())


def parse(rest: str, text: str) -> WaiverLine:
    """The part after ``guards-waive:`` split into guard, targets and reason."""
    split = _REASON.search(rest)
    head, reason = (rest[: split.start()], rest[split.end() :]) if split else (rest, "")
    words = head.split()
    guard = words[0] if words else ""
    return WaiverLine(guard, tuple(words[1 : 1 + MAX_TARGETS]), reason.strip(), text[:300])


def mentions_waiver(text: str) -> bool:
    return _ANYWHERE.search(text) is not None
