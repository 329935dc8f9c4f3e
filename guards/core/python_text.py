"""The text Python reads from a source file's bytes, for the searches that prune by words.

Python decodes a module by its declared encoding (a ``coding:`` cookie on one of its first two
lines, a UTF-8 BOM; UTF-8 otherwise) and normalizes every identifier to NFKC (PEP 3131). So
``pytest.skip("x")`` with its s written fullwidth (U+FF53) calls ``pytest.skip``, ``import
pytest`` with a fullwidth p (U+FF50) imports pytest, and under ``# coding: utf-7`` the ASCII
bytes ``+AHM-kip`` spell ``skip``. A search of the bytes for ``skip`` or ``pytest`` passes over
all three, and a prune built on it hid the skip from the gate (a helper that skipped through a
fullwidth ``pytest`` passed a pull request).

Contract: ``view(data)`` is what a word search must read: DATA itself when Python reads it as
it is (ASCII with no cookie: almost every file), else ``text(data)`` (decoded as Python decodes
it and normalized to NFKC, strings and comments too, which can only add matches; None when
Python cannot decode it) as UTF-8, line for line: a line number in the view is the parser's.
``lines(data)`` are the view's lines, cut where the parser cuts them (not at a form feed).
``decode(data)`` is the text decoded by the cookie alone, names as written: what a linter reads
of the module's comments (suppressions) and what a test file says (tests-with-code).
``MAY_DIFFER`` is the extended regex, on bytes in the C locale, that every file whose view is
not its bytes matches: a byte above 0x7F or the word of a cookie (one ``git grep`` finds the
candidates: core/git.py).

The trap: bytes Python cannot decode are no module (the parser reports them where they are
read), so their view is the bytes; keywords are never normalized (a fullwidth ``import`` is a
syntax error), only names.
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
import unicodedata

MAY_DIFFER = b"[\x80-\xff]|coding[:=]"
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the parser's; a form feed is none
KEPT_BREAKS = re.compile(rf"({LINE_BREAK.pattern})")  # NFKC never joins or makes one


def view(data: bytes) -> bytes:
    """The bytes a word search of the module DATA must read (see the module's docstring)."""
    found = None if plain(data) else text(data)
    return data if found is None else found.encode("utf-8", "surrogatepass")


def plain(data: bytes) -> bool:
    """Whether Python reads DATA as it is: ASCII, and no cookie."""
    return data.isascii() and b"coding" not in data


@functools.lru_cache(maxsize=2)  # asked again of the module being analyzed (string_marks.py)
def text(data: bytes) -> str | None:
    """DATA decoded as Python decodes a module, NFKC line by line; None when it cannot be."""
    decoded = decode(data)
    if decoded is None:
        return None  # not a module Python can read: the parser says so where it is read
    if unicodedata.is_normalized("NFKC", decoded):
        return decoded  # most files: a line break composes with nothing, so every line is too
    return "".join(unicodedata.normalize("NFKC", part) for part in KEPT_BREAKS.split(decoded))


def decode(data: bytes) -> str | None:
    """DATA decoded as Python decodes a module (its ``coding:`` cookie, a UTF-8 BOM, else UTF-8),
    names as they are: what a linter that reads the module's comments reads (flake8 honours
    ``# +AG4-oqa`` under ``# coding: utf-7``); None when it cannot be decoded."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, UnicodeError, LookupError):
        return None


def lines(data: bytes) -> list[str]:
    """The lines of DATA's view, as the parser numbers them."""
    return LINE_BREAK.split(view(data).decode("utf-8", errors="replace"))
