"""Skip-relevant references in a function body: skip constructs and the helpers it uses.

Any reference counts, called or not (``s = pytest.skip; s()``), anywhere in the body,
nested functions included. Text in strings and comments is never a reference. A class's
attribute is a reference to its method (``Env.require_gpu``, ``class:Env.require_gpu`` in the
class's own module), and so is an attribute of a call's result (``Env().require_gpu``: the
resolver finds the method when the call is of a class). Not followed: an instance bound to a
name inside the body (``env = Env(); env.require_gpu()``).
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from guards.collect.model import Def
from guards.collect.python.parsing.bound_once import Bound, bound_once
from guards.collect.python.parsing.caught import (
    CATCHERS,
    FORKS,
    catcher,
    caught,
    child_branch,
    swallowed,
)
from guards.collect.python.parsing.facts import Ref
from guards.collect.python.parsing.marks import _followable
from guards.collect.python.parsing.passed_runners import NOTED, RUNNER_NAMES, opened, passed
from guards.collect.python.parsing.symbols import (
    EVALUATORS,
    GETATTR,
    LOOKUP_METHODS,
    NAMESPACE_GETS,
    TRACKED,
    Dynamic,
    Env,
    evaluated,
    is_skippy,
    literal_str,
    names_dict_shape,
)
from guards.collect.python.parsing.walk import blocks_of, nodes_of

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
COMPOUND = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
SELF_NAMES = ("self", "cls")
DYNAMIC = "dynamic:code"  # the skip form of code chosen at run time (skip_forms.py)


# The node types each pass of body_refs reads (every other node gives it nothing): exact types,
# as the parser builds them.
CALL = ast.Call  # read per node of every body: a global, not an attribute
NAME, STORE, STARRED = ast.Name, ast.Store, ast.Starred  # read per node, as CALL is
UNSEEN = ("<unseen>", "")  # a name a body has not met yet (_Refs.named)
Said = tuple[str, str]  # what a reference says, its line aside: (sym, target)
ALIASING = frozenset({ast.Assign, ast.Import, ast.ImportFrom})


def body_refs(
    func: FuncNode,
    env: Env,
    walked: dict[int, list[ast.AST]] | None = None,
    runs: set[int] | None = None,
) -> tuple[Ref, ...]:
    """The skip constructs and helper references of FUNC's body, one per symbol and line; the
    names the body assigns are kept in WALKED (walk.every_node takes them for the body), and
    the id of the body in RUNS when it runs code a string holds (its names are no words of its
    text). One pass reads the references as if the body bound no alias of a skip and caught
    none, and sorts out the nodes that could say otherwise; where one does, the references are
    read again with what it says (_again)."""
    nodes = nodes_of(func.body)
    defaults = _defaults(func, env) if func.args.defaults or func.args.kw_defaults else {}
    first = _Refs(env, dict(defaults), sorting=True)
    refs = first.read(nodes)
    if walked is not None:
        walked[id(func.body)] = first.stores
    dynamic = passed(func, nodes, first.env) if first.runners else []
    bound = bound_once(func, nodes) if first.calls else None
    ran = [
        found
        for node in first.calls
        if (found := _evaluated(node, env, dynamic, bound)) is not None
    ]
    if ran and runs is not None:
        runs.add(id(func.body))
    if ran or caught(first.catchers, env, nodes) or _local_aliases(first.aliasing, env):
        refs = _again(nodes + [sub for found in ran for sub in found], env, defaults)
    return (*dynamic, *refs)


def _defaults(func: FuncNode, env: Env) -> dict[str, str]:
    """The parameters whose default is a skip or what holds one (``def test(s=pytest.skip)``):
    pytest gives no value to a parameter with a default, so the body calls the default."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    pairs = [
        *zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True),
        *((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None),
    ]
    found = {}
    for arg, default in pairs:
        sym = env.try_resolve(default)
        if sym is not None and (is_skippy(sym) or sym.startswith(TRACKED)):
            found[arg.arg] = sym
    return found


def _again(nodes: list[ast.AST], env: Env, defaults: dict[str, str]) -> Iterable[Ref]:
    """The references of a body's NODES (code it runs from strings included) read again: none
    to a skip inside a ``with``/``try`` that catches what it raises, and the body's own aliases
    followed."""
    found = caught([node for node in nodes if catcher(node)], env, nodes)
    if found:
        nodes = [node for node in nodes if not swallowed(node, found.get(id(node)), env)]
    local = _local_aliases([node for node in nodes if type(node) in ALIASING], env, defaults)
    return _Refs(env, local).read(nodes)


def _evaluated(
    node: ast.Call, env: Env, dynamic: list[Ref], bound: Bound | None
) -> list[ast.AST] | None:
    """The nodes of the code an exec/eval/compile call runs (None: NODE runs none that
    parses), a name the body binds once read as its value where NODE reads it (BOUND);
    computed code is noted as a possible skip of the test (DYNAMIC), not of the whole file."""
    try:
        code = evaluated(node, env, bound.at(node) if bound else {})
        return None if code is None else nodes_of(code)
    except Dynamic as exc:
        dynamic.append(Ref(exc.line, sym=DYNAMIC, detail=exc.what))
        return []


def _local_aliases(
    nodes: list[ast.AST], env: Env, start: dict[str, str] | None = None
) -> dict[str, str]:
    """Names the body binds to skip symbols (``s = pytest.skip``), after those of START."""
    local: dict[str, str] = dict(start or {})
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                sym = env.try_resolve(node.value, local)  # a dynamic value is read by _ref
                if sym is not None and (is_skippy(sym) or sym.startswith(TRACKED)):
                    local[target.id] = sym
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            sub = Env(env.package)
            sub.bind_import(node)
            local.update({k: v for k, v in sub.names.items() if v.startswith(TRACKED)})
    return local


class _Refs:
    """The reference of a node of one body. A name's symbol depends on the name alone (the
    body's aliases are fixed before references are read), so each name is resolved once."""

    def __init__(self, env: Env, local: dict[str, str], *, sorting: bool = False) -> None:
        self.env, self.local = env, local
        self.syms: dict[str, str | None] = {}
        self.named: dict[str, Said | None] = {}  # what a name refers to, whatever its line
        # Sorting (body_refs' first pass): the nodes that could change what the pass read.
        self.sorting = sorting
        self.calls: list[ast.Call] = []  # calls that may run code: exec/eval/compile
        self.catchers: list[ast.AST] = []
        self.aliasing: list[ast.AST] = []
        self.stores: list[ast.AST] = []  # names assigned (bound_names, incremental.py)
        self.runners = False  # a name met is exec, eval or compile, or the builtins by another
        self.forks = False  # a fork met: an ``if`` after it may be the child's branch
        # names that, given to a call, may run what it is given: a module holding a skip, a runner
        self.holders = env.holder_names() | RUNNER_NAMES

    def _readers(self) -> dict[type, Callable[[Any], Ref | None]]:
        """The reader of each node type but names (a local of ``read``: bound methods kept on
        the instance would make a cycle, and every body's nodes would wait for the collector)."""
        if not self.sorting:
            return {ast.Call: self._call, ast.Attribute: self._attribute}
        readers: dict[type, Callable[[Any], Any]] = {
            ast.Call: self._sorted_call,
            ast.Attribute: self._attribute,
        }
        readers.update(dict.fromkeys(CATCHERS, self.catchers.append))
        readers[ast.If] = self._if
        readers.update(dict.fromkeys(ALIASING, self.aliasing.append))
        return readers

    def _note(self, sym: str | None) -> None:
        """A fork met (an ``if`` after it may be the child's branch), or a runner (passed)."""
        if sym in FORKS:
            self.forks = True
        else:
            self.runners = True

    def _if(self, node: ast.If) -> None:
        """An ``if`` that may be a forked child's branch, after a fork, is a catcher."""
        if self.forks and child_branch(node) is not None:
            self.catchers.append(node)

    def read(self, nodes: list[ast.AST]) -> Iterable[Ref]:
        """The references of NODES, one per symbol and line, in order. A dynamic lookup is a
        possible skip where it is met: inside a body it happens at run time, so it may skip
        this test (not every test of the file). A name (a third of a body's nodes) is read
        in this loop, and its Ref made once per line: most of a body's cost."""
        seen: dict[tuple[str, str, int], Ref] = {}
        named, readers, stores = self.named, self._readers(), self.stores
        for node in nodes:
            if type(node) is NAME:
                if type(node.ctx) is STORE:
                    stores.append(node)
                said = named.get(node.id, UNSEEN)
                if said is UNSEEN:
                    sym = self.sym(node)
                    if sym in NOTED or node.id == "__builtins__":
                        self._note(sym)
                    said = named[node.id] = referred(node, sym)
                if said is not None and (key := (*said, getattr(node, "lineno", 0))) not in seen:
                    seen[key] = Ref(key[2], *said)
            elif (reader := readers.get(type(node))) is not None:
                try:
                    ref = reader(node)
                except Dynamic as exc:
                    ref = Ref(exc.line, sym=DYNAMIC, detail=exc.what)
                if ref is not None:
                    seen.setdefault((ref.sym, ref.target, ref.line), ref)
        return seen.values()

    def _attribute(self, node: ast.Attribute) -> Ref | None:
        sym = self.sym(node)
        if sym in NOTED:
            self._note(sym)
        said = referred(node, sym)
        return None if said is None else Ref(getattr(node, "lineno", 0), *said)

    def sym(self, node: ast.AST) -> str | None:
        """Env.resolve, with each name resolved once."""
        if type(node) is NAME:
            if node.id not in self.syms:
                self.syms[node.id] = self.env.name(node.id, self.local)
            return self.syms[node.id]
        if type(node) is ast.Attribute:
            return self.env.attribute(self.sym(node.value), node)
        return self.env.resolve(node, self.local)

    def _sorted_call(self, node: ast.Call) -> Ref | None:
        """``_call``, the call kept where it may run code (symbols.evaluated asks no other):
        with arguments, and its function an evaluator or not resolved (what it raises is
        noted where the call is evaluated, as it is here)."""
        if node.args:
            try:
                runs = self.sym(node.func) in EVALUATORS  # as env.resolve: no alias is known yet
            except Dynamic:
                runs = True
            if runs:
                self.calls.append(node)
        if not self.runners:
            self.runners = self._gives_holder(node)
        return self._call(node)

    def _gives_holder(self, node: ast.Call) -> bool:
        """Whether NODE is given a name of a module holding a skip: a set lookup an argument,
        the module's such names known once (Env.holder_names)."""
        holders = self.holders
        for arg in node.args:
            kind = type(arg)
            if (kind is NAME and arg.id in holders) or (kind is STARRED and self._holder(arg)):  # type: ignore[attr-defined] # -- a Name, by type()
                return True
        return any(self._holder(k.value) for k in node.keywords)

    def _holder(self, node: ast.expr) -> bool:
        """Whether NODE, an argument, is a name of a module holding a skip (``*[pytest]``
        too): a set lookup, the module's such names known once (holder_names)."""
        return any(type(item) is NAME and item.id in self.holders for item in opened(node))

    def _call(self, node: ast.Call) -> Ref | None:
        found = self._looked_up(node)
        return Ref(node.lineno, sym=found) if is_skippy(found) and found else _fixture_value(node)

    def _looked_up(self, node: ast.Call) -> str | None:
        """What NODE calls, where it looks it up by name: ``getattr(pytest, "skip")``,
        ``pytest.__getattr__("skip")``, ``globals()["skip"]``, ``globals().get("skip")``."""
        func = node.func
        if type(func) is ast.Subscript and names_dict_shape(func.value):
            return self.env.resolve(func, self.local)
        if type(func) is ast.Attribute and (
            func.attr in LOOKUP_METHODS
            or (func.attr in NAMESPACE_GETS and names_dict_shape(func.value))
        ):
            return self.env.resolve(node, self.local)
        return self.env.resolve(node, self.local) if self.sym(func) == GETATTR else None


def referred(node: ast.Name | ast.Attribute, sym: str | None) -> Said | None:
    """What a name or attribute NODE that resolves to SYM refers to: (sym, target)."""
    if is_skippy(sym):
        return (sym or "", "")
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in SELF_NAMES
    ):
        return ("", f"self:{node.attr}")
    if sym is not None and sym.startswith("call:") and isinstance(node, ast.Attribute):
        sym = sym[5:]  # an attribute of a call's result: a fresh instance's method (``Env().m``)
    if sym is not None and _followable(sym):
        return ("", sym)
    return None


def _fixture_value(node: ast.Call) -> Ref | None:
    """``request.getfixturevalue("db")`` requests the fixture ``db``."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "getfixturevalue" and node.args:
        name = literal_str(node.args[0])
        if name:
            return Ref(node.lineno, target=f"fixture:{name}")
    return None


def arg_names(func: FuncNode, *, method: bool) -> tuple[str, ...]:
    """The arguments pytest fills with fixtures: those without defaults, minus self/cls."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    required = positional[: len(positional) - len(args.defaults)]
    if method and required and not _is_static(func):
        required = required[1:]
    kwonly = [a for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False) if d is None]
    return tuple(a.arg for a in [*required, *kwonly])


def _is_static(func: FuncNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)


def import_time(stmts: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at import, flattened through compound blocks."""
    for stmt in stmts:
        if isinstance(stmt, COMPOUND):
            for block in ("body", "orelse", "finalbody"):
                yield from import_time(getattr(stmt, block, []))
            for handler in getattr(stmt, "handlers", []):
                yield from import_time(handler.body)
        else:
            yield stmt


def all_defs(tree: ast.Module, source: bytes) -> tuple[Def, ...]:
    """Every function definition with its qualified name and a line-independent body key."""
    lines = source.splitlines()  # the parser's lines (a form feed, U+2028, end none)
    out: list[Def] = []
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in blocks_of(node):
            qualname = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = f"{prefix}.{child.name}" if prefix else child.name
                if not isinstance(child, ast.ClassDef):
                    out.append(Def(qualname, child.name, child.lineno, body_key(child, lines)))
            stack.append((child, qualname))
    return tuple(sorted(out, key=lambda d: d.line))


def body_key(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[bytes]) -> str:
    """A hash of the body's text (LINES: the module's, as the parser counts them), indentation
    aside; "" for a trivial body (``pass``, ``...``, a docstring), which says nothing about
    identity."""
    body = node.body
    first = body[0] if len(body) == 1 else None
    if isinstance(first, ast.Pass) or (
        isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    ):
        return ""
    text = b"\n".join(line.strip() for line in lines[body[0].lineno - 1 : node.end_lineno])
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()[:16]
