"""One side of a changed file, read by language: Python with ``ast``, C-family with the
comment-stripping scanner, anything else as plain lines (any byte change counts there).

A file larger than MAX_BYTES, or not UTF-8, is not parsed: every change to it counts. A Python
file is decoded as Python decodes it (its ``coding:`` cookie: ``+AGE-ssert True`` under ``#
coding: utf-7`` is ``assert True``), else it would read as no test at all.
"""

from __future__ import annotations

import posixpath

from guards.checks.tests_with_code.clike import read_clike
from guards.checks.tests_with_code.model import Reading
from guards.checks.tests_with_code.pysource import read_python
from guards.core import python_text

MAX_BYTES = 2_000_000
CLIKE = {
    "ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts", "go", "rs", "java", "kt", "kts",
    "scala", "c", "h", "cc", "cpp", "hpp", "cs", "swift", "php",
}  # fmt: skip # -- a packed call reads better here
EMPTY = Reading("", ())


def extension(path: str) -> str:
    return posixpath.splitext(path)[1].lstrip(".").lower()


def read_source(path: str, data: bytes | None) -> Reading:
    """The Reading of DATA as the language of PATH (an absent side reads as empty)."""
    if data is None:
        return EMPTY
    if len(data) > MAX_BYTES:
        return _unparsed(data)
    ext = extension(path)
    if ext in ("py", "pyi"):  # read as Python reads it: by its coding cookie
        decoded = python_text.decode(data)
        return _unparsed(data) if decoded is None else read_python(decoded)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _unparsed(data)
    if ext in CLIKE:
        return read_clike(text, ext)
    return Reading(text, tuple(line.strip() for line in text.splitlines() if line.strip()))


def _unparsed(data: bytes) -> Reading:
    text = data.decode("utf-8", errors="surrogateescape")
    return Reading(text, tuple(text.splitlines()), parsed=False)


def only_deletes(old: Reading, new: Reading) -> bool:
    """Every normalized line of NEW appears in OLD, in order: the change only removes code."""
    remaining = iter(old.lines)
    return all(any(line == seen for seen in remaining) for line in new.lines)
