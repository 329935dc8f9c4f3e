"""The reason a tool's own syntax gives a suppression, whatever ``reason-pattern`` says: each as
the tool (or the linter that enforces its reasons) reads it, from the text of the comment or
attribute that holds the suppression.

- Rust: ``#[allow(lint, reason = "why")]``, a reason with a word in it (``reason = ""`` is none).
- golangci-lint: ``//nolint:gosec // why``, what its nolintlint requires.
- TypeScript: ``// @ts-expect-error why``, the description typescript-eslint's
  ``ban-ts-comment`` asks for (``allow-with-description``, 8.x): the rest of the directive's line
  (a block comment's last line, the one TypeScript reads), trimmed as JavaScript trims, at
  least 3 user-perceived characters long (``ok`` and a family emoji are too short).
- Biome: ``// biome-ignore lint/a/b: why``. Biome requires the reason and refuses (does not
  suppress with) a suppression without one; it is the text after the colon that ends the
  categories, on the suppression's own line of the comment.
- istanbul: ``/* istanbul ignore next: why */``, as eslint-plugin-istanbul's
  ``prefer-ignore-reason`` reads it: the hint, then a non-word character and a word one.
- ShellCheck: ``# shellcheck disable=SC2086 # why``, the directive's own comment (ShellCheck
  0.11 ends its ``key=value`` words at a ``#``, and refuses the ``-- why`` other tools take:
  "Couldn't parse this shellcheck directive").

The trap: each is searched where its tool reads the directive (anchored as forms.py anchors
it), never anywhere in the comment: ``// note: biome-ignore lint: x`` is prose, and its colon
gives nothing a reason. JavaScript's ``\\s``, ``.`` and ``trim`` are not Python's (a BOM is
JavaScript whitespace, U+001C is not; U+2028 ends a line), so they are spelled out here.
"""

from __future__ import annotations

import re
import unicodedata

from guards.checks.suppressions.forms import (
    BIOME_AT,
    BIOME_CATEGORIES,
    ISTANBUL_AT,
    JS_S,
    JS_SPACE,
)

RUST = re.compile(r"""\breason\s*=\s*"[^"]*[^"\s]""")  # a reason with a word in it
GO = re.compile(r"^//[/ ]*nolint(?::\s*[\w-]+(?:\s*,\s*[\w-]+)*)?\s*//\s*\S")
_DOT = "[^\n\r\u2028\u2029]"  # JavaScript's "." (no s flag)
TS_LINE = re.compile(rf"\A//+{JS_S}*@ts-(?:expect-error|ignore|nocheck)(?P<d>{_DOT}*)", re.I)
TS_DIRECTIVE = re.compile(rf"@ts-(?:expect-error|ignore)(?P<d>{_DOT}*)")
TS_MIN = 3  # typescript-eslint's minimumDescriptionLength default
BIOME = re.compile(rf"{BIOME_AT}{BIOME_CATEGORIES}:[^\S\n]*\S", re.M)
ISTANBUL = re.compile(rf"{ISTANBUL_AT}(?:if|else|next|file)\W+\w", re.A)
SHELLCHECK = re.compile(r"^#\s*shellcheck\s[^#\n]*#[^\S\n]*\S")
_JOINERS = frozenset({"\u200d"})


def stated(text: str) -> bool:
    """Whether TEXT, a comment or attribute holding a suppression, gives its reason in its
    tool's own syntax (the module's list)."""
    if any(pattern.search(text) for pattern in (RUST, GO, ISTANBUL, SHELLCHECK)):
        return True
    return BIOME.search(_unclosed(text)) is not None or _ts_described(text)


def _unclosed(text: str) -> str:
    """TEXT without a block comment's closing ``*/`` (what a reason on its last line is not)."""
    return text.removesuffix("*/") if text.startswith("/*") else text


def _ts_described(text: str) -> bool:
    """Whether TEXT's TypeScript directive has the description typescript-eslint asks for."""
    if text.startswith("/*"):
        last = _unclosed(text)[2:].split("\n")[-1]  # spaces, "/"s and "*"s, spaces, then it
        found = TS_DIRECTIVE.match(last.lstrip(JS_SPACE).lstrip("/*").lstrip(JS_SPACE))
    else:
        found = TS_LINE.match(text)
    return found is not None and graphemes(found["d"].strip(JS_SPACE)) >= TS_MIN


def graphemes(text: str) -> int:
    """How many user-perceived characters TEXT holds, as ``Intl.Segmenter`` counts them for
    the cases a description meets: a combining mark, a variation selector, an emoji modifier
    or tag, and a character after a zero-width joiner extend the one before; two regional
    indicators are one flag. (Hangul jamo sequences, rarer still, count one per jamo.) ASCII
    is one character a byte, as typescript-eslint counts it without a segmenter."""
    if text.isascii():
        return len(text)
    count, joined, flag = 0, False, False
    for char in text:
        extends = joined or _extends(char)
        paired = flag and _regional(char)
        if not (extends or paired):
            count += 1
        flag = _regional(char) and not paired
        joined = char in _JOINERS
    return count


def _extends(char: str) -> bool:
    point = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char in _JOINERS
        or 0xFE00 <= point <= 0xFE0F
        or 0xE0100 <= point <= 0xE01EF
        or 0x1F3FB <= point <= 0x1F3FF
        or 0xE0020 <= point <= 0xE007F
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
