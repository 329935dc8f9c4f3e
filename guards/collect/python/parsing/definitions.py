"""Which statements of a block run at import, and under which ``if`` condition.

pytest collects what exists after import. A definition under ``if False:``, ``if 0:``,
``if TYPE_CHECKING:`` or ``if __name__ == "__main__":`` never exists under pytest: it is not
collected (its definition is still in the file, so a test moved there counts as no longer
collected). A definition under any other condition (``if not os.environ.get("CI"):``,
``if sys.platform == "win32":``, ``if HAS_NUMPY:``) exists only where the condition holds:
it is a conditional skip, like ``skipif`` with that condition, never plainly "collected".

The trap: the condition is judged in the module's own names (``import typing as t`` then
``if t.TYPE_CHECKING:``), and only literal constants decide a branch; everything else is the
environment's to decide.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import NamedTuple

from guards.collect.python.parsing.symbols import Dynamic, Env

COMPOUND = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
NEVER = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})
MAX_TEXT = 60


class Condition(NamedTuple):
    """The innermost ``if`` a definition depends on: its line and its text."""

    line: int
    text: str

    @property
    def pair(self) -> tuple[int, str]:
        return (self.line, self.text)


def guarded(
    stmts: list[ast.stmt], env: Env, cond: Condition | None = None
) -> Iterator[tuple[ast.stmt, Condition | None]]:
    """The statements that run at import, flattened through compound blocks, each with the
    condition it runs under (None: always); branches a literal condition rules out are left
    out."""
    for stmt in stmts:
        if isinstance(stmt, ast.If):
            yield from _branches(stmt, env, cond)
        elif isinstance(stmt, COMPOUND):
            for block in ("body", "orelse", "finalbody"):
                yield from guarded(getattr(stmt, block, []), env, cond)
            for handler in getattr(stmt, "handlers", []):
                yield from guarded(handler.body, env, cond)
        else:
            yield stmt, cond


def _branches(
    stmt: ast.If, env: Env, cond: Condition | None
) -> Iterator[tuple[ast.stmt, Condition | None]]:
    value = truth(stmt.test, env)
    here = Condition(stmt.lineno, _text(stmt.test))
    if value is not False:
        yield from guarded(stmt.body, env, cond if value else cond or here)
    if value is not True:
        other = Condition(stmt.lineno, f"not ({here.text})")
        yield from guarded(stmt.orelse, env, cond if value is False else cond or other)


def truth(test: ast.expr, env: Env) -> bool | None:
    """The value of a condition when it is decided without running anything, else None."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = truth(test.operand, env)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        return _bool_op(test, env)
    if _is_main_check(test):
        return False
    try:
        sym = env.resolve(test)
    except Dynamic:
        return None
    return False if sym in NEVER else None


def _bool_op(test: ast.BoolOp, env: Env) -> bool | None:
    values = [truth(v, env) for v in test.values]
    decisive = isinstance(test.op, ast.Or)  # True decides an ``or``, False an ``and``
    if decisive in values:
        return decisive
    return None if None in values else not decisive


def _is_main_check(test: ast.expr) -> bool:
    """``__name__ == "__main__"``: never true for a module pytest imports."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    texts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and texts) and isinstance(test.ops[0], ast.Eq)


def _text(test: ast.expr) -> str:
    text = ast.unparse(test)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."
