"""A module parsed without the function bodies a lazy analysis does not read (the whole-tree
listing: options.lazy_bodies): the body of each top-level function and of each method of a
top-level class is blanked before the parser sees it, and parsed alone where the analysis
asks for it.

Contract: ``cut(path, data, options)`` is a Skeleton of DATA, or None where it does not apply
(bodies read in full, a conftest or plugin, definitions wanted, an encoding cookie,
``barry_as_FLUFL``, a NUL byte or a lone ``\\r``, too little to cut, or a parse that does not
place every cut body). ``Skeleton.tree`` is DATA's module with each cut function's body as
``pass`` on the first line of its statements and ``pass`` (``return 1`` where the body returns
a value) on the last, every line where it was (a body's text is found on its lines:
skip_reach.py); ``graft(node)`` puts back into NODE the body the parser gives its function's
text alone (analyze.py grafts each body it reads). Where DATA parses, analyzing the Skeleton
gives the Module analyzing DATA gives. A body not read is not checked for syntax errors, as
the listing's prefilter does not check a file it does not read (README): a hot body is parsed,
so a file whose read parts do not parse is still NotParsable.

Why the tree is DATA's: the text before a cut body is DATA's, and the parse places the def at
its line with exactly the statements it was cut to as its body, so the tokenizer met the
body's first line at a new logical line with nothing open, as in DATA. The body's text leaves
no string open (body_text.py), and a bracket it left open would close after it, in code the
skeleton reads with none open: an error there. So DATA's tokenizer ends the body where the
skeleton's does, in the same state, and reads every line after it alike: the text ends a body
at the next line of code indented no deeper than its def by spaces, or by anything else; a
line the parser indents deeper is an indentation error after the skeleton's statements, or one
more of them, and the parse finds it. A body's facts are its text's when it is hot, and
nothing else reads one but: gives_no_function (body_text's ``returns_value``, in the
skeleton's last statement); the module facts that walk every body for ``global`` or a write
through ``sys.modules`` (fixture_guards.py, exec_namespaces.py): a body that spells ``global``
or ``modules`` is not cut; a fixture's skip condition (a header that says ``request``) and a
hook's body (a ``pytest_`` function): not cut; settled.py's walk for loads of a mutable
constant: it grafts first the bodies that spell one (``before_walk``).

The traps: the words are searched as Python reads names (NFKC: a fullwidth ``m`` spells
``modules`` too); lines are counted as the parser counts them (a lone ``\\r`` is a line break
``^`` misses: no skeleton; a form feed in a line's indentation puts it at column 0:
body_text.py); a ``def`` at column 0 inside a string or brackets is no
definition, which the parse finds; a body grafted goes through string_marks as the whole
module did.
"""

from __future__ import annotations

import ast
import bisect
import functools
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Iterator

from guards.collect.python.parsing import string_marks
from guards.collect.python.parsing.body_text import CLOSERS, OPENERS, read_body
from guards.collect.python.parsing.facts import HOOK_PREFIX
from guards.collect.python.parsing.fixture_guards import GLOBAL, MODULES
from guards.collect.python.parsing.incremental import COOKIE, FUNCS, FUTURE_GRAMMAR, HEADER_LINES
from guards.collect.python.parsing.options import AnalysisOptions
from guards.core.records import record

DEF = re.compile(rb"(?:async[ \t]+)?def[ \t]+(\w+)")  # a definition, after its indentation
DEF_LINE = re.compile(rb"\n( *)(?=(?:async[ \t]+)?def[ \t])")  # the line break before one
CLASS = re.compile(rb"class[ \t]")
TOP_STATEMENT = re.compile(rb"\n[^ \t\r\n#@)\]}]")  # a statement at column 0, decorators aside
HEADER_END = re.compile(rb":[ \t]*(?:#[^\r\n]*)?\r?\Z")  # a header's last line (comment aside)
TOP_CODE = re.compile(rb"\n[^ \t\r\n#]")  # a line of code at column 0, after its line break
CODE = re.compile(rb"^[ \t]*[^ \t\r\n#]", re.M)  # a line of code
CONTENT = re.compile(rb"[^\r\n]+")  # a line's text, its line break aside
LONE_CR = re.compile(rb"\r(?!\n)")
TRIGGERS = re.compile(r"\b(?:global|modules)\b")  # facts read from every body (above)
REQUEST = re.compile(r"\brequest\b")
MAX_HEADER_LINES = 64  # lines a header's brackets may span before the guess gives up
ROUNDS = 2  # parses of a skeleton: the second without the cuts the first did not place
MIN_CUT = 0.25  # a skeleton pays where its cut bodies hold this share of the bytes
PARSER_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)


class Unproven(Exception):
    """A body read does not parse alone: the whole module is parsed (and does not parse)."""


@record
class Cut:
    """A cut function: its ``def`` line, its body's first and last statement lines, whether
    the body returns a value, and where it is in the bytes (the ``def``'s, after its INDENT
    spaces; the first line's start; the last line's end, its line break aside)."""

    indent: int
    line: int
    first: int
    last: int
    returns: bool
    at: int
    start: int
    end: int


class Skeleton:
    """DATA's module with the bodies of CUTS blanked (the contract)."""

    def __init__(self, path: str, data: bytes, tree: ast.Module, cuts: list[Cut]) -> None:
        self.path, self.data, self.tree = path, data, tree
        placed = list(_placed(tree, cuts))
        self.cut = {id(node): c for node, c in placed}
        self.nodes = {id(node): node for node, _ in placed}

    def graft(self, node: ast.AST) -> None:
        """NODE's own body in place of its statements (a parse of its text alone; a method's
        in an ``if`` block on the line above, at its own indentation)."""
        cut = self.cut.pop(id(node), None)
        if cut is None:
            return
        text = self.data[cut.at - cut.indent : cut.end]
        above = b"\n" * (cut.line - 1) if not cut.indent else b"\n" * (cut.line - 2) + b"if 1:\n"
        try:
            found = string_marks.rewrite(ast.parse(above + text, self.path), above + text).body[0]
        except PARSER_ERRORS as exc:  # a body read that does not parse: the module's parse says
            raise Unproven(self.path) from exc
        alone = found.body[0] if isinstance(found, ast.If) else found
        assert isinstance(node, FUNCS) and isinstance(alone, FUNCS)
        node.body, node.end_lineno, node.end_col_offset = (
            alone.body, alone.end_lineno, alone.end_col_offset)  # fmt: skip # -- one move

    def graft_hot(self, hot: set[int]) -> None:
        """Graft every cut body whose function's id is in HOT (it is read)."""
        for key in [k for k in self.cut if k in hot]:
            self.graft(self.nodes[key])

    def graft_naming(self, names: Iterable[str]) -> None:
        """Graft every cut body that spells one of NAMES (as Python reads names)."""
        names = sorted(names)
        if not names or not self.cut:
            return
        pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, names))})\b")
        for key, cut in list(self.cut.items()):
            if pattern.search(_text(self.data, cut.start, cut.end)):
                self.graft(self.nodes[key])


def cut(path: str, data: bytes, options: AnalysisOptions) -> Skeleton | None:
    """DATA's Skeleton (the contract), or None."""
    if not _applies(path, data, options):
        return None
    cuts = list(_candidates(data))
    if sum(c.end - c.start for c in cuts) < MIN_CUT * len(data):
        return None
    for _ in range(ROUNDS):
        try:
            tree = ast.parse(_blanked(data, cuts), path)
        except PARSER_ERRORS:
            return None
        skeleton = Skeleton(path, data, tree, cuts)
        if len(skeleton.cut) == len(cuts):
            return skeleton
        cuts = list(skeleton.cut.values())  # without those the parse did not place: again
    return None


def _applies(path: str, data: bytes, options: AnalysisOptions) -> bool:
    if not options.lazy_bodies or options.with_defs or options.as_conftest:
        return False
    if posixpath.basename(path) == "conftest.py" or FUTURE_GRAMMAR in data or b"\0" in data:
        return False
    if b"\r" in data and LONE_CR.search(data):
        return False
    end = data.find(b"\n", data.find(b"\n") + 1)  # the first two lines (HEADER_LINES) alone
    head = data if end < 0 else data[:end]
    return not any(COOKIE.match(line) for line in head.split(b"\n")[:HEADER_LINES])


def _candidates(data: bytes) -> Iterator[Cut]:
    """Each top-level ``def``, and each method of a top-level class, whose body, on lines of
    its own, can be cut (_body)."""
    lines, words = _Lines(data), _Words(data)
    for match, indent in _definitions(data):
        if match.start() < lines.pos:  # within the last one's header or body
            continue
        span = _body(data, match.start(), indent)
        if span is None or not words.cuttable(match, *span):
            continue
        found = read_body(data[span[0] : span[1]])
        if found is not None:
            at, (start, end) = match.start(), span
            line, first, last = lines.at(at), lines.at(start), lines.at(end)
            yield Cut(indent, line, first, last, found.returns_value, at, start, end)


def _body(data: bytes, at: int, indent: int) -> tuple[int, int] | None:
    """Where the body of the ``def`` at AT, after INDENT spaces, starts and ends, as the text
    suggests: after the header (_header_end), from its first line of code to the end of its
    last before the next line of code indented no deeper than the ``def`` (by spaces alone:
    any other indentation ends it too)."""
    head = _header_end(data, at)
    body = head + 1 if head is not None and head < len(data) else 0
    if not body:
        return None
    stop = (_dedent(indent) if indent else TOP_CODE).search(data, body - 1)
    end = stop.start() + 1 if stop else len(data)
    first = CODE.search(data, body, end)
    if first is None or data[first.end() - 1 : first.end()] == b"\\":
        return None  # a line that only continues: the first statement begins after it
    return first.start(), _last_end(data, first.start(), end)


@functools.cache
def _dedent(indent: int) -> re.Pattern[bytes]:
    """A line of code indented by at most INDENT spaces (or by anything else), after its line
    break."""
    return re.compile(rb"\n {0,%d}(?=[^ \r\n#])" % indent)


def _header_end(data: bytes, at: int) -> int | None:
    """Where the header of the ``def`` at AT ends, as the text suggests: the line on which its
    brackets close (counted before any ``#``), if it ends with a colon (a comment after it
    aside); None for a body on the header's line, or brackets that do not close in
    MAX_HEADER_LINES."""
    depth, start = 0, at
    for _ in range(MAX_HEADER_LINES):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        code = line.split(b"#", 1)[0]
        depth += sum(code.count(c) for c in OPENERS) - sum(code.count(c) for c in CLOSERS)
        if depth <= 0:
            return end if HEADER_END.search(line) else None
        start = end + 1
    return None


def _definitions(data: bytes) -> Iterator[tuple[re.Match[bytes], int]]:
    """The ``def`` lines of DATA at column 0, and those at the indentation of a top-level
    class's body, each with its indentation (a search for the line break before each: ``^``
    would try every byte)."""
    classes = _Classes(data)
    first = DEF.match(data)
    if first is not None:
        yield first, 0
    for found in DEF_LINE.finditer(data):
        indent = len(found.group(1))
        match = DEF.match(data, found.end())
        if match is not None and (not indent or classes.body_indent(found.start()) == indent):
            yield match, indent


class _Classes:
    """The lines of code at column 0 (decorators and closing brackets aside), whether each
    begins a class, and the indentation of a class's body: a ``def`` after a class line, at
    its body's indentation, is one of its methods, as the parse will say."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.starts = [0] + [m.start() + 1 for m in TOP_STATEMENT.finditer(data)]
        self.indents: dict[int, int | None] = {}

    def body_indent(self, at: int) -> int | None:
        """The body indentation of the class whose line last begins at column 0 before AT
        (None: that line begins no class)."""
        start = self.starts[bisect.bisect_right(self.starts, at) - 1]
        if start not in self.indents:
            self.indents[start] = self._indent(start)
        return self.indents[start]

    def _indent(self, start: int) -> int | None:
        if not CLASS.match(self.data, start):
            return None
        head = _header_end(self.data, start)
        first = CODE.search(self.data, head) if head is not None else None
        if first is None:
            return None
        line = self.data[first.start() : first.end()]
        return len(line) - 1 if line.lstrip(b" ")[:1] not in (b"\t", b"\x0c") else None


class _Words:
    """Whether a body can be cut for the words it or its header spells (the contract): a
    search of the whole module first, most of which spells none."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        plain = data.isascii()
        self.triggers = not plain or GLOBAL in data or MODULES in data
        self.request = not plain or b"request" in data

    def cuttable(self, match: re.Match[bytes], start: int, end: int) -> bool:
        """Whether no fact reads the body from START to END unless it is hot."""
        if match.group(1).decode().startswith(HOOK_PREFIX):
            return False
        if self.request and REQUEST.search(_text(self.data, match.start(), start)):
            return False
        return not (self.triggers and TRIGGERS.search(_text(self.data, start, end)))


def _last_end(data: bytes, first: int, end: int) -> int:
    """The end of the last line of code from FIRST to END (blank and comment lines aside)."""
    start = data.rfind(b"\n", first, end - 1) + 1 if end > first + 1 else first
    while start > first and CODE.match(data, start) is None:
        start = data.rfind(b"\n", first, start - 1) + 1
    return _line_end(data, max(start, first))


def _line_end(data: bytes, start: int) -> int:
    """Where the text of the line from START ends (its line break aside)."""
    found = CONTENT.match(data, start)
    return found.end() if found else start


class _Lines:
    """Line numbers of offsets asked in increasing order (one count of the bytes between)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.line = data, 0, 1

    def at(self, offset: int) -> int:
        self.line += self.data.count(b"\n", self.pos, offset)
        self.pos = offset
        return self.line


def _text(data: bytes, start: int, end: int) -> str:
    """DATA[START:END] as Python reads names in it (NFKC; UTF-8: no cookie here)."""
    part = data[start:end]
    if part.isascii():
        return part.decode("ascii")
    return unicodedata.normalize("NFKC", part.decode("utf-8", "replace"))


def _blanked(data: bytes, cuts: list[Cut]) -> bytes:
    """DATA with each cut body as its two statements, blank lines between."""
    out, done = [], 0
    for cut in cuts:
        pad = b" " * (cut.indent + 1)
        last = pad + (b"return 1" if cut.returns else b"pass")
        first = last if cut.last == cut.first else pad + b"pass"
        between = data[_line_end(data, cut.start) : cut.end]
        out += [data[done : cut.start], first, CONTENT.sub(b"", between)]
        out.append(last if cut.last > cut.first else b"")
        done = cut.end
    out.append(data[done:])
    return b"".join(out)


def _placed(tree: ast.Module, cuts: list[Cut]) -> Iterator[tuple[ast.AST, Cut]]:
    """Each of CUTS with the def the parse placed as it was cut (the proof): at the top level
    or in the body of a top-level class, with the statements it was cut to."""
    defs = {n.lineno: n for n in _functions(tree)}
    for cut in cuts:
        node = defs.get(cut.line)
        if node is not None and _statements(node.body, cut.indent + 1) == _expected(cut):
            yield node, cut


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, FUNCS):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from (n for n in node.body if isinstance(n, FUNCS))


def _expected(cut: Cut) -> list[tuple[type, int]]:
    last = ast.Return if cut.returns else ast.Pass
    if cut.first == cut.last:
        return [(last, cut.first)]
    return [(ast.Pass, cut.first), (last, cut.last)]


def _statements(body: list[ast.stmt], column: int) -> list[tuple[type, int]]:
    """BODY's statements' kinds and lines, if each is at COLUMN (as cut), else []."""
    ok = all(s.col_offset == column for s in body)
    return [(type(s), s.lineno) for s in body] if ok else []
