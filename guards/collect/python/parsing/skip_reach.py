"""Which function bodies can reach a skip, decided on their text before any AST walk.

Used by the whole-tree listing: a body is walked only if its text names a skip construct, a
dynamic lookup, a module alias of a skip or of a lookup (``run = eval``, ``g = getattr``: the
analyzer passes them with the names), a name known to skip when imported, or a function of the
same module that is itself hot (to a fixed point). Every other body holds no skip.

The trap: the names known to skip are the whole tree's (hundreds on pytest's own repository)
and the same for every module of a run, while the aliases are each module's own. One pattern of
both was a new regex a module, compiled anew each time (a third of a cold listing of pytest):
the tokens and known names are compiled once a process (_known), the aliases apart.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from guards.core import python_text
from guards.linear_re import compile_full

TOKENS = (
    "skip", "xfail", "SkipTest", "expectedFailure", "getattr", "import_module", "__import__",
    "modules", "getfixturevalue", "exec", "eval", "compile", "__getattr__", "raises",
)  # fmt: skip # -- packed lists read better than one item a line
FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest
WORD = re.compile(r"\w+")  # an identifier, as \b...\b bounds one


def hot_functions(
    tree: ast.Module, source: bytes, aliases: Iterable[str], known: tuple[str, ...] = ()
) -> set[int]:
    """The ids of the function nodes whose bodies must be read: their text names a token, one
    of the module's ALIASES or a name KNOWN to skip (as a part of a word), or a hot function
    (as a word)."""
    lines = python_text.lines(source)
    funcs = [
        (node, "\n".join(lines[node.lineno - 1 : node.end_lineno or node.lineno]))
        for node in _definitions(tree)
    ]
    own = list(aliases)
    patterns = [_known(known), *([_words(own, whole=False)] if own else [])]
    hot = {id(node) for node, text in funcs if any(p.search(text) for p in patterns)}
    cold = [(node, text, set(WORD.findall(text))) for node, text in funcs if id(node) not in hot]
    named = {node.name for node, _ in funcs if id(node) in hot}
    while named and cold:
        more = [node for node, text, words in cold if _names(named, text, words)]
        hot |= {id(node) for node in more}
        cold = [item for item in cold if id(item[0]) not in hot]
        named = {node.name for node in more}
    return hot


def _names(named: set[str], text: str, words: set[str]) -> bool:
    """Whether TEXT, whose words are WORDS, names one of NAMED as a word (a name with a
    character that is no word character, such as U+00B7, is searched for)."""
    if not words.isdisjoint(named):
        return True
    odd = [name for name in named if not WORD.fullmatch(name)]
    return bool(odd) and _words(odd, whole=True).search(text) is not None


def _definitions(tree: ast.Module) -> Iterator[FuncNode]:
    """Every function definition, at any depth: a walk over statements only (a definition is
    always a statement), a sixth of the nodes a full ``ast.walk`` visits."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        for block in BLOCKS:
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                stack.extend(inner)


@functools.cache
def _known(known: tuple[str, ...]) -> Any:
    """The tokens and the names KNOWN, as one pattern: compiled once a process, by RE2 (an
    alternation of hundreds of words: pytest's 3,969 test functions searched in 0.02 s, 0.10 s
    by Python's engine), by ``re`` where RE2 refuses it (past its memory budget)."""
    body = _alternation([*TOKENS, *known])
    try:
        return compile_full(body)
    except ValueError:
        return re.compile(body)


def _words(words: Iterable[str], *, whole: bool) -> re.Pattern[str]:
    body = _alternation(words)
    return re.compile(rf"\b(?:{body})\b" if whole else body)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words)))
