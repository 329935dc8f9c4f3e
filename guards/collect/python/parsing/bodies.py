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
from guards.collect.python.parsing.facts import Ref
from guards.collect.python.parsing.marks import _followable
from guards.collect.python.parsing.name_bindings import binds
from guards.collect.python.parsing.symbols import (
    EVALUATORS,
    GETATTR,
    LOOKUP_METHODS,
    SKIP_ATTRS,
    SKIP_HOLDERS,
    TRACKED,
    Dynamic,
    Env,
    evaluated,
    is_skippy,
    literal_str,
)
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.parsing.walk import nodes_of
from guards.collect.python.skip_forms import CATCHES, OUTCOMES, PROCESS_EXIT, RAISES

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
COMPOUND = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
SELF_NAMES = ("self", "cls")
DYNAMIC = "dynamic:code"  # the skip form of code chosen at run time (skip_forms.py)


# The node types each pass of body_refs reads (every other node gives it nothing): exact types,
# as the parser builds them.
CATCHERS = frozenset({ast.With, ast.AsyncWith, ast.Try})
CALL = ast.Call  # read per node of every body: a global, not an attribute
NAME, STORE = ast.Name, ast.Store  # read per node of every body, as CALL is
UNSEEN = ("<unseen>", "")  # a name a body has not met yet (_Refs.named)
Said = tuple[str, str]  # what a reference says, its line aside: (sym, target)
ALIASING = frozenset({ast.Assign, ast.Import, ast.ImportFrom})
REFERENCES = (ast.Name, ast.Attribute, ast.Call)  # what may name a skip form
FORKS = frozenset({"os.fork", "os.forkpty", "pty.fork"})  # return 0 in the child
RUNNERS = frozenset({*EVALUATORS, GETATTR})  # run or look up what they are given, by name
RUN_FILES = frozenset({"runpy.run_path", "runpy.run_module"})  # run a file's code, called or not
HOLDERS = frozenset({*SKIP_HOLDERS, "pytest.mark"})  # modules (and MARK_GEN) that hold a skip
# What hands out the builtins, or a module that holds a skip, by another name.
BUILTINS_BY_NAME = frozenset(
    {"__builtins__", "builtins.__dict__", *(f"{h}.__dict__" for h in SKIP_HOLDERS)}
)
PASSED = "passed as a value: what it runs is chosen at run time"


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
    first = _Refs(env, {}, sorting=True)
    refs = first.read(nodes)
    if walked is not None:
        walked[id(func.body)] = first.stores
    dynamic = _passed(func, nodes, first.env) if first.runners else []
    bound = bound_once(func, nodes) if first.calls else None
    ran = [
        found
        for node in first.calls
        if (found := _evaluated(node, env, dynamic, bound)) is not None
    ]
    if ran and runs is not None:
        runs.add(id(func.body))
    if ran or _caught(first.catchers, env, nodes) or _local_aliases(first.aliasing, env):
        refs = _again(nodes + [sub for found in ran for sub in found], env)
    return (*dynamic, *refs)


def _passed(func: FuncNode, nodes: list[ast.AST], env: Env) -> list[Ref]:
    """An exec, eval, compile or getattr of FUNC's body NODES that is not called where it is
    named (``map(exec, codes)``, ``f = (exec,)[0]``, ``partial(exec, code)``,
    ``reduce(getattr, names, pytest)``), the builtins or a module that holds a skip by another
    name (``__builtins__["exec"]``, ``pytest.__dict__["skip"]``), such a module given to a call
    (``attrgetter("skip")(pytest)``, ``getattr(*[pytest, "skip"])``), and code run from a file
    (``runpy.run_path``): what it runs is not known, a possible skip of the test. A name the
    function binds is its own (sympy's ``eval = classmethod(...)``). Asked only of a body that
    names one (_Refs.runners)."""
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    own = {a.arg for a in params if a is not None} | {n for node in nodes for n in binds(node)}
    called = {
        id(node.func)
        for node in nodes
        if isinstance(node, ast.Call) and _resolved(node.func, env, {}) in RUNNERS
    }
    passed = [node for node in nodes if id(node) not in called and _runner(node, env, own)]
    passed += [arg for node in nodes if type(node) is CALL for arg in _holders_given(node, env)]
    return [
        Ref(getattr(node, "lineno", 0), sym=DYNAMIC, detail=f"{ast.unparse(node)} {PASSED}")
        for node in passed
    ]


def _holders_given(call: ast.Call, env: Env) -> list[ast.Name]:
    """The names of CALL's arguments (``*[...]`` opened) that are a module holding a skip; not
    where an attribute that is no skip's is set on it (``monkeypatch.setattr(pytest,
    "recorded", [])``, pytest's own tests)."""
    if _sets_other_than_a_skip(call):
        return []
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    if not starred and _resolved(call.func, env, {}) == GETATTR:
        return []  # getattr(pytest, name): the resolver reads it, a computed name is dynamic
    given = [*call.args, *(k.value for k in call.keywords)]
    opened = [e for a in given for e in (_starred(a) if isinstance(a, ast.Starred) else [a])]
    return [a for a in opened if isinstance(a, ast.Name) and _resolved(a, env, {}) in HOLDERS]


def _sets_other_than_a_skip(call: ast.Call) -> bool:
    """``setattr(module, "name", value)`` (builtin or monkeypatch's) of a constant name that no
    skip is spelled by."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    attr = literal_str(call.args[1]) if name == "setattr" and len(call.args) > 1 else None
    return attr is not None and attr not in SKIP_ATTRS


def _starred(node: ast.Starred) -> list[ast.expr]:
    value = node.value
    return list(value.elts) if isinstance(value, (ast.List, ast.Tuple, ast.Set)) else [value]


def _runner(node: ast.AST, env: Env, own: set[str]) -> bool:
    """Whether NODE names exec, eval or compile, or the builtins by another name (a name in
    OWN is the function's)."""
    if isinstance(node, ast.Name) and (node.id in own or node.id == "__builtins__"):
        return node.id not in own
    if not isinstance(node, (ast.Name, ast.Attribute)):
        return False
    sym = _resolved(node, env, {})
    return sym in RUNNERS or sym in BUILTINS_BY_NAME or sym in RUN_FILES


def _again(nodes: list[ast.AST], env: Env) -> Iterable[Ref]:
    """The references of a body's NODES (code it runs from strings included) read again: none
    to a skip inside a ``with``/``try`` that catches what it raises, and the body's own aliases
    followed."""
    caught = _caught([node for node in nodes if _catcher(node)], env, nodes)
    if caught:
        nodes = [node for node in nodes if not _swallowed(node, caught.get(id(node)), env)]
    local = _local_aliases([node for node in nodes if type(node) in ALIASING], env)
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


def _catcher(node: ast.AST) -> bool:
    """A ``with``, a ``try``, or an ``if`` that may be a forked child's branch (_caught)."""
    return type(node) in CATCHERS or (type(node) is ast.If and _child_branch(node) is not None)


def _caught(nodes: list[ast.AST], env: Env, body: list[ast.AST]) -> dict[int, frozenset[str]]:
    """Node id -> the outcomes (skip_forms.OUTCOMES) caught where it is raised: inside ``with
    pytest.raises(E):`` (the test asserts that something raises E; the test itself does not
    skip) or the body of a ``try`` whose handlers catch E, by what E catches (CATCHES); the
    exception classes named there raise nothing (every outcome, for them). In a forked child's
    branch (``pid = os.fork()``, then ``if pid == 0:``, of the BODY's names) ``os._exit`` ends
    the child, not the session."""
    out: dict[int, frozenset[str]] = {}
    forked = _forked(body, env) if any(type(n) is ast.If for n in nodes) else set()

    def catch(subs: Iterable[ast.AST], outcomes: frozenset[str]) -> None:
        for sub in subs:
            out[id(sub)] = out.get(id(sub), frozenset()) | outcomes

    for node in nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                raised = _raised_in(item.context_expr, env)
                if raised is not None and (outcomes := _catches(raised, env)):
                    catch(walk_nodes(node), outcomes)
                    catch(walk_nodes(raised), OUTCOMES)
        elif isinstance(node, ast.Try):
            types = [h.type for h in node.handlers if h.type is not None]
            if outcomes := frozenset().union(*(_catches(t, env) for t in types)):
                catch(nodes_of(node.body), outcomes)
                catch((sub for t in types for sub in walk_nodes(t)), OUTCOMES)
        elif isinstance(node, ast.If) and (branch := _child_branch(node)) is not None:
            name, stmts = branch
            if name in forked:
                catch(nodes_of(stmts), frozenset({PROCESS_EXIT}))
    return out


def _child_branch(node: ast.If) -> tuple[str, list[ast.stmt]] | None:
    """The name an ``if`` tests as a fork's pid, and its branch that runs in the child (the
    pid is 0 there): ``if pid == 0:``/``if not pid:`` the body, ``if pid:``/``if pid > 0:``
    the ``else``."""
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return (test.operand.id, node.body) if isinstance(test.operand, ast.Name) else None
    if isinstance(test, ast.Name):
        return test.id, node.orelse
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(right, ast.Name) and _zero(left):
        left, right = right, left
    if not (isinstance(left, ast.Name) and _zero(right)):
        return None
    if isinstance(op, ast.Eq):
        return left.id, node.body
    return (left.id, node.orelse) if isinstance(op, (ast.NotEq, ast.Gt)) else None


def _zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0 and type(node.value) is int


def _forked(body: list[ast.AST], env: Env) -> set[str]:
    """The names BODY binds to a fork's result (``pid = os.fork()``, ``pid, fd =
    os.forkpty()``)."""
    forks = [
        node
        for node in body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and _resolved(node.value.func, env, {}) in FORKS
    ]
    return {name for node in forks for t in node.targets if (name := _pid(t))}


def _pid(target: ast.expr) -> str:
    """The name a fork's pid is bound to in TARGET: itself, or a tuple's first."""
    first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
    return first.id if isinstance(first, ast.Name) else ""


def _swallowed(node: ast.AST, outcomes: frozenset[str] | None, env: Env) -> bool:
    """Whether what NODE raises is caught (OUTCOMES, from _caught): a skip form's outcome;
    anything else (a helper that may skip or xfail) only where every outcome is."""
    if not outcomes:
        return False
    raised = RAISES.get(_resolved(node, env, {}) or "") if isinstance(node, REFERENCES) else None
    return raised in outcomes if raised is not None else outcomes >= OUTCOMES


def _raised_in(node: ast.expr, env: Env) -> ast.expr | None:
    """E of ``pytest.raises(E, ...)``, else None."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    return node.args[0] if env.resolve(node.func) == "pytest.raises" else None


def _catches(node: ast.expr, env: Env) -> frozenset[str]:
    """The outcomes the exception class NODE (or a tuple of them) catches."""
    if isinstance(node, ast.Tuple):
        return frozenset().union(*(_catches(e, env) for e in node.elts))
    if isinstance(node, ast.Name) and node.id in CATCHES and node.id not in env.names:
        return CATCHES[node.id]  # a builtin: BaseException, Exception
    return CATCHES.get(_resolved(node, env, {}) or "", frozenset())


def _local_aliases(nodes: list[ast.AST], env: Env) -> dict[str, str]:
    """Names the body binds to skip symbols (``s = pytest.skip``)."""
    local: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                sym = _resolved(node.value, env, local)  # a dynamic value is read by _ref
                if sym is not None and (is_skippy(sym) or sym.startswith(TRACKED)):
                    local[target.id] = sym
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            sub = Env(env.package)
            sub.bind_import(node)
            local.update({k: v for k, v in sub.names.items() if v.startswith(TRACKED)})
    return local


def _resolved(node: ast.expr, env: Env, local: dict[str, str]) -> str | None:
    try:
        return env.resolve(node, local)
    except Dynamic:
        return None


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

    def _if(self, node: ast.If) -> None:
        """An ``if`` that may be a forked child's branch is sorted out with the catchers."""
        if _child_branch(node) is not None:
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
                    said = named[node.id] = self._named(node)
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

    def _named(self, node: ast.Name) -> Said | None:
        """What the name NODE refers to; whether it is a runner noted (RUNNERS)."""
        sym = self.sym(node)
        if sym in RUNNERS or sym in RUN_FILES or node.id == "__builtins__":
            self.runners = True
        return referred(node, sym)

    def _attribute(self, node: ast.Attribute) -> Ref | None:
        sym = self.sym(node)
        if sym in RUNNERS or sym in BUILTINS_BY_NAME or sym in RUN_FILES:
            self.runners = True
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
            self.runners = self.runners or any(self._holder(arg) for arg in node.args)
        if node.keywords and not self.runners:
            self.runners = any(self._holder(k.value) for k in node.keywords)
        return self._call(node)

    def _holder(self, node: ast.expr) -> bool:
        """Whether NODE, an argument, is a name of a module holding a skip (``*[pytest]``
        too): cheap, a name's symbol is known once per body."""
        if type(node) is ast.Starred:
            inner = node.value
            elts = inner.elts if isinstance(inner, (ast.List, ast.Tuple, ast.Set)) else [inner]
            return any(self._holder(e) for e in elts)
        return type(node) is NAME and self.sym(node) in HOLDERS

    def _call(self, node: ast.Call) -> Ref | None:
        func = node.func
        looks_up = type(func) is ast.Attribute and func.attr in LOOKUP_METHODS
        found = (
            self.env.resolve(node, self.local) if looks_up or self.sym(func) == GETATTR else None
        )
        return Ref(node.lineno, sym=found) if is_skippy(found) and found else _fixture_value(node)


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
    lines = source.decode("utf-8", errors="replace").splitlines()
    out: list[Def] = []
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in _blocks_of(node):
            qualname = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = f"{prefix}.{child.name}" if prefix else child.name
                if not isinstance(child, ast.ClassDef):
                    out.append(Def(qualname, child.name, child.lineno, body_key(child, lines)))
            stack.append((child, qualname))
    return tuple(sorted(out, key=lambda d: d.line))


def _blocks_of(node: ast.AST) -> Iterator[ast.AST]:
    """The statements (and handlers, match cases) directly inside NODE's blocks."""
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        block = getattr(node, name, None)
        if isinstance(block, list):
            yield from block


def body_key(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str:
    """A hash of the body's text, indentation aside; "" for a trivial body (``pass``, ``...``,
    a docstring), which says nothing about identity."""
    body = node.body
    first = body[0] if len(body) == 1 else None
    if isinstance(first, ast.Pass) or (
        isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    ):
        return ""
    text = "\n".join(line.strip() for line in lines[body[0].lineno - 1 : node.end_lineno])
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
