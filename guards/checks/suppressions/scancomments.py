"""Ruby and shell comments by a small scanner that knows quotes: a ``#`` inside '...' or "..."
starts no comment, nor does one inside a word (``$#``, ``a#b``). Enclosing definitions are not
tracked here: every suppression is in "module".

The trap: heredocs and Ruby ``%q{}`` strings are not followed; a ``#`` in them is read as a
comment, which can only over-report (fail closed), never hide a suppression.
"""

from __future__ import annotations

from guards.checks.suppressions.model import Comment


def comments(text: str) -> list[Comment]:
    found: list[Comment] = []
    quote = ""
    for number, line in enumerate(text.splitlines(), 1):
        quote, start = _scan(line, quote)
        if start is not None:
            found.append(Comment(number, line[start:], "module"))
    return found


def _scan(line: str, quote: str) -> tuple[str, int | None]:
    """The open quote at the end of LINE and where its comment starts (None: no comment)."""
    escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t;(|&"):
            return quote, i
    return quote, None
