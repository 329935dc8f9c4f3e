"""The text javac reads from a Java source file's bytes: its Unicode escapes translated.

javac translates every ``\\uXXXX`` escape before it reads anything else (JLS 3.3), in comments,
literals and code alike. So ``@\\u0044isabled`` is ``@Disabled``, ``\\u0040SuppressWarnings(...)``
is the annotation that silences a warning, and ``// \\u000a @Disabled`` ends the comment, so
the annotation is code. Every reader that decides what a Java file says (the Java collector,
the names a file declares, the suppressions it adds) reads ``translated(data)``, never the bytes.

Contract: a backslash begins an escape only after an even run of backslashes (``\\\\u0041``
stays as written), any number of ``u`` may follow it, and an escape never begins another
(``\\u005cu0041`` is ``\\u0041`` as written). A line the escapes end (``\\u000a``) is a line of
the result, so a line number counts those too.

The trap: tree-sitter refuses a NUL even in a comment or a literal, where javac takes it
(commons-lang's ``{@code \\u0000}`` Javadoc, ``'\\u0000'``): it is read as U+0001, which both
take there and both refuse in code, so a file is Java exactly when it was.
"""

from __future__ import annotations

import re

UNICODE_ESCAPE = re.compile(rb"(\\+)u+([0-9a-fA-F]{4})")  # the run of backslashes before it


def translated(data: bytes) -> bytes:
    """DATA as javac reads it: its Unicode escapes replaced by what they spell (UTF-8), a NUL
    by U+0001."""
    spelled = data if b"\\u" not in data else UNICODE_ESCAPE.sub(_spelled, data)
    return spelled.replace(b"\x00", b"\x01")


def _spelled(match: re.Match[bytes]) -> bytes:
    slashes, digits = match.group(1), match.group(2)
    if len(slashes) % 2 == 0:
        return match.group(0)
    return slashes[:-1] + chr(int(digits, 16)).encode("utf-8", "surrogatepass")
