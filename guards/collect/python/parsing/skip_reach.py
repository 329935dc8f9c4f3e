"""Which function bodies can reach a skip, decided on their text before any AST walk.

Used by the whole-tree listing: a body (its statements' lines, and its parameters' defaults:
``def test(s=pytest.skip): s()`` calls one; an annotation is no reference of it) is walked
only if its text names a skip construct (a skip word as any part
of a word: ``importorskip``), a dynamic lookup (as a whole word: ``evalf`` is no ``eval``), a
module-level name through which a body may reach a skip whatever it calls it (reaching_names:
an alias of a skip or of a lookup, ``run = eval``; of a name known to skip, ``ng`` for ``from
helpers.gpu import needs_gpu as ng``, ``later = ng``), a name known to skip when imported, a
function of the same module that is itself hot or a name bound to one (to a fixed point), or a
class of the module that may inherit methods from elsewhere (an open class: a base that is not
a closed class of the module, a decorator or a keyword); and a method of an open class that
uses its instance or class (``self.needs()``, ``cls.m()``, ``super()``: the method may be a
base's). Every other body holds no skip: ``with pytest.raises(E):`` only catches one
(caught.py), so a body that says ``raises`` and reaches no skip is not read for it.

The trap: the names known to skip are the whole tree's (hundreds on pytest's own repository)
and the same for every module of a run, while the aliases are each module's own. One pattern of
both was a new regex a module, compiled anew each time (a third of a cold listing of pytest):
the words and known names are compiled once a process (_known), the aliases apart.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from guards.collect.python.parsing.symbols import LOOKUPS, is_skippy
from guards.collect.python.parsing.walk import first_line
from guards.core import python_text
from guards.linear_re import compile_full

SKIP_PARTS = ("skip", "xfail", "SkipTest", "expectedFailure")  # in any word: importorskip
LOOKUP_WORDS = (
    "getattr", "import_module", "__import__", "modules", "getfixturevalue", "exec", "eval",
    "compile", "__getattr__", "exit", "_exit", "globals", "locals", "vars", "__globals__",
    "f_globals",
)  # fmt: skip # -- whole words (``evalf`` is no ``eval``); packed lists read better
FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest
WORD = re.compile(r"\w+")  # an identifier, as \b...\b bounds one
INSTANCE = frozenset({"self", "cls", "super"})  # a method's way to its class's other methods
CLOSED_BASES = frozenset(dir(builtins))  # object, Exception, dict: no method of theirs skips
Found = tuple[FuncNode, str | None]  # a function, and the class whose method it is


def reaching_names(
    bound: Mapping[str, str], known: tuple[str, ...], modules: tuple[str, ...] = ()
) -> list[str]:
    """The module-level names of BOUND (name -> its symbol) through which a body may reach a
    skip, whatever it calls them: bound to a skip or a lookup (``run = eval``), or to a symbol
    one of whose dotted parts is a name KNOWN to skip (``ng`` for ``from helpers.gpu import
    needs_gpu as ng``, ``later = ng``, ``env = Env()``), but for a part after the first that
    with the parts before it names one of MODULES, the repository's modules named like a name
    known: it is that module (``raises`` of ``from sympy.testing.pytest import raises``, where
    ``pytest`` is known for the ``import pytest`` the module holds). A name of the module's own
    (``local:``, ``class:``) is hot_functions' to judge."""
    names, named = frozenset(known), _by_last_part(modules)
    return [name for name, sym in bound.items() if _may_reach(sym, names, named)]


Modules = Mapping[str, list[tuple[str, ...]]]  # dotted paths' parts, by their last part


def _may_reach(sym: str, known: frozenset[str], modules: Modules) -> bool:
    if is_skippy(sym) or sym in LOOKUPS:
        return True
    parts = tuple(sym.removeprefix("call:").split("."))
    if ":" in parts[0]:
        return False
    return any(
        part in known and not (at and _a_module(parts[: at + 1], modules))
        for at, part in enumerate(parts)
    )


def _a_module(dotted: tuple[str, ...], modules: Modules) -> bool:
    """Whether the parts DOTTED name one of MODULES (the end of its path: a test imports it
    from whichever folder its root is)."""
    return any(module[-len(dotted) :] == dotted for module in modules.get(dotted[-1], ()))


@functools.cache
def _by_last_part(modules: tuple[str, ...]) -> dict[str, list[tuple[str, ...]]]:
    """MODULES (dotted paths) by their last part, each as its parts: once a process."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for module in modules:
        parts = tuple(module.split("."))
        out.setdefault(parts[-1], []).append(parts)
    return out


def hot_functions(
    tree: ast.Module,
    source: bytes,
    known: tuple[str, ...] = (),
    bound: Mapping[str, str] | None = None,
    modules: tuple[str, ...] = (),
) -> set[int]:
    """The ids of the function nodes whose bodies must be read: their text names a skip word
    or a name KNOWN to skip (as a part of a word), a lookup (as a word), one of the module's
    names BOUND to reach one (reaching_names, with MODULES: as a part of a word), a hot
    function, a name bound to one or an open class (as a word); or they are methods of an open
    class that use their instance."""
    lines = python_text.lines(source)
    found, classes = _definitions(tree)
    funcs = [(node, _body_text(node, lines, source)) for node, _ in found]
    own = reaching_names(bound or {}, known, modules)
    patterns = [_known(known), *([_words(own, whole=False)] if own else [])]
    hot = {id(node) for node, text in funcs if any(p.search(text) for p in patterns)}
    opened = _open_classes(classes, bound or {})
    hot |= {id(node) for (node, owner), (_, text) in zip(found, funcs, strict=True)
            if owner in opened and _uses_instance(node, text)}  # fmt: skip # -- one comprehension
    cold = [(node, text, set(WORD.findall(text))) for node, text in funcs if id(node) not in hot]
    aliased = _aliased(bound or {})
    named = _with_aliases({node.name for node, _ in funcs if id(node) in hot} | opened, aliased)
    while named and cold:
        odd = [name for name in named if not WORD.fullmatch(name)]
        pattern = _words(odd, whole=True) if odd else None
        more = [node for node, text, words in cold if _names(named, pattern, text, words)]
        hot |= {id(node) for node in more}
        cold = [item for item in cold if id(item[0]) not in hot]
        named = _with_aliases({node.name for node in more}, aliased)
    return hot


def _with_aliases(names: set[str], aliased: Mapping[str, list[str]]) -> set[str]:
    return names | {alias for name in names for alias in aliased.get(name, ())}


def _body_text(node: FuncNode, lines: list[str], source: bytes) -> str:
    """The lines of NODE's statements (a nested definition's decorators included) and the text
    of its parameters' defaults: they hold its references (bodies.body_refs), not its
    annotations or parameter names."""
    first = node.body[0]
    start = first_line(first)
    body = "\n".join(lines[start - 1 : node.end_lineno or start])
    defaults = [d for d in (*node.args.defaults, *node.args.kw_defaults) if d and _named(d)]
    if not defaults:
        return body
    raw = _utf8_lines(source)
    return "\n".join((*(_segment(d, raw) for d in defaults), body))


def _named(default: ast.expr) -> bool:
    """Whether DEFAULT may name something (a constant names nothing: ``x=None``)."""
    return not isinstance(default, ast.Constant)


@functools.lru_cache(maxsize=4)
def _utf8_lines(source: bytes) -> list[bytes]:
    """SOURCE decoded as Python decodes it, as UTF-8, cut where the parser cuts lines: what
    the parser's columns count (the view's lines are normalized, so their lengths differ)."""
    text = python_text.decode(source)
    return (source if text is None else text.encode("utf-8")).splitlines()


def _segment(node: ast.expr, raw: list[bytes]) -> str:
    """NODE's own text, as Python reads names (NFKC): from its column on its first line to its
    end column on its last."""
    end = node.end_lineno or node.lineno
    chunk = b"\n".join(raw[node.lineno - 1 : end])
    stop = len(chunk) - len(raw[end - 1]) + (node.end_col_offset or 0)
    return unicodedata.normalize("NFKC", chunk[node.col_offset : stop].decode("utf-8", "replace"))


def _uses_instance(node: FuncNode, text: str) -> bool:
    """Whether the method NODE names its instance or class (its first argument, whatever it is
    called, ``self``, ``cls``, ``super``): a method it calls so may be a base class's."""
    first = [*node.args.posonlyargs, *node.args.args][:1]
    words = set(WORD.findall(text))
    return not words.isdisjoint(INSTANCE) or any(a.arg in words for a in first)


def _aliased(bound: Mapping[str, str]) -> dict[str, list[str]]:
    """The name of a function or class of the module -> the other module-level names bound to
    it, to an instance of it or to a method of it (``run = f``, ``env = C()``, ``m = C.m``)."""
    out: dict[str, list[str]] = {}
    for name, sym in bound.items():
        plain = sym.removeprefix("call:")
        if plain.startswith(("local:", "class:")):
            target = plain.partition(":")[2].rsplit(".", 1)[-1]
            if target != name:
                out.setdefault(target, []).append(name)
    return out


def _open_classes(classes: list[ast.ClassDef], bound: Mapping[str, str]) -> set[str]:
    """The names of the module's CLASSES that may inherit methods from elsewhere: with a base
    that is not a closed class of the module nor a builtin (unless the module binds the name),
    a decorator or a keyword (a metaclass). A name any of whose classes is open is open."""
    closed = {node.name for node in classes}
    changed = True
    while changed:
        opened = {node.name for node in classes if not _closed(node, closed, bound)}
        changed = bool(opened & closed)
        closed -= opened
    return {node.name for node in classes} - closed


def _closed(node: ast.ClassDef, closed: set[str], bound: Mapping[str, str]) -> bool:
    if node.decorator_list or node.keywords:
        return False
    return all(
        isinstance(base, ast.Name)
        and (base.id in closed or (base.id in CLOSED_BASES and base.id not in bound))
        for base in node.bases
    )


def _names(named: set[str], odd: re.Pattern[str] | None, text: str, words: set[str]) -> bool:
    """Whether TEXT, whose words are WORDS, names one of NAMED as a word (those with a
    character that is no word character, such as U+00B7, are searched for: ODD)."""
    if not words.isdisjoint(named):
        return True
    return odd is not None and odd.search(text) is not None


def _definitions(tree: ast.Module) -> tuple[list[Found], list[ast.ClassDef]]:
    """The functions whose bodies are read apart (the module's, and the methods of its
    classes, through ``if``/``try`` blocks), each with the name of the class whose method it
    is, and those classes: a walk over the statements outside function bodies (a function
    defined in another is read with it, and only it can call it)."""
    funcs: list[Found] = []
    classes: list[ast.ClassDef] = []
    stack: list[tuple[ast.AST, str | None]] = [(tree, None)]
    while stack:
        node, owner = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            funcs.append((node, owner))
            continue
        if isinstance(node, ast.ClassDef):
            classes.append(node)
            owner = node.name
        for block in BLOCKS:
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                stack.extend((child, owner) for child in inner)
    return funcs, classes


@functools.cache
def _known(known: tuple[str, ...]) -> Any:
    """The skip words (as parts of words), the lookups (as whole words) and the names KNOWN,
    as one pattern: compiled once a process, by RE2 (an alternation of hundreds of words:
    pytest's 3,969 test functions searched in 0.02 s, 0.10 s by Python's engine), by ``re``
    where RE2 refuses it (past its memory budget)."""
    body = rf"\b(?:{_alternation(LOOKUP_WORDS)})\b|{_alternation([*SKIP_PARTS, *known])}"
    try:
        return compile_full(body)
    except ValueError:
        return re.compile(body)


def _words(words: Iterable[str], *, whole: bool) -> re.Pattern[str]:
    body = _alternation(words)
    return re.compile(rf"\b(?:{body})\b" if whole else body)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words)))
