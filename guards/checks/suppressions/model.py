"""The records the suppressions guard compares: one comment, one suppression.

Identity is path + enclosing definition + tool + codes, never the line number: moving code or
editing an unrelated line keeps an old suppression's identity, while widening it (a bare
``noqa`` where ``noqa: E501`` was, one more code) makes a new one.
"""

from __future__ import annotations

from typing import NamedTuple


class Comment(NamedTuple):
    """A comment (or an attribute/annotation) found by a real tokenizer or parser."""

    line: int
    text: str
    scope: str  # the enclosing definition ("module" at top level), e.g. "Cls.method"
    leading: bool = False  # before the file's first token: where TypeScript reads its pragmas


class Directive(NamedTuple):
    """What one suppression form says: the tool it silences and the codes (empty = all)."""

    tool: str
    codes: tuple[str, ...]


class Suppression(NamedTuple):
    """One suppression at one revision."""

    path: str
    scope: str
    tool: str
    codes: tuple[str, ...]
    line: int
    text: str
    reasoned: bool

    @property
    def identity(self) -> tuple[str, str, str, tuple[str, ...]]:
        return (self.path, self.scope, self.tool, self.codes)

    def describe(self) -> str:
        codes = ", ".join(self.codes) if self.codes else "everything"
        where = "" if self.scope == "module" else f" in {self.scope}"
        return f"{self.tool} ({codes}){where}"


def covers(wide: tuple[str, ...], narrow: tuple[str, ...]) -> bool:
    """Whether a suppression of WIDE codes silences at least what NARROW does (empty = all)."""
    if not wide:
        return True
    return bool(narrow) and set(narrow) <= set(wide)
