"""The condition under which a fixture's skip runs, when it is on the requesting test's module.

sympy's autouse ``check_disabled(request)`` skips only ``if getattr(request.module, "disabled",
False)``: counted as a skip of every test it covers, 13,170 sympy tests were "skipped". The
condition of each skip reference in the body (``Ref.line``) is read into a small tree:

- ``("modattr", name)``: ``getattr(request.module, "name", <falsy literal>)``, or
  ``request.module.name`` - true when the test module sets ``name`` to a truthy literal;
- ``("modhas", name)``: ``hasattr(request.module, "name")``;
- ``ANY``: a condition that does not read ``request`` (an option, the platform), or reads it
  in a way not listed here - it counts as true, as today.

The trap: a skip reached in a way the walk does not see (a loop, a nested function, a
``with`` or ``try`` body) must keep counting; it gets ``ANY``, never False.
"""

from __future__ import annotations

import ast
import functools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from guards.collect.python.parsing.exec_namespaces import Namespaces
from guards.collect.python.parsing.hook_conditions import ANY, Cond, mentions
from guards.collect.python.parsing.symbols import literal_str
from guards.collect.python.parsing.walk import BLOCKS, blocks_of, children, every_node, first_line
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.core import python_text
from guards.core.records import record
from guards.linear_re import any_word

GLOBAL = b"global"
MODULES = b"modules"  # sys.modules: _through_sys_modules

FALSY = (False, None, 0, "")


def skip_condition(body: list[ast.stmt], lines: Iterable[int], var: str = "request") -> Cond:
    """When a skip reference on one of LINES runs: the OR of the paths reaching each."""
    wanted = set(lines)
    found = list(_paths(body, [], wanted, var))
    if not found:
        return ANY
    out = found[0]
    for cond in found[1:]:
        out = ("or", out, cond)
    return out


def _paths(stmts: list[ast.stmt], conds: list[Cond], wanted: set[int], var: str) -> Iterable[Cond]:
    for stmt in stmts:
        if isinstance(stmt, ast.If):
            cond = _cond(stmt.test, var)
            yield from _paths(stmt.body, [*conds, cond], wanted, var)
            yield from _paths(stmt.orelse, [*conds, ("not", cond)], wanted, var)
            if _lines(stmt.test) & wanted:  # a helper called in the test runs on this path
                yield _conjoin(conds)
        elif _lines(stmt) & wanted:
            yield _conjoin(conds)


def _lines(node: ast.AST) -> set[int]:
    return {n.lineno for n in walk_nodes(node) if hasattr(n, "lineno")}


def _conjoin(conds: list[Cond]) -> Cond:
    out: Cond = ANY if not conds else conds[0]
    for cond in conds[1:]:
        out = ("and", out, cond)
    return out


def _cond(node: ast.expr, var: str) -> Cond:
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        out = _cond(node.values[0], var)
        for value in node.values[1:]:
            out = (op, out, _cond(value, var))
        return out
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ("not", _cond(node.operand, var))
    if not mentions(node, var):
        return ANY
    return _module_attr(node, var) or ANY


def _module_attr(node: ast.expr, var: str) -> Cond | None:
    if isinstance(node, ast.Attribute) and _is_module(node.value, var):
        return ("modattr", node.attr)
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    args = node.args
    if len(args) < 2 or not _is_module(args[0], var) or literal_str(args[1]) is None:
        return None
    name = literal_str(args[1]) or ""
    if node.func.id == "hasattr" and len(args) == 2:
        return ("modhas", name)
    default = args[2] if len(args) == 3 else None
    falsy = isinstance(default, ast.Constant) and default.value in FALSY
    return ("modattr", name) if node.func.id == "getattr" and falsy else None


def _is_module(node: ast.expr, var: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "module"
        and isinstance(node.value, ast.Name)
        and node.value.id == var
    )


@record
class ModuleNames:
    """What a test module binds at top level: literal values, every name, and whether names
    can also arrive in ways not read (``from x import *``, ``globals()``, ``setattr``)."""

    literals: dict[str, object]
    bound: frozenset[str]
    dynamic: bool


def may_hold(cond: Cond, names: ModuleNames) -> bool:
    """Whether COND may be true for a test of the module with NAMES."""
    return _value(cond, names) is not False


def _value(cond: Cond, names: ModuleNames) -> bool | None:
    op = cond[0]
    if op in ("modattr", "modhas"):
        if names.dynamic:
            return None  # a star import, globals(), sys.modules may bind it, after any literal
        if cond[1] in names.literals:
            return op == "modhas" or bool(names.literals[cond[1]])
        return None if cond[1] in names.bound else False
    if op == "not":
        inner = _value(cond[1], names)
        return None if inner is None else not inner
    if op in ("and", "or"):
        left, right = _value(cond[1], names), _value(cond[2], names)
        if op == "and":
            return False if False in (left, right) else (True if left and right else None)
        return True if True in (left, right) else (False if left is right is False else None)
    return None


def attribute_words(cond: Cond) -> frozenset[str] | None:
    """The words a test module's text must hold for COND to be true for it: the attributes COND
    reads and the calls that bind names unseen (DYNAMIC_CALLS; a star import is the caller's to
    search), or None when COND may be true for a module that binds none of them."""
    if _value(cond, ModuleNames({}, frozenset(), dynamic=False)) is not False:
        return None
    return frozenset(_attributes(cond)) | frozenset(DYNAMIC_CALLS)


def _attributes(cond: Cond) -> Iterator[str]:
    if cond[0] in ("modattr", "modhas"):
        yield cond[1]
    elif cond[0] in ("not", "and", "or"):
        for inner in cond[1:]:
            yield from _attributes(inner)


def module_facts(
    stmts: list[ast.stmt],
    walked: Mapping[int, list[ast.AST]],
    body: list[ast.stmt],
    source: bytes | None = None,
) -> dict[str, Any]:
    """``literals``, ``names_dynamic``, ``exec_namespaces`` and ``bound_names`` (what import-time
    code assigns, and what a function saying ``global`` does) of a module (facts.Module) from
    its import-time STMTS (WALKED: blocks already walked, walk.every_node; BODY: the module's
    top-level statements, whose ``for``/``with`` targets the flattened STMTS lose). A module
    whose SOURCE spells no name of DYNAMIC_CALLS (as Python reads names: core/python_text.py)
    calls none: its import-time code is not walked for one (most of pytest's own tests say
    ``monkeypatch.setattr``, an attribute, never a name)."""
    spaces = Namespaces(body)
    calls = source is None or DYNAMIC_NAME.search(python_text.view(source)) is not None
    literals, dynamic = module_names(stmts, spaces, calls)
    rebound = _rebound(stmts, body, source)
    literals = tuple((name, value) for name, value in literals if name not in rebound)
    dynamic = dynamic or _through_sys_modules(body, source)
    relied = () if dynamic else tuple(sorted(spaces.relied))
    bound = sorted(assigned(every_node(stmts, walked, says_global(source))))
    return {
        "literals": literals,
        "names_dynamic": dynamic,
        "exec_namespaces": relied,
        "bound_names": tuple(bound),
    }


def _rebound(stmts: list[ast.stmt], body: list[ast.stmt], source: bytes | None) -> set[str]:
    """The names the module binds at import otherwise than as a plain assignment's target
    (STMTS: import-time statements, flattened): ``+=``, ``def``, an import, ``:=``, a ``for``
    or ``with`` target (name_bindings.binds, outside function and class bodies); and those a
    function of it declares ``global`` (a call may rebind them: ``setup_module``). Such a name
    holds no literal where a fixture reads it."""
    from guards.collect.python.parsing.name_bindings import binds  # it imports this module

    plain = {id(t) for s in stmts if isinstance(s, ast.Assign) for t in s.targets}
    nodes = (n for stmt in body for n in _import_nodes(stmt) if id(n) not in plain)
    out = {name for node in nodes for name in binds(node)}
    found = (s for s in _near(body, said(source, GLOBAL)) if type(s) is ast.Global)
    return out | {name for node in found for name in node.names}


def _import_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """NODE and its children as import runs them, in no set order: a function's or a class's
    body aside (a class body binds the class's attributes), their decorators, bases and
    defaults read."""
    todo = [node]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo += node.decorator_list
            if isinstance(node, ast.ClassDef):
                todo += [*node.bases, *node.keywords]
            else:  # the defaults, not the parameters: those are the function's own names
                todo += [*node.args.defaults, *filter(None, node.args.kw_defaults)]
        else:
            todo += [c for c in children(node) if not isinstance(c, ast.Lambda)]


def _through_sys_modules(body: list[ast.stmt], source: bytes | None) -> bool:
    """Whether the module writes attributes of a module through ``sys.modules`` anywhere
    (``sys.modules[__name__].disabled = True``, ``setattr(sys.modules[__name__], ...)``): its
    own, unseen by name. Only the statements on a line that says ``modules`` are read (as
    Python reads the name: ``modules`` with a fullwidth ``m``, U+FF4D, is ``modules``)."""
    near = _near(body, said(source, MODULES))
    return any(_modules_write(n) for stmt in near for n in _header(stmt))


def _modules_write(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        owner: ast.AST = node.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        owner = node.args[0] if node.func.id == "setattr" else node
    else:
        return False
    return isinstance(owner, ast.Subscript) and getattr(owner.value, "attr", "") == "modules"


def says_global(source: bytes | None) -> Callable[[ast.AST], bool]:
    """Whether a function of the module SOURCE may bind a module name: it holds a ``global``
    statement, the one through which a name its body assigns is the module's (an assignment
    without it binds a local; ``globals()`` and ``setattr`` make the module's names dynamic
    instead). Only the statements on a line that says ``global`` are read (without SOURCE,
    every one)."""
    lines = said(source, GLOBAL)
    if lines == []:
        return lambda _function: False
    return lambda node: any(type(s) is ast.Global for s in _near([node], lines))


def said(source: bytes | None, word: bytes) -> list[int] | None:
    """The lines, as the parser numbers them, where the module SOURCE says WORD as Python reads
    its text (core/python_text.py: under ``# coding: utf-7`` the bytes ``+AGc-lobal`` say
    ``global``; a fullwidth letter of a name is its ASCII one); None without SOURCE (any may)."""
    return None if source is None else list(_said(source, word))


@functools.lru_cache(maxsize=4)  # a module is asked for ``global`` twice (_rebound, says_global)
def _said(source: bytes, word: bytes) -> tuple[int, ...]:
    view = python_text.view(source)
    if b"\r" in view:  # a lone one ends a line too: the parser's lines, cut as it cuts them
        return tuple(n for n, line in enumerate(view.splitlines(), 1) if word in line)
    found: list[int] = []
    line, start, at = 1, 0, view.find(word)
    while at >= 0:  # counted between the places it is said: a file is not cut into lines
        line += view.count(b"\n", start, at)
        found += [line] if not found or found[-1] != line else []
        start, at = at, view.find(word, at + len(word))
    return tuple(found)


def _near(stmts: Iterable[ast.AST], lines: list[int] | None) -> Iterator[ast.AST]:
    """The statements of STMTS and of their blocks at any depth (``except`` clauses and match
    cases too) whose lines, decorators included, hold one of LINES (ascending; all where
    None), in no set order. A statement's lines hold every node of it, so a node on one of
    LINES is in the header (``_header``) of one of these, or is one."""
    stack = list(stmts) if lines != [] else []
    while stack:
        node = stack.pop()
        last = getattr(node, "end_lineno", None)
        if lines is None or last is None or _between(lines, first_line(node), last):
            yield node
            stack += blocks_of(node)


def _header(stmt: ast.AST) -> Iterator[ast.AST]:
    """Every node of STMT but the statements of its blocks: its expressions, walked whole."""
    for field in stmt._fields:
        value = getattr(stmt, field, None)
        if field in BLOCKS and isinstance(value, list):
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.AST):
                yield from walk_nodes(child)


def _between(numbers: list[int], first: int, last: int | None) -> bool:
    """Whether a number of the ascending NUMBERS is in FIRST..LAST (to the end when None)."""
    at = bisect_left(numbers, first)
    return at < len(numbers) and (last is None or numbers[at] <= last)


def assigned(nodes: Iterable[ast.AST]) -> set[str]:
    """The names NODES assign (``bound_names``: a function body's share of it is what
    parsing/incremental.py puts back for a body it does not parse)."""
    return {n.id for n in nodes if type(n) is NAME and type(n.ctx) is STORE}


def module_names(
    stmts: list[ast.stmt], spaces: Namespaces, calls: bool = True
) -> tuple[tuple[tuple[str, object], ...], bool]:
    """The literal top-level names of a module (import-time STMTS, flattened) and whether names
    can arrive dynamically (an ``exec`` SPACES contains does not make them so; a call of
    DYNAMIC_CALLS is looked for only where CALLS). A name assigned values that differ in
    truth is not literal."""
    values: dict[str, list[object]] = {}
    dynamic = False
    for stmt in stmts:
        dynamic = dynamic or _dynamic(stmt, spaces, calls)
        if not isinstance(stmt, ast.Assign):
            continue
        for target in stmt.targets:
            for node in walk_nodes(target):
                if isinstance(node, ast.Name):
                    values.setdefault(node.id, []).append(_literal(stmt, target))
    literals = tuple(
        (name, seen[0])
        for name, seen in values.items()
        if all(v is not NOT_LITERAL for v in seen) and len({bool(v) for v in seen}) == 1
    )
    return literals, dynamic


NOT_LITERAL = object()


def _literal(stmt: ast.Assign, target: ast.expr) -> object:
    if isinstance(target, ast.Name) and isinstance(stmt.value, ast.Constant):
        return stmt.value.value
    return NOT_LITERAL


def _dynamic(stmt: ast.stmt, spaces: Namespaces, calls: bool) -> bool:
    if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
        return True
    if not calls:
        return False
    found = (n for n in _walk_here(stmt) if isinstance(n, ast.Call))
    return any(
        isinstance(c.func, ast.Name) and c.func.id in DYNAMIC_CALLS and not spaces.contain(c)
        for c in found
    )


def _walk_here(node: ast.AST) -> Iterator[ast.AST]:
    """NODE and its children, not entering function bodies (they do not run at import; their
    decorators do)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for deco in node.decorator_list:
            yield from _walk_here(deco)
        return
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.Lambda):
            yield from _walk_here(child)


DYNAMIC_CALLS = ("globals", "setattr", "vars", "exec")
# A name of DYNAMIC_CALLS in a module's text: a whole word, not an attribute (RE2: linear).
DYNAMIC_NAME = any_word(DYNAMIC_CALLS, attributes=False)
NAME, STORE = ast.Name, ast.Store  # read per node of every body: a global, not an attribute
