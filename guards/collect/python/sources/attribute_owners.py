"""Whether the name before a dot may hold another module's object where the resolver reads it:
the test reach.py puts to ``g`` in ``g.needs_net()`` before it reads the file for its exports.

Contract: ``may_hold_module(data, start)`` is False only when the resolver cannot follow the
dotted name whose last part before the dot starts at START of the module DATA into another
module. Its first part is what is asked (``h`` of ``h.sub.needs_net``). The resolver reads a name
in a body by what the module binds at module level (parsing/symbols.py Env, parsing/analyze.py):
an import (``import helpers as g``, ``from support import g``, also inside ``if``/``try``, on a
continued line), or an assignment (``g = gates``, ``g = gates if fast else slow``, ``g =
getattr(m, "x")``, ``g = sys.modules["x"]``). A name only ever assigned a call's result (``pot =
preorder_traversal(expr)``, then ``pot.skip()``) is followed to the function called, which the
file names itself (reach.py's other rule finds it), never through the attribute. So the name
counts when DATA says it on a line with ``import`` in it (``importlib.import_module`` and
``__import__`` too), among the names of a line that lists names alone (``    gates as g,`` in a
continued import), or assigned anything but one call (a comma, an operator, a continuation, a
subscript: counts); any name counts in a module with a star import (it binds names unseen), as
does a chain after a bracket, a quote or a line break (``f().skip``, ``m["k"].skip``).
``self`` and ``cls`` never count (a method's).

On sympy, the tree walkers' ``pot.skip()`` and the doctests' ``... pt.skip()`` no longer send
nine modules (478 KB, ``polytools.py`` the largest) to the reach's second round. The trap: every
way a name can be bound where the resolver reads it must count, so the rules read text wider
than Python binds (any indentation, any line, a keyword argument ``f(g=1)`` counts as an
assignment); a text the rules cannot judge counts.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from guards.linear_re import compile_linear

METHOD_OWNERS = (b"self", b"cls")
UNJUDGED = [bytes([c]) for c in b")]}'\"\\\r\n0123456789"]  # before a dot: text can't tell
STAR_IMPORT = re.compile(rb"import[ \t]*\(?[ \t]*\*")
ONE_CALL = re.compile(rb"[ \t]*[\w.]+[ \t]*\(")  # ``name(`` or ``a.b(``: a call begins
GETATTR = re.compile(rb"[ \t]*(?:builtins\.)?getattr[ \t]*\(")  # resolves to the attribute


def may_hold_module(data: bytes, start: int, judged: dict[bytes, bool] | None = None) -> bool:
    """Whether the dotted name whose last part before the dot starts at START of DATA may hold
    another module's object where the resolver reads it (the module docstring says how): its
    first part is asked (``h`` of ``h.sub.needs_net``), once per JUDGED (a caller's memo for
    one DATA: a file says ``pot.skip()`` many times)."""
    owner = _first_part(data, start)
    if judged is None:
        return _may_hold(data, owner)
    if owner not in judged:
        judged[owner] = _may_hold(data, owner)
    return judged[owner]


def _may_hold(data: bytes, owner: bytes) -> bool:
    if owner in METHOD_OWNERS:
        return False
    if not owner.isascii() or not owner or STAR_IMPORT.search(data):
        return True  # RE2's \b is ASCII's: a name beyond it is not judged
    return _imported(data, owner) or _assigned_other_than_a_call(data, owner)


def _first_part(data: bytes, start: int) -> bytes:
    """The word that begins the chain of ``word.`` parts ending at the word at START. Empty
    (it counts) when a bracket, a quote or a digit stands before a dot (``f().x``,
    ``m["k"].x``) or the chain crosses a line (a comment may hide in between); another dot
    before a dot ends the chain (a doctest's ``... pt.skip()``). A word is ASCII's word
    characters and any byte above ASCII (a name's UTF-8: ``a.мод_g`` is one chain, from ``a``)."""
    while start > 0 and _is_word(data[start - 1]):
        start -= 1
    while (dot := _skip_blanks(data, start)) > 0 and data[dot - 1] == ord("."):
        end = _skip_blanks(data, dot - 1)
        begin = end
        while begin > 0 and _is_word(data[begin - 1]):
            begin -= 1
        if begin < end:
            start = begin
            continue
        if end > 0 and data[end - 1 : end] in UNJUDGED:
            return b""
        break
    end = start
    while end < len(data) and _is_word(data[end]):
        end += 1
    return data[start:end]


def _is_word(byte: int) -> bool:
    return byte > 0x7F or chr(byte).isalnum() or byte == ord("_")


def _skip_blanks(data: bytes, at: int) -> int:
    """AT, moved back over the spaces and tabs before it."""
    while at > 0 and data[at - 1] in b" \t":
        at -= 1
    return at


def _imported(data: bytes, owner: bytes) -> bool:
    """OWNER on a line that says ``import`` anywhere, or among the names of a line that lists
    names alone (``    gates as g,``: a continued import's)."""
    word = _word(owner)
    if _import_line(owner).search(data) is not None:
        return True
    return any(word.search(line.group()) for line in _name_lists().finditer(data))


@functools.cache
def _word(owner: bytes) -> Any:
    return compile_linear(rb"\b" + re.escape(owner) + rb"\b")


@functools.cache
def _import_line(owner: bytes) -> Any:
    word = rb"\b" + re.escape(owner) + rb"\b"
    return compile_linear(
        rb"(?m)^[^\n]*import[^\n]*" + word + rb"|^[^\n]*" + word + rb"[^\n]*import"
    )


@functools.cache
def _name_lists() -> Any:
    """A line of names and ``name as name`` items between commas, maybe closing a bracket or
    continued: what a continued import's lines hold (prose has no commas between its words)."""
    item = rb"\w+(?:[ \t]+as[ \t]+\w+)?"
    return compile_linear(
        rb"(?m)^[ \t]*(?:"
        + item
        + rb"[ \t]*,[ \t]*)*"
        + item
        + rb"[ \t]*[,)\\]?[ \t]*\r?(?:#[^\n]*)?$"
    )


@functools.cache
def _assignment(owner: bytes) -> Any:
    """OWNER, maybe followed by attributes, subscripts or more targets (in brackets too:
    ``(g, k) =``), or by an annotation (anything to the ``=``: ``g: Module | None =``), then
    ``=`` (not ``==``): the value follows in group 1, to the end of its line."""
    word = rb"\b" + re.escape(owner) + rb"\b"
    targets = rb"(?:[\w \t,.()\[\]]*|[ \t]*:[^=\n]*)"
    return compile_linear(word + targets + rb"=([^=\n][^\n]*|$)")


def _assigned_other_than_a_call(data: bytes, owner: bytes) -> bool:
    pattern, at = _assignment(owner), 0
    while (found := pattern.search(data, at)) is not None:
        if not _one_call(found.group(1)):
            return True
        at = found.end()
    return False


def _one_call(value: bytes) -> bool:
    """Whether VALUE (an assignment's, to its line's end) is a single call of a name other than
    ``getattr``, closed on its line: ``f(x, y)``, ``a.b(c)  # why``. Anything else (a call
    continued on the next line, a comma after it, an operator, a string with a bracket that
    unbalances the count) is not."""
    begun = ONE_CALL.match(value)
    if begun is None or GETATTR.match(value):
        return False
    depth, rest = 1, value[begun.end() :]
    for at, byte in enumerate(rest):
        depth += (byte == 40) - (byte == 41)  # ( and )
        if depth == 0:
            tail = rest[at + 1 :].strip()
            return not tail or tail.startswith(b"#")
    return False
