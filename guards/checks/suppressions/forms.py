"""The suppression forms, per comment family, as regular expressions over COMMENT text.

Each form names its tool and captures its codes (``pick`` reads them where a split cannot:
ESLint's rule settings, ShellCheck's ``key=value`` words); no codes means "everything".
Each matches as its tool reads: case-insensitive where the tool is (flake8 and ruff accept
``# NOQA``), case-sensitive and anchored at the comment's start where it is (golangci-lint,
ESLint, ShellCheck, RuboCop, istanbul; Biome at any line's start in a block comment), and
spacing is loose (``type:  ignore`` with two spaces is still
mypy's ignore). The trap: these run on comment text that a real tokenizer or parser returned,
never on raw source lines, so a string holding a noqa comment is not a suppression and a comment
after a line continuation is; an attribute's or annotation's text is its tokens
(tscomments.py), so it starts with its ``#`` or ``@``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from guards.checks.suppressions.model import Directive

_CODE = r"@?[A-Za-z][\w./@-]*"
_LIST = rf"{_CODE}(?:\s*,\s*{_CODE})*"


# mypy's inline flags that loosen it (``# mypy: strict`` or ``warn-unreachable`` tighten it)
_MYPY_LOOSE = (
    r"(?:ignore[-_]errors|disable[-_]error[-_]code|allow[-_]|no[-_]|ignore[-_]missing"
    r"|follow[-_]imports)"
)


class Form(NamedTuple):
    tool: str
    regex: str
    flags: int = re.I
    split: str = r"[\s,]+"
    pick: Callable[[str], tuple[str, ...]] | None = None  # the codes, when splitting is not it

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: a run compiles only the families of the files it reads."""
        return _compiled(self.regex, self.flags)


@functools.cache
def _compiled(regex: str, flags: int) -> re.Pattern[str]:
    return re.compile(regex, flags)


def _f(tool: str, regex: str, flags: int = re.I, split: str = r"[\s,]+") -> Form:
    return Form(tool, regex, flags, split)


PYTHON = (
    _f("ruff-file", rf"#\s*(?:ruff|flake8)\s*:\s*noqa(?:\s*:\s*(?P<codes>{_LIST}))?"),
    _f("noqa", r"#\s*noqa(?:\s*:\s*(?P<codes>[A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*))?"),
    _f("type-ignore", r"#\s*type\s*:\s*ignore(?:\s*\[(?P<codes>[^\]]*)\])?"),
    _f("pyright-ignore", r"#\s*pyright\s*:\s*ignore(?:\s*\[(?P<codes>[^\]]*)\])?"),
    _f(
        "mypy-file", rf"^\s*#\s*mypy\s*:\s*(?P<codes>(?:[^#]*?\b)?{_MYPY_LOOSE}[^#]*?)\s*(?:--.*)?$"
    ),
    _f("pragma-no-cover", r"pragma\s*:?\s*no\s*(?P<codes>cover|branch)"),
    # black and ruff honour a whole comment, or one of a list (after another ``#`` or a ``;``)
    _f("fmt-off", r"(?:^|[#;])\s*(?:fmt|yapf)\s*:\s*(?P<codes>off|skip|disable)\s*(?=$|[#;]|--)"),
    _f("pylint-disable", rf"pylint\s*:\s*disable(?:-next)?\s*=\s*(?P<codes>{_LIST})"),
    _f("nosec", r"#\s*nosec\b(?:\s*:?\s*(?P<codes>B\d+(?:[\s,]+B\d+)*))?"),
)


def _rules_off(body: str) -> tuple[str, ...]:
    """The rules an inline ``/* eslint rule: value, ... */`` turns off: its value "off" or 0,
    alone or first in an array (``no-console: ["off"]``)."""
    settings = _JUSTIFIED.split(body, maxsplit=1)[0]
    items = (_ESLINT_ITEM.fullmatch(item.strip()) for item in _top_level(settings))
    return tuple(sorted(m["rule"] for m in items if m is not None))


def _top_level(body: str) -> Iterator[str]:
    """BODY cut at its commas outside brackets, braces and quotes."""
    depth, quote, start = 0, "", 0
    for i, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            yield body[start:i]
            start = i + 1
    yield body[start:]


_JUSTIFIED = re.compile(r"\s-{2,}\s")  # ESLint's: what follows is the reason
_ESLINT_ITEM = re.compile(
    r"""(["']?)(?P<rule>[@\w/.-]+)\1\s*:\s*(?:\[\s*)?(?:(["']?)off\3|0)\s*(?:,.*|\])?""", re.S
)
# ESLint reads a directive at the start of a comment (after spaces), and a rule's settings only
# in a block comment (``/* eslint no-console: "off" */``, a file-wide disable); a comment that
# names one later (``// note: eslint-disable-line ...``) is prose. Its reason follows `` -- ``.
_AT_START = r"^(?://|/\*)\s*"
_SPACES = r"[^\S\n]*"  # within one line: each line of a long comment is tried once, in turn
# a block comment's last line (its first, when it has one), its leading spaces taken whole
# (a lookahead's group, matched again: atomic, so a line of spaces is not tried in two ways)
_LAST_LINE = rf"(?:\A/\*|\n)(?=(?P<lead>{_SPACES}))(?P=lead)"
_ENDS = r"(?=\s|\*/|$)"
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)  # JavaScript's whitespace and line breaks (its \s and trim): not Python's
JS_S = f"[{JS_SPACE}]"  # JavaScript's \s, as a class
# istanbul-lib-instrument reads a hint at the start of a comment, in lower case, then a
# non-word character (ASCII) or the end: ``/** istanbul ignore next */`` and prose are none.
ISTANBUL_AT = rf"\A(?://|/\*){JS_S}*istanbul{JS_S}+ignore{JS_S}+"
# Biome reads a suppression at the start of a line comment, or of any line of a block comment
# after its spaces and stars, in lower case, then its categories (a value in parentheses may
# hold a colon) up to the colon before the reason (biome_suppression's parser, Biome 2.6).
# (Each run of spaces is one quantifier: two side by side split a long line n ways.)
BIOME_AT = r"(?:\A//|\A/\*|^)[^\S\n]*(?:\*+[^\S\n]*)?biome-ignore(?:-all|-start)?(?=[\s:(])"
BIOME_CATEGORIES = r"(?:[^:(\n]|\([^()\n]*\))*"
JS = (
    _f(
        "eslint-disable-line",
        rf"{_AT_START}eslint-disable-(?:next-)?line{_ENDS}(?:\s+(?P<codes>{_LIST}))?",
    ),
    _f("eslint-disable", rf"{_AT_START}eslint-disable{_ENDS}(?:\s+(?P<codes>{_LIST}))?"),
    Form(
        "eslint-disable",
        r"^/\*\s*eslint\s+(?P<codes>.*)\*/$",
        re.S,
        pick=_rules_off,
    ),
    _f("ts-ignore", r"^///?\s*@ts-(?P<codes>ignore|expect-error)", 0),
    _f("ts-ignore", rf"{_LAST_LINE}[/*]*{_SPACES}@ts-(?P<codes>ignore|expect-error)[^\n]*\Z", 0),
    _f("istanbul-ignore", rf"{ISTANBUL_AT}(?P<codes>next|if|else|file)(?=\W|\Z)", re.A),
    _f("c8-ignore", r"\b(?:c8|v8)\s+ignore\s+(?P<codes>next|start|if|else|file)"),
    _f("biome-ignore", rf"{BIOME_AT}(?P<codes>{BIOME_CATEGORIES})", re.M),
)

# TypeScript's own reading (5.9, scanner.ts and parser.ts). ``@ts-ignore`` and
# ``@ts-expect-error``: case-sensitive, at the start of a line comment after "//" or "///" and
# spaces, or on the last line of a block comment after any "/", "*" and spaces (``/* @ts-ignore
# \n why */`` is none: its last line is read), no word end needed (``@ts-ignored`` is one).
# ``@ts-nocheck`` only in the line comments before the file's first token (JS_LEADING), as its
# first word after "//" and spaces, in any case (``// @TS-NOCHECK``); TypeScript reads it in no
# block comment and nowhere else.
JS_LEADING = (
    Form(
        "ts-ignore",
        r"^///?\s*@ts-(?P<codes>nocheck)(?=[^\S\r\n]|:|$)",
        re.I,
        pick=lambda codes: (codes.lower(),),
    ),
)

# golangci-lint strips every leading "/" and space of a line comment and wants "nolint" then a
# space, a colon or the end, in lower case (``////nolint`` counts, ``//\tnolint`` and
# ``//nolintx`` do not; tree-sitter keeps a CRLF file's "\r"); its linters are cut at a "//"
# (``//nolint:gosec// why`` is gosec, explained). gosec honours its tag (a "#" and "nosec") at
# the start of a comment or of a line in it, and ``//gosec:disable``; its rules are G + 3 digits.
_GOSEC = r"(?:\s+(?P<codes>G\d{3}(?:[\s,]+G\d{3})*))?"
GO = (
    _f("nolint", r"^//[/ ]*nolint(?=[ :\r]|$)(?::\s*(?P<codes>[\w-]+(?:\s*,\s*[\w-]+)*))?", 0),
    _f("nosec", rf"(?:^/[/*]\s*|\n *)#nosec{_GOSEC}", 0),
    _f("nosec", rf"^//gosec:disable(?=[ \r]|$){_GOSEC}", 0),
)
# Attribute and annotation forms are anchored at the start: an attribute's text begins with
# its "#", an annotation's with its "@", and a comment that names one (``/// avoid
# #[allow(x)]``) is prose. rustc's allow and expect silence the same lints (expect warns when
# none fires); a lint is a path (``clippy::unwrap_used``), whole, so allowing ``clippy::all``
# widens ``clippy::x``.
_LINT = rf"{_CODE}(?:\s*::\s*{_CODE})*"
RUST = (
    _f(
        "allow",
        rf"^#\s*!?\s*\[\s*(?:cfg_attr\s*\(.*?,\s*)?(?:allow|expect)\s*\(\s*"
        rf"(?P<codes>{_LINT}(?:\s*,\s*{_LINT})*)",
        re.S,
        r"\s*,\s*",
    ),
)
JAVA = (
    _f(
        "SuppressWarnings",
        r"^@\s*(?:file\s*:\s*)?(?:java\s*\.\s*lang\s*\.\s*)?Suppress(?:Warnings)?\s*\("
        r"(?P<codes>[^)]*)\)",
    ),
    _f("NOSONAR", r"NOSONAR(?:\((?P<codes>[^)]*)\))?", 0),
)
# RuboCop's directive: "#", then "rubocop" in lower case (``# note: rubocop:disable X`` is prose)
RUBY = (
    _f("rubocop-disable", rf"#\s*rubocop\s*:\s*(?:disable|todo)\b\s*(?P<codes>all|{_LIST})", 0),
)


def _shellcheck_disabled(body: str) -> tuple[str, ...]:
    """The checks a ``# shellcheck key=value ...`` directive disables: every ``disable=`` among
    its words (``source=x disable=SC2086`` too), a bare number read as its SC code. A ``#``
    ends the words: what follows is the directive's comment (``disable=SC2086# why``)."""
    words = (word.partition("=") for word in body.split("#", 1)[0].split())
    codes = {c for key, _, value in words if key == "disable" for c in value.split(",") if c}
    return tuple(sorted(f"SC{c}" if c.isdigit() else c for c in codes))


# ShellCheck reads a directive from a comment whose first word is "shellcheck", in lower case,
# then ``key=value`` words in any order; a comment that names one later is prose.
SHELL = (
    Form("shellcheck-disable", r"^#\s*shellcheck\s+(?P<codes>.*)$", 0, pick=_shellcheck_disabled),
)


def directives(text: str, forms: tuple[Form, ...]) -> Iterator[Directive]:
    """Every suppression FORMS find in one comment (a comment may hold several); a match that
    starts inside one an earlier form took is the same text read twice, and skipped. What is
    taken is marked a character at a time: a hostile comment of thousands of directives costs
    each one a lookup, not a scan of those before it."""
    taken = bytearray(len(text) + 1)
    for form in forms:
        for match in form.pattern.finditer(text):
            if taken[match.start()]:
                continue
            codes = form.pick(match["codes"]) if form.pick else _codes(match, form.split)
            if form.pick is None or codes:  # a rule setting that turns nothing off is none
                start, end = match.span()
                taken[start:end] = b"\x01" * (end - start)
                yield Directive(form.tool, codes)


def _codes(match: re.Match[str], split: str) -> tuple[str, ...]:
    raw = (match.groupdict().get("codes") or "").split(" -- ")[0]
    parts = (re.sub(r"\s+", "", p).strip("\"'{}") for p in re.split(split, raw))
    return tuple(sorted({p for p in parts if p}))
