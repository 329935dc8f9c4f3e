"""What the text of a function body proves without a parse: that it leaves no string open
after its last line, and whether it returns a value (classes.gives_no_function).

Contract: ``read_body(text)`` is a BodyText for TEXT (a body's lines, from its first statement
to the end of its last), or None where the text alone cannot tell. One left-to-right scan
(STRINGS_AND_COMMENTS) blanks every string (``""``) and comment, as the tokenizer finds them:
triple-quoted or not, a backslash escaping the next character (a line break too: a string
goes on); a ``#`` inside a string is no comment, and a quote inside a comment opens no string.
It tells where every quote is then blanked (no string is left open at TEXT's end), no string
has a prefix but ``r``, ``u`` and ``b`` (an ``f``-string reads otherwise from 3.12: a quote or
a line break inside its ``{}``; a ``t``-string from 3.14), the last line does not end with a
backslash (it would join the line after TEXT), and no form feed is in it (one in a line's
indentation sets the column back to 0: the line ends the body, whatever spaces precede it).

``returns_value`` is ``_returns_value`` of the parsed body: some ``return`` statement of the
body's own has a value other than the constant None. With strings and comments blanked, every
word ``return`` left is a statement (a keyword cannot sit in an expression), the body's own
unless TEXT defines a function or class (then None: a nested one's returns are its own); its
value runs to the line's end or a ``;``. A value that goes on to another line (a bracket left
open, a backslash) is None.

Where the code parses, that is the parse's answer; where it does not, the answer does not
matter (skeleton.py: pytest reports such a module).
"""

from __future__ import annotations

import re
import string

from guards.core.records import record

STRINGS_AND_COMMENTS = re.compile(
    rb'"""(?:[^"\\]|\\(?:\r\n|.)|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\(?:\r\n|.)|'(?!''))*'''"
    rb'|"(?:[^"\\\r\n]|\\(?:\r\n|.))*"'
    rb"|'(?:[^'\\\r\n]|\\(?:\r\n|.))*'"
    rb"|\#[^\r\n]*",
    re.S,
)  # the alternatives start with different bytes or the longer first: linear
PREFIXES = frozenset({b"", b"r", b"u", b"b", b"br", b"rb"})  # lower-cased: extent as unprefixed
WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")
FORM_FEED = b"\x0c"
RETURN = re.compile(rb"\breturn\b")
DEFINES = re.compile(rb"\b(?:def|class)\b")
NONE = re.compile(rb"[ \t(]*None[ \t)]*")
OPENERS, CLOSERS = b"([{", b")]}"


@record
class BodyText:
    returns_value: bool


def read_body(text: bytes) -> BodyText | None:
    """TEXT's BodyText (the contract), or None."""
    if FORM_FEED in text:  # in a line's indentation, it sets the column back to 0
        return None
    blanked = STRINGS_AND_COMMENTS.sub(_blank, text)
    if b"'" in blanked or not _plain_strings(blanked) or blanked.rstrip().endswith(b"\\"):
        return None
    returns = _returns(blanked) if b"return" in blanked else False
    return None if returns is None else BodyText(returns_value=returns)


def _blank(found: re.Match[bytes]) -> bytes:
    """A string as an empty one, a comment as nothing: the words they hold are no code."""
    return b"" if found.group().startswith(b"#") else b'""'


def _plain_strings(blanked: bytes) -> bool:
    """Whether every quote of BLANKED is an empty string's, with a prefix in PREFIXES."""
    at = blanked.find(b'"')
    while at >= 0:
        if blanked[at + 1 : at + 2] != b'"' or _prefix(blanked, at).lower() not in PREFIXES:
            return False
        at = blanked.find(b'"', at + 2)
    return True


def _prefix(blanked: bytes, at: int) -> bytes:
    """The word that ends where the string at AT begins."""
    start = at
    while start and chr(blanked[start - 1]) in WORD_CHARS:
        start -= 1
    return blanked[start:at]


def _returns(code: bytes) -> bool | None:
    """Whether CODE (strings and comments blanked) returns a value; None if it cannot tell."""
    if not RETURN.search(code):
        return False
    if DEFINES.search(code):
        return None
    valued = False
    for line in code.splitlines():
        for found in RETURN.finditer(line):
            value = line[found.end() :].split(b";", 1)[0]
            if _goes_on(value):
                return None
            valued = valued or not (value.strip() == b"" or NONE.fullmatch(value) is not None)
    return valued


def _goes_on(value: bytes) -> bool:
    """Whether VALUE goes on to the next line: a bracket left open, or a backslash."""
    opened = sum(value.count(c) for c in OPENERS) != sum(value.count(c) for c in CLOSERS)
    return opened or value.rstrip().endswith(b"\\")
