"""A comment-stripping tokenizer for C-family sources (JS/TS, Go, Rust, Java, Kotlin, C, ...).

No tree-sitter here: a scanner that knows the lexical forms which can hide a comment marker
(``"..."`` and ``'...'`` with escapes, JS/Go backtick strings, Rust raw strings ``r#"..."#``
and lifetimes ``'a``) drops ``//`` and ``/* */`` comments (nested in Rust) and splits the rest
into tokens: string literals, words (identifiers, numbers) and single punctuation characters.
Whitespace and layout vanish, so a reformat leaves the token stream equal.

Known limit: a JS regex literal holding ``//`` or ``/*`` is read as a comment from there on;
the rest of that line then does not count as a change.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD = re.compile(r"[A-Za-z0-9_$]+")
_LIFETIME = re.compile(r"'[A-Za-z_][A-Za-z0-9_]*(?!['A-Za-z0-9_])")
_RAW = re.compile(r'r(#*)"')
MAX_BYTES = 2_000_000


class Token(NamedTuple):
    text: str
    line: int


def tokens(text: str, *, rust: bool = False) -> list[Token]:
    """The tokens of TEXT without comments and whitespace (RUST: nested comments, raw
    strings and lifetimes)."""
    out: list[Token] = []
    i, line, n = 0, 1, len(text)
    while i < n:
        end, kind = _next(text, i, rust)
        chunk = text[i:end]
        if kind == "token":
            out.append(Token(chunk, line))
        line += chunk.count("\n")
        i = end
    return out


def _next(text: str, i: int, rust: bool) -> tuple[int, str]:
    """The end of the lexeme at I and whether it is a token or skipped (space, comment)."""
    ch, two = text[i], text[i : i + 2]
    if ch.isspace():
        return i + 1, "skip"
    if two == "//":
        end = text.find("\n", i)
        return (len(text) if end < 0 else end), "skip"
    if two == "/*":
        return _block_end(text, i, rust), "skip"
    if rust:
        end = _rust_lexeme(text, i)
        if end:
            return end, "token"
    if ch in "\"'`":
        return _string_end(text, i, ch), "token"
    word = _WORD.match(text, i)
    return (word.end() if word else i + 1), "token"


def _rust_lexeme(text: str, i: int) -> int:
    """The end of a raw string ``r#"..."#`` or a lifetime ``'a`` at I, else 0."""
    raw = _RAW.match(text, i)
    if raw and (i == 0 or not _WORD.match(text[i - 1])):
        close = text.find('"' + raw.group(1), raw.end())
        return len(text) if close < 0 else close + 1 + len(raw.group(1))
    life = _LIFETIME.match(text, i)
    return life.end() if life else 0


def _block_end(text: str, i: int, nested: bool) -> int:
    depth, j = 0, i
    while j < len(text):
        if text.startswith("/*", j):
            depth, j = (depth + 1 if nested or depth == 0 else depth), j + 2
        elif text.startswith("*/", j):
            depth, j = depth - 1, j + 2
            if depth == 0:
                return j
        else:
            j += 1
    return len(text)


def _string_end(text: str, i: int, quote: str) -> int:
    j = i + 1
    while j < len(text):
        if text[j] == "\\" and quote != "`":
            j += 2
            continue
        if text[j] == quote:
            return j + 1
        if text[j] == "\n" and quote != "`":
            return j
        j += 1
    return len(text)


def lines_of(toks: list[Token]) -> tuple[str, ...]:
    """The tokens grouped by source line: one normalized entry per line that holds code."""
    grouped: dict[int, list[str]] = {}
    for tok in toks:
        grouped.setdefault(tok.line, []).append(tok.text)
    return tuple(" ".join(parts) for _, parts in sorted(grouped.items()))
