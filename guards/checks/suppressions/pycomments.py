"""Python comments that can hold a suppression, each with its enclosing definition.

A comment is what Python's tokenizer calls one: a ``#`` outside every string literal, to the end of
its line. A ``noqa`` inside a string is no comment and does not count; one inside a bracketed
multi-line call is one and does. Tokenizing a whole file is most of the guard's time on a large one
(0.09 s for a 3,000-line test module), so the comments come from two cheaper facts: the lines HINT
matches (a ``#`` and, after it on the line, a word every form spells: extract.PY_HINT), and the
string literals of the parse the enclosing definitions need anyway, found by visiting only the
nodes whose lines hold a hinted line. The first ``#`` of such a line outside every literal starts
its comment. The enclosing definition is the innermost function or class whose lines (decorators
included) hold the comment. A file that does not parse is a GuardsError naming it.

The traps: a literal that spans lines may hold comments between its parts (``'a'  # x`` then
``'b'`` on the next line are one node) and, since Python 3.12, inside a replacement field of an
f-string (PEP 701; ``f"{x=}"`` even copies that text into a part), so such a literal's own text is
tokenized; lines are counted as the parser counts them (``\r\n``, ``\r`` and ``\n`` each end
one); a node's columns are UTF-8 byte offsets; a decorated definition starts at its decorator.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import tokenize
from collections.abc import Iterator

from guards.checks.suppressions.model import Comment
from guards.errors import GuardsError

# What to do with a file that is no Python: a formatter's or a linter's test data (black's
# tests/data/cases) is not Python by design, and is left out by configuration, not fixed; and
# black's cases of PEP 695 generics or 3.14's t-strings are Python only to a newer parser.
NOT_PYTHON = (
    f"fix the syntax; if it is Python newer than {sys.version_info[0]}.{sys.version_info[1]} "
    "(what runs guards here) reads, run guards on that Python (the reusable workflow's "
    "python-version input); if the file is no Python by design (test data), list it in "
    "guards.yaml suppressions.exclude"
)
Span = tuple[int, int, str]
Place = tuple[int, int]  # (line, UTF-8 byte column)
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def comments(text: str, path: str, hint: re.Pattern[str]) -> list[Comment]:
    """The comments of TEXT on the lines HINT matches, each with its enclosing definition."""
    tree = parse(text, path)
    spans = list(_walk(tree, ""))
    return [Comment(n, body, enclosing(spans, n)) for n, body in _hinted(text, tree, hint, path)]


def _hinted(
    text: str, tree: ast.Module, hint: re.Pattern[str], path: str
) -> Iterator[tuple[int, str]]:
    starts = [0, *(m.end() for m in LINE_BREAK.finditer(text))]
    numbers = sorted({bisect.bisect_right(starts, m.start()) for m in hint.finditer(text)})
    lines = LINE_BREAK.split(text)
    literals = _Literals(lines, path)
    literals.visit(tree, numbers)
    for number in numbers:
        raw = lines[number - 1].encode()
        for at in (m.start() for m in re.finditer(b"#", raw)):
            body = raw[at:].decode()
            if literals.comment(number, at, body):
                yield number, body
                break


class _Literals:
    """The string literals over some lines. One on a single line holds no comment; one that spans
    lines may (implicitly joined parts with comments between them; a replacement field of an
    f-string since Python 3.12), so its own text is tokenized: a few lines, not the file."""

    def __init__(self, lines: list[str], path: str) -> None:
        self.lines, self.path = lines, path
        self.single: list[tuple[int, int, int]] = []  # (line, first column, end column)
        self.multi: list[tuple[Place, Place]] = []
        self._inner: dict[int, set[tuple[int, str]]] = {}  # multi index -> its comments

    def visit(self, tree: ast.Module, numbers: list[int]) -> None:
        """Find the literals over NUMBERS: only nodes whose lines hold one are visited."""
        stack: list[ast.AST] = [tree]
        while stack:
            for child in ast.iter_child_nodes(stack.pop()):
                first, last = _first_line(child), getattr(child, "end_lineno", None)
                if first is None or last is None:
                    stack.append(child)
                    continue
                at = bisect.bisect_left(numbers, first)
                if at == len(numbers) or numbers[at] > last:
                    continue
                if not isinstance(child, (ast.Constant, ast.JoinedStr)):
                    stack.append(child)
                elif first == last:
                    self.single.append((first, child.col_offset, child.end_col_offset or 0))
                else:
                    self.multi.append(
                        ((first, child.col_offset), (last, child.end_col_offset or 0))
                    )

    def comment(self, number: int, at: int, body: str) -> bool:
        """The ``#`` at byte AT of line NUMBER starts the comment BODY."""
        if any(n == number and a <= at < b for n, a, b in self.single):
            return False
        for index, (start, end) in enumerate(self.multi):
            if start <= (number, at) < end:
                return (number, body) in self._comments(index)
        return True

    def _comments(self, index: int) -> set[tuple[int, str]]:
        if index not in self._inner:
            (first, col), (last, end) = self.multi[index]
            rows = [line.encode() for line in self.lines[first - 1 : last]]
            rows[-1], rows[0] = rows[-1][:end], rows[0][col:]
            source = "(" + "\n".join(r.decode() for r in rows) + ")"
            self._inner[index] = {(first + n - 1, body) for n, body in tokens(source, self.path)}
        return self._inner[index]


def _first_line(node: ast.AST) -> int | None:
    """Where NODE starts: a decorated definition starts at its first decorator, not its ``def``."""
    first = getattr(node, "lineno", None)
    decorators = getattr(node, "decorator_list", [])
    return min([first, *(d.lineno for d in decorators)]) if first is not None else None


def tokens(text: str, path: str) -> Iterator[tuple[int, str]]:
    """Every comment by Python's tokenizer: the file whole (the slow, sure way)."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, SyntaxError) as exc:
        raise GuardsError(f"{path}: cannot tokenize Python ({exc}); {NOT_PYTHON}") from exc


def parse(text: str, path: str) -> ast.Module:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        raise GuardsError(f"{path}: cannot parse Python ({exc}); {NOT_PYTHON}") from exc


def _walk(node: ast.AST, prefix: str) -> Iterator[Span]:
    """Definitions are statements: only statement blocks are walked (in field order, as
    ``ast.iter_child_nodes`` would), not the expressions that are most of a tree."""
    for child in _statements(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}{child.name}"
            yield _first_line(child) or child.lineno, child.end_lineno or child.lineno, name
            yield from _walk(child, name + ".")
        else:
            yield from _walk(child, prefix)


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    for field in node._fields:
        if field in BLOCKS:
            block = getattr(node, field, None)
            if isinstance(block, list):
                yield from block


def enclosing(spans: list[Span], line: int) -> str:
    """The innermost span holding LINE (spans come outermost first), else "module"."""
    found = "module"
    for first, last, name in spans:
        if first <= line <= last:
            found = name
    return found
